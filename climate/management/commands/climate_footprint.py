"""Print each member's climate footprint of a year: spend, tonnes CO2e, the unclassified share
and the factor version, and the total.

`kommunekode`: a member may cover several municipalities (Holstebro-Lemvig is 661 and 665); it is
printed as all of the member's codes in ascending order joined by "+" ("661+665"), and
`--member` accepts any one of them. Runs as the system (every member's figures).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consortium.formatting import round_half_up
from members.models import Member, Municipality

from ...models import FactorVersion
from ...selectors import member_year_totals

ZERO = Decimal(0)


def kommunekoder() -> dict[int, str]:
    codes: dict[int, list[str]] = {}
    for member_id, code in Municipality.objects.filter(member__isnull=False).values_list(
        "member_id", "code"
    ):
        codes.setdefault(member_id, []).append(code)
    return {member_id: "+".join(sorted(c)) for member_id, c in codes.items()}


def _versions(values: list[int]) -> int | str | None:
    """The version the figures used; several (a recompute under way) are listed."""
    if not values:
        return None
    return values[0] if len(values) == 1 else "+".join(str(v) for v in values)


def footprint(year: int, code: str | None = None) -> dict[str, Any]:
    codes = kommunekoder()
    members = Member.objects.select_related("organisation").order_by("organisation__name")
    if code is not None:
        members = members.filter(municipalities__code=code)
        if not members:
            raise CommandError(f"No member with kommunekode {code}.")
    members = list(members)
    totals = member_year_totals(year, [m.pk for m in members])
    rows = []
    for m in members:
        t = totals.get(m.pk)
        if t is None:
            continue
        rows.append(
            {
                "member": m.name,
                "kommunekode": codes.get(m.pk, ""),
                "spend_dkk": str(t["spend_dkk"]),
                "co2e_tonnes": str(round_half_up(t["co2e_kg"] / 1000, 3)),
                "unclassified_share": None
                if t["unclassified_share"] is None
                else str(round_half_up(t["unclassified_share"], 4)),
                "factor_version": _versions(t["factor_versions"]),
            }
        )
    spend = sum((t["spend_dkk"] for t in totals.values()), ZERO)
    co2e = sum((t["co2e_kg"] for t in totals.values()), ZERO)
    unclassified = sum((t["unclassified_dkk"] for t in totals.values()), ZERO)
    versions = sorted({v for t in totals.values() for v in t["factor_versions"]})
    version = FactorVersion.objects.in_force()
    return {
        "year": year,
        "factor_version_in_force": version.number if version else None,
        "members": rows,
        "total": {
            "spend_dkk": str(spend),
            "co2e_tonnes": str(round_half_up(co2e / 1000, 3)),
            "unclassified_share": str(round_half_up(unclassified / spend, 4)) if spend else None,
            "factor_version": _versions(versions),
        },
    }


class Command(BaseCommand):
    help = "Show each member's spend-based climate footprint of a year and the total."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--member", metavar="KODE", help="only the member with this code")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: object, year: int, member: str | None, **options: Any) -> None:
        data = footprint(year, member)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        line = "{:<22} {:<9} {:>18} {:>14} {:>13} {:>8}"
        self.stdout.write(
            line.format("member", "kode", "spend_dkk", "co2e_tonnes", "unclassified", "version")
        )
        for r in data["members"]:
            self.stdout.write(
                line.format(
                    r["member"], r["kommunekode"], r["spend_dkk"], r["co2e_tonnes"],
                    r["unclassified_share"] or "", str(r["factor_version"] or ""),
                )
            )  # fmt: skip
        t = data["total"]
        self.stdout.write(
            line.format(
                "total", "", t["spend_dkk"], t["co2e_tonnes"], t["unclassified_share"] or "",
                str(t["factor_version"] or ""),
            )
        )  # fmt: skip
