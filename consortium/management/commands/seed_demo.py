"""Load the demo data: members, users and then every app's own demo objects. Idempotent.

Each app that has demo data gives it in `<app>/demo.py` as `seed() -> object`; they run in the
order of INSTALLED_APPS after members and users, so an app may rely on the apps listed before it.
"""

from __future__ import annotations

import importlib
import importlib.util

import pghistory
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts import demo as accounts_demo
from members import demo as members_demo

FIRST = {"members", "accounts"}


def app_demo_modules() -> list[object]:
    """The `demo` modules of the apps after members and accounts, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if config.label in FIRST or not importlib.util.find_spec(f"{config.name}.demo"):
            continue
        module = importlib.import_module(f"{config.name}.demo")
        if hasattr(module, "seed"):
            modules.append(module)
    return modules


class Command(BaseCommand):
    help = "Create or refresh the demo data (refuses to run with DEBUG off unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=accounts_demo.DEFAULT_PASSWORD)
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args: object, password: str, force: bool, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it refuses to run with "
                "DEBUG off. Use --force if this really is a demo installation."
            )
        with transaction.atomic(), pghistory.context(source="seed_demo"):
            members = members_demo.seed()
            users = accounts_demo.seed(password=password)
            for module in app_demo_modules():
                module.seed()  # type: ignore[attr-defined]
                self.stdout.write(f"  {module.__name__}: ready")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(members)} members, {len(users)} users.")
        )
