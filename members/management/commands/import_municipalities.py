"""Import municipality master data from a CSV file (all or nothing, errors reported by line)."""

from __future__ import annotations

from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.services import municipalities_import


class Command(BaseCommand):
    help = "Create or update municipalities from a CSV file; with any bad row nothing is written."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with pghistory.context(source="import_municipalities", file=file.name):
            report = municipalities_import(data=file.read_bytes())
        if not report.ok:
            for error in report.errors:
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"line {error.line}{column}: {error.message}")
            raise CommandError(f"{len(report.errors)} errors; nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, "
                f"{report.population_figures} population figures."
            )
        )
