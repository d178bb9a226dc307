"""`manage.py board_report --period 2026 --out FILE.pdf`: render the board report pack to a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.packs import render_pack
from reports.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "Render the board report pack for a period (2026, 2026-H1, 2026-Q3) to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: object, period: str, out: Path, **options: object) -> None:
        try:
            parsed = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        rendered = render_pack(parsed, version=None)
        out.write_bytes(rendered.pdf)
        self.stdout.write(f"{out}: {rendered.pages} pages, sha256 {rendered.sha256}")
