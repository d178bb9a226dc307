"""`flush`, run as the owner role: the application's role may not empty tables (TRUNCATE would
pass by row-level security)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from consortium.db.owner import as_owner


class Command(flush.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        with as_owner(options["database"]):
            return super().handle(*args, **options)
