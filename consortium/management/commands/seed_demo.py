"""Load the demo data: members, users and, as features arrive, their objects. Idempotent."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts import demo as accounts_demo
from members import demo as members_demo


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
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(members)} members, {len(users)} users.")
        )
