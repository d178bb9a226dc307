"""`migrate`, run as the owner role: the application's role may not change the schema."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from consortium.db.owner import as_owner


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> Any:
        with as_owner(options["database"]):
            return super().handle(*args, **options)
