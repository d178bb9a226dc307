"""Print the fee split of a budget year: member, population, base, population part, fee."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from members.fees.services import fee_model_split
from members.models import FeeModel


class Command(BaseCommand):
    help = "Show how a budget year's fee model splits the budget between the members."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: object, year: int, json: bool, **options: object) -> None:
        fee_model = FeeModel.objects.filter(year=year).first()
        if fee_model is None:
            raise CommandError(f"No fee model for {year}.")
        try:
            split, _members = fee_model_split(fee_model=fee_model)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if json:
            self.stdout.write(_as_json(split, year))
            return
        widths = "{:<22} {:>12} {:>16} {:>18} {:>16}"
        self.stdout.write(widths.format("member", "population", "base", "population part", "fee"))
        for line in split.lines:
            self.stdout.write(
                widths.format(
                    line.name + (" *" if line.at_minimum else ""),
                    line.population,
                    f"{line.base:.2f}",
                    f"{line.population_part:.2f}",
                    f"{line.fee:.2f}",
                )
            )
        self.stdout.write(
            widths.format("total", split.total_population, "", "", f"{split.total:.2f}")
        )
        if any(line.at_minimum for line in split.lines):
            self.stdout.write("* pays the minimum fee")


def _as_json(split: object, year: int) -> str:
    data = {
        "year": year,
        "budget": str(split.budget),  # type: ignore[attr-defined]
        "base_share": str(split.base_share),  # type: ignore[attr-defined]
        "minimum": None if split.minimum is None else str(split.minimum),  # type: ignore[attr-defined]
        "members": [
            {
                "member": line.name,
                "population": line.population,
                "base": str(line.base),
                "population_part": str(line.population_part),
                "fee": str(line.fee),
                "at_minimum": line.at_minimum,
            }
            for line in split.lines  # type: ignore[attr-defined]
        ],
        "total": str(split.total),  # type: ignore[attr-defined]
        "total_population": split.total_population,  # type: ignore[attr-defined]
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
