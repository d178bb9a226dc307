"""The climate footprint of members' purchases (spend-based CO2e, climate/), from the stored
figures per member × year × CPV division and the metered energy members entered.

As on the climate pages: a member's users see their own member's figures; the secretariat sees
the consortium's with every member's totals, or one member's with `member_id`; the board sees
the consortium's with every member's totals (per-member aggregates), never one member's
breakdown, and no division row made up by fewer members than the minimum group. Values are
exact: kg CO2e to the gram, shares as fractions 0–1 to six places; the pages show them rounded.
"""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

from decimal import Decimal
from enum import StrEnum

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import ALL_ROLES, SECRETARIAT_ROLES, has_role, min_group
from accounts.models import Role
from climate import selectors
from climate.models import FactorVersion
from consortium.formatting import round_half_up
from members.models import Member

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND, ApiError, ErrorOut
from .spend import member_for

PREFIX = "/insight/climate"
router = Router(tags=["insight"])

ATTRIBUTION = (
    "Emission factors derived from EXIOBASE 3 (Stadler et al. 2018, doi:10.1111/jiec.12715) via "
    "electricitymaps/bloom-contrib; CC BY-SA 4.0."
)


class Scope(StrEnum):
    MEMBER = "member"
    CONSORTIUM = "consortium"


class TotalsOut(Schema):
    spend_dkk: Decimal = Field(description="All spend lines of the year, DKK ex. VAT")
    co2e_kg: Decimal = Field(description="Spend-based estimate plus metered energy, kg CO2e")
    estimated_co2e_kg: Decimal = Field(description="Estimated from spend, kg CO2e")
    metered_co2e_kg: Decimal = Field(description="Metered electricity and district heating")
    kg_per_inhabitant: Decimal | None
    unclassified_share: Decimal | None = Field(description="Spend without a category ÷ spend")
    climate_flagged_share: Decimal | None = Field(
        description="Spend-based CO2e bought on agreements with climate requirements ÷ all of it"
    )


class DivisionOut(Schema):
    division: str = Field(description="CPV division (two digits); empty when unclassified")
    kind: str = Field(
        description="estimated, electricity, district_heating (needs metered consumption), "
        "no_factor or unclassified"
    )
    spend_dkk: Decimal
    co2e_kg: Decimal


class MemberOut(TotalsOut):
    member_id: int
    member: str


class ClimateOut(Schema):
    scope: Scope
    year: int
    member_id: int | None
    member: str | None
    factor_version: int | None = Field(description="The emission factor version in force")
    licence: str = ATTRIBUTION
    total: TotalsOut
    by_division: list[DivisionOut]
    by_member: list[MemberOut] | None = Field(
        description="Secretariat and board, for the consortium: each member's totals"
    )


def _kg(value: Decimal) -> Decimal:
    return round_half_up(value, 3)


def _share(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, 6)


def _totals(rows: dict[int, dict], population: dict[int, int]) -> dict:
    zero = Decimal(0)
    spend = sum((r["spend_dkk"] for r in rows.values()), zero)
    co2e = sum((r["co2e_kg"] for r in rows.values()), zero)
    estimated = sum((r["estimated_co2e_kg"] for r in rows.values()), zero)
    flagged = sum((r["flagged_co2e_kg"] for r in rows.values()), zero)
    unclassified = sum((r["unclassified_dkk"] for r in rows.values()), zero)
    inhabitants = sum(population.get(m, 0) for m in rows)
    return {
        "spend_dkk": spend,
        "co2e_kg": _kg(co2e),
        "estimated_co2e_kg": _kg(estimated),
        "metered_co2e_kg": _kg(co2e - estimated),
        "kg_per_inhabitant": _kg(co2e / inhabitants) if inhabitants and rows else None,
        "unclassified_share": _share(unclassified / spend) if spend else None,
        "climate_flagged_share": _share(flagged / estimated) if estimated else None,
    }


@router.get(
    "",
    response={200: ClimateOut, 400: ErrorOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="insight_climate",
)
def climate_summary(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="Calendar year (default: this)"),
    member_id: int | None = Query(None, description="Secretariat only: one member's figures"),
):
    """The climate footprint for a year: your own member's, or (board and secretariat without
    member_id) the consortium's with each member's totals."""
    user = caller(request, ALL_ROLES)
    year = year or timezone.localdate().year
    consortium = member_id is None and (
        has_role(user, SECRETARIAT_ROLES) or user.role == Role.BOARD_MEMBER
    )
    if user.role == Role.BOARD_MEMBER and member_id is not None:
        raise ApiError(403, "permission_denied", _("The board sees consortium totals only."))
    member = None if consortium else member_for(request, member_id, ALL_ROLES)
    ids = None if member is None else [member.pk]
    rows = selectors.member_year_totals(year, ids)
    population = selectors.population_by_member(year)
    divisions = selectors.by_division(year, ids)
    least = min_group(user)
    by_member = None
    if member is None:
        names = dict(Member.objects.filter(pk__in=rows).values_list("pk", "organisation__name"))
        by_member = [
            {"member_id": m, "member": names.get(m, ""), **_totals({m: r}, population)}
            for m, r in sorted(rows.items(), key=lambda item: names.get(item[0], ""))
        ]
    version = FactorVersion.objects.in_force()
    return {
        "scope": Scope.CONSORTIUM if member is None else Scope.MEMBER,
        "year": year,
        "member_id": member.pk if member else None,
        "member": member.name if member else None,
        "factor_version": version.number if version else None,
        "total": _totals(rows, population),
        "by_division": [
            {
                "division": d["division"],
                "kind": d["kind"],
                "spend_dkk": d["spend"],
                "co2e_kg": _kg(d["co2e"]),
            }
            for d in divisions
            if d["members"] >= least
        ],
        "by_member": by_member,
    }
