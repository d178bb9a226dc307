"""Reads of the stored climate figures that pages, reports, the API and the command share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, Sum

from consortium import tenancy
from members.models import Member
from members.selectors import population_by_member

from .models import (
    NOT_ESTIMATED,
    ClimateFigure,
    FactorVersion,
    FigureKind,
    MeteredConsumption,
)

ZERO = Decimal(0)


def metered_co2e_by_member(year: int, member_ids: list[int] | None = None) -> dict[int, Decimal]:
    rows = MeteredConsumption.objects.filter(year=year)
    if member_ids is not None:
        rows = rows.filter(member_id__in=member_ids)
    result: dict[int, Decimal] = {}
    for m in rows:
        result[m.member_id] = result.get(m.member_id, ZERO) + m.kwh * m.kg_per_kwh
    return result


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole if whole else None


def member_year_totals(year: int, member_ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    """Per member with figures: spend, spend-based CO2e, metered CO2e, unclassified spend,
    spend needing metered consumption, flagged CO2e and the factor versions used. Reads the
    rows the acting context may see (callers decide whether that is across members)."""
    figures = ClimateFigure.objects.filter(year=year)
    if member_ids is not None:
        figures = figures.filter(member_id__in=member_ids)
    rows = figures.values("member_id").annotate(
        spend=Sum("spend_dkk"),
        estimated=Sum("co2e_kg"),
        flagged=Sum("flagged_co2e_kg"),
        unclassified=Sum("spend_dkk", filter=Q(kind=FigureKind.UNCLASSIFIED)),
        metered_spend=Sum(
            "spend_dkk", filter=Q(kind__in=[FigureKind.ELECTRICITY, FigureKind.DISTRICT_HEATING])
        ),
        no_factor=Sum("spend_dkk", filter=Q(kind=FigureKind.NO_FACTOR)),
        first_version=Min("factor_version__number"),
        last_version=Max("factor_version__number"),
        lines=Count("id"),
    )
    metered = metered_co2e_by_member(year, member_ids)
    result: dict[int, dict[str, Any]] = {}
    for r in rows:
        estimated = r["estimated"] or ZERO
        spend = r["spend"] or ZERO
        result[r["member_id"]] = {
            "spend_dkk": spend,
            "estimated_co2e_kg": estimated,
            "metered_co2e_kg": metered.get(r["member_id"], ZERO),
            "co2e_kg": estimated + metered.get(r["member_id"], ZERO),
            "flagged_co2e_kg": r["flagged"] or ZERO,
            "unclassified_dkk": r["unclassified"] or ZERO,
            "needs_metering_dkk": r["metered_spend"] or ZERO,
            "no_factor_dkk": r["no_factor"] or ZERO,
            "unclassified_share": _share(r["unclassified"] or ZERO, spend),
            # Of the spend-based CO2e: metered energy is bought outside the agreements' scope.
            "climate_flagged_share": _share(r["flagged"] or ZERO, estimated),
            "factor_versions": sorted({r["first_version"], r["last_version"]}),
        }
    for member_id, co2e in metered.items():
        if member_id not in result:
            result[member_id] = {
                "spend_dkk": ZERO,
                "estimated_co2e_kg": ZERO,
                "metered_co2e_kg": co2e,
                "co2e_kg": co2e,
                "flagged_co2e_kg": ZERO,
                "unclassified_dkk": ZERO,
                "needs_metering_dkk": ZERO,
                "no_factor_dkk": ZERO,
                "unclassified_share": None,
                "climate_flagged_share": None,
                "factor_versions": [],
            }
    return result


def member_year_climate(year: int) -> dict[int, dict[str, Any]]:
    """Every member's climate key figures for `year`, for comparing members with each other:
    {"co2e_kg", "kg_per_inhabitant", "spend_dkk", "unclassified_share", "climate_flagged_share"}.

    co2e_kg is the spend-based estimate plus the CO2e of entered metered consumption;
    climate_flagged_share is the share of the spend-based CO2e bought on agreements with climate
    requirements (None without a spend-based CO2e). Exact Decimals; rounded only when shown.
    Computed across members (peers compare every member), so callers show others' figures only
    as the board's rules allow.
    """
    with tenancy.across_members():
        totals = member_year_totals(year)
        population = population_by_member(year)
    result = {}
    for member_id, t in totals.items():
        inhabitants = population.get(member_id)
        result[member_id] = {
            "co2e_kg": t["co2e_kg"],
            "kg_per_inhabitant": t["co2e_kg"] / inhabitants if inhabitants else None,
            "spend_dkk": t["spend_dkk"],
            "unclassified_share": t["unclassified_share"],
            "climate_flagged_share": t["climate_flagged_share"],
        }
    return result


def years_with_figures(member: Member | None = None) -> list[int]:
    figures = ClimateFigure.objects.all()
    metered = MeteredConsumption.objects.all()
    if member is not None:
        figures = figures.filter(member=member)
        metered = metered.filter(member=member)
    years = set(figures.values_list("year", flat=True).distinct())
    years |= set(metered.values_list("year", flat=True).distinct())
    return sorted(years)


def version_in_force() -> FactorVersion | None:
    return FactorVersion.objects.in_force()


__all__ = [
    "NOT_ESTIMATED",
    "member_year_climate",
    "member_year_totals",
    "metered_co2e_by_member",
    "population_by_member",
    "version_in_force",
    "years_with_figures",
]


def by_division(year: int, member_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Spend and CO2e per CPV division and kind, with how many members are behind each row."""
    figures = ClimateFigure.objects.filter(year=year)
    if member_ids is not None:
        figures = figures.filter(member_id__in=member_ids)
    return list(
        figures.values("division", "kind")
        .annotate(
            spend=Sum("spend_dkk"),
            co2e=Sum("co2e_kg"),
            members=Count("member_id", distinct=True),
        )
        .order_by("-co2e", "division", "kind")
    )
