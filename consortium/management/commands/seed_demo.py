"""Load the demo data: members, users and then every app's own demo objects. Idempotent.

Each app that has demo data gives it in `<app>/demo.py` as `seed() -> object`; they run in the
order of INSTALLED_APPS after members and users, so an app may rely on the apps listed before it.

`--scale large` then adds a national body's data on top (consortium/management/scale.py: all 98
municipalities, 10 million spend lines, 600 tenders, 2,500 agreements, 20,000 articles, 2,000
users), deterministic for `--seed`; `--lines N` makes a smaller set of the same shape.
"""

from __future__ import annotations

import importlib
import importlib.util
import time

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
        parser.add_argument(
            "--scale",
            choices=("demo", "large"),
            default="demo",
            help="large: add 98 municipalities, millions of spend lines and a national body's "
            "tenders, agreements, articles and users",
        )
        parser.add_argument("--seed", type=int, default=1, help="for --scale large")
        parser.add_argument(
            "--lines",
            type=int,
            default=None,
            help="for --scale large: this many spend lines (default 10,000,000); the other "
            "counts shrink with them",
        )

    def handle(
        self,
        *args: object,
        password: str,
        force: bool,
        scale: str = "demo",
        seed: int = 1,
        lines: int | None = None,
        **options: object,
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it refuses to run with "
                "DEBUG off. Use --force if this really is a demo installation."
            )
        if lines is not None and lines < 0:
            raise CommandError("--lines must be 0 or more.")
        with transaction.atomic(), pghistory.context(source="seed_demo"):
            members = members_demo.seed()
            users = accounts_demo.seed(password=password)
            for module in app_demo_modules():
                module.seed()  # type: ignore[attr-defined]
                self.stdout.write(f"  {module.__name__}: ready")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(members)} members, {len(users)} users.")
        )
        if scale == "large":
            from consortium.management.scale import Scale, seed_large

            started = time.perf_counter()
            with pghistory.context(source="seed_demo"):
                counts = seed_large(
                    Scale.large(lines=lines, seed=seed), password=password, out=self.stdout.write
                )
            summary = ", ".join(f"{name} {value:,}" for name, value in counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Large data ready in {time.perf_counter() - started:.0f} s: {summary}."
                )
            )
