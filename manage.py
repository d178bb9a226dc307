#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    from django.core.management import execute_from_command_line

    from consortium import tenancy

    # Commands are the operator's and act for the whole consortium. The server commands'
    # requests each act as their own user (accounts.middleware.ActingContextMiddleware).
    with tenancy.acting_as(tenancy.SYSTEM):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
