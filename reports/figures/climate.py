"""The climate footprint of members' purchases (spend-based CO2e, climate/): the tables the
climate page, the member page, the board pack, the XLSX exports and the API all show.

`member` given: that member's own figures (its users and the secretariat; callers check).
`member` None: the consortium — per-member totals (aggregates the board may read) and per
division, agreement and supplier figures, each from at least `min_members` members; smaller
groups are folded into one row that says so (accounts.access.split_small_groups).
CO2e is in kilograms, exact; tables show whole kilograms by the one rounding rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.access import split_small_groups
from agreements.models import Agreement
from climate.models import (
    AgreementClimateFigure,
    ClimateFigure,
    Energy,
    FactorVersion,
    FigureKind,
    MeteredConsumption,
    SupplierClimateFigure,
)
from climate.selectors import (
    member_year_climate,
    member_year_totals,
    population_by_member,
    years_with_figures,
)
from members.models import Member

from ..tables import Column, Table, share
from ._base import KeyFigure, _memoised

ZERO = Decimal(0)

ATTRIBUTION = (
    "Derived from EXIOBASE 3 (Stadler et al. 2018, doi:10.1111/jiec.12715) via the GHG "
    "multipliers published in electricitymaps/bloom-contrib (MIT). CC BY-SA 4.0."
)


def caveats() -> list[str]:
    """The limits of spend-based factors, in plain words (climate/data/SOURCES.md)."""
    return [
        _(
            "The figures are estimated from what was spent, with one average factor per CPV "
            "division. They show where the footprint lies, not whether a product was greener: "
            "buying a cheaper product lowers the figure, buying a dearer eco-labelled product "
            "raises it."
        ),
        _(
            "Prices change without emissions changing, so a trend over years is rough. The "
            "factors are based on 2011 data and are probably too high for today's Danish "
            "energy and transport."
        ),
        _(
            "Electricity and district heating are not estimated from spend: enter the metered "
            "consumption (kWh) and a factor instead. Lines without a category are shown as "
            "unclassified and have no CO2e."
        ),
    ]


def licence_note(version: FactorVersion | None) -> str:
    text = _("Emission factors: version %(number)s.") % {
        "number": version.number if version else "–"
    }
    return f"{text} {ATTRIBUTION}"


def _filter(queryset: Any, year: int | None, member: Member | None) -> Any:
    if year is not None:
        queryset = queryset.filter(year=year)
    if member is not None:
        queryset = queryset.filter(member=member)
    return queryset


def _labels(version: FactorVersion | None) -> dict[str, str]:
    return {f.division: f.label for f in version.factors.all()} if version else {}


def _factor_text(value: Decimal | None) -> str:
    return number_format(value, decimal_pos=4) if value is not None else ""


def _folded_row(small: list[dict[str, Any]], first: str, min_members: int) -> dict[str, Any]:
    return {
        first: _("Others (fewer than %(count)s members each)") % {"count": min_members},
        "spend": sum((r["spend"] for r in small), ZERO),
        "co2e": sum((r["co2e"] for r in small), ZERO),
    }


@_memoised
def climate_by_division_table(year: int, member: Member | None = None, min_members: int = 1):
    """Spend and CO2e per CPV division and kind (estimated, needs metered consumption, no
    factor, unclassified), largest CO2e first; the total covers every line."""
    version = FactorVersion.objects.in_force()
    labels = _labels(version)
    rows = (
        _filter(ClimateFigure.objects.all(), year, member)
        .values("division", "kind")
        .annotate(
            spend=Sum("spend_dkk"),
            co2e=Sum("co2e_kg"),
            factor=Sum("kg_per_dkk") / Count("id"),
            members=Count("member_id", distinct=True),
        )
    )
    table = Table(
        "climate-by-division" if member is None else "member-climate-by-division",
        _("CO2e by category (CPV division)"),
        [
            Column("division", _("CPV division")),
            Column("label", _("Category")),
            Column("kind", _("Basis")),
            Column("spend", _("Spend ex. VAT"), "kr"),
            Column("co2e", _("kg CO2e"), "number"),
            Column("share", _("Share of CO2e"), "percent"),
            Column("factor", _("kg CO2e per DKK")),
        ],
    )
    kinds = dict(FigureKind.choices)
    built = []
    for r in rows:
        built.append(
            {
                "division": r["division"],
                "label": labels.get(r["division"], "") if r["division"] else _("No category"),
                "kind": str(kinds.get(r["kind"], r["kind"])),
                "kind_code": r["kind"],
                "spend": r["spend"] or ZERO,
                "co2e": r["co2e"] or ZERO,
                "factor": _factor_text(r["factor"]) if r["kind"] == FigureKind.ESTIMATED else "",
                "members": r["members"],
            }
        )
    shown, small = split_small_groups(
        built, members=lambda r: r["members"], min_members=min_members
    )
    total_co2e = sum((r["co2e"] for r in built), ZERO)
    shown.sort(key=lambda r: (-r["co2e"], -r["spend"], r["division"]))
    if small:
        shown.append({**_folded_row(small, "label", min_members), "division": "", "kind": ""})
    for r in shown:
        r["share"] = share(r["co2e"], total_co2e)
    table.rows = shown
    table.total = {
        "division": _("Total"),
        "spend": sum((r["spend"] for r in built), ZERO),
        "co2e": total_co2e,
        "share": share(total_co2e, total_co2e),
    }
    table.note = licence_note(version)
    return table


@_memoised
def climate_by_member_table(year: int) -> Table:
    """Each member's footprint — per-member totals, fit for the board."""
    figures = member_year_climate(year)
    table = Table(
        "climate-by-member",
        _("Climate footprint by member"),
        [
            Column("member", _("Member")),
            Column("spend", _("Spend ex. VAT"), "kr"),
            Column("co2e", _("kg CO2e"), "number"),
            Column("per_inhabitant", _("kg CO2e per inhabitant"), "number"),
            Column("unclassified", _("Unclassified share of spend"), "percent"),
            Column(
                "flagged", _("Share of CO2e in agreements with climate requirements"), "percent"
            ),
        ],
        note=_(
            "CO2e: estimated from spend, plus metered electricity and district heating where "
            "the member has entered it."
        ),
    )
    names = dict(Member.objects.filter(pk__in=figures).values_list("pk", "organisation__name"))
    for member_id, f in figures.items():
        table.rows.append(
            {
                "member": names.get(member_id, ""),
                "member_id": member_id,
                "spend": f["spend_dkk"],
                "co2e": f["co2e_kg"],
                "per_inhabitant": f["kg_per_inhabitant"],
                "unclassified": f["unclassified_share"],
                "flagged": f["climate_flagged_share"],
            }
        )
    table.rows.sort(key=lambda r: -r["co2e"])
    table.total = {
        "member": _("Total"),
        "spend": sum((r["spend"] for r in table.rows), ZERO),
        "co2e": sum((r["co2e"] for r in table.rows), ZERO),
    }
    return table


def climate_by_agreement_table(
    year: int, member: Member | None = None, min_members: int = 1
) -> Table:
    """Spend and CO2e bought on each agreement (its suppliers, in its categories, in force)."""
    rows = (
        _filter(AgreementClimateFigure.objects.all(), year, member)
        .values("agreement_id")
        .annotate(
            spend=Sum("spend_dkk"), co2e=Sum("co2e_kg"), members=Count("member_id", distinct=True)
        )
    )
    agreements = {
        a.pk: a
        for a in Agreement.objects.filter(pk__in=[r["agreement_id"] for r in rows]).select_related(
            "tender"
        )
    }
    table = Table(
        "climate-by-agreement" if member is None else "member-climate-by-agreement",
        _("CO2e by agreement"),
        [
            Column("agreement", _("Agreement")),
            Column("climate", _("Climate requirements")),
            Column("spend", _("Spend on the agreement"), "kr"),
            Column("co2e", _("kg CO2e"), "number"),
        ],
    )
    built = []
    for r in rows:
        a = agreements[r["agreement_id"]]
        flagged = bool(a.climate_requirements.strip()) or bool(a.tender and a.tender.climate_flag)
        built.append(
            {
                "agreement": f"{a.number} {a.title}",
                "climate": _("Yes") if flagged else _("No"),
                "spend": r["spend"],
                "co2e": r["co2e"],
                "members": r["members"],
            }
        )
    shown, small = split_small_groups(
        built, members=lambda r: r["members"], min_members=min_members
    )
    shown.sort(key=lambda r: (-r["co2e"], r["agreement"]))
    if small:
        shown.append(_folded_row(small, "agreement", min_members))
    table.rows = shown
    table.total = {
        "agreement": _("Total"),
        "spend": sum((r["spend"] for r in built), ZERO),
        "co2e": sum((r["co2e"] for r in built), ZERO),
    }
    return table


def climate_by_supplier_table(
    year: int, member: Member | None = None, min_members: int = 1, limit: int = 15
) -> Table:
    """The suppliers with the largest CO2e; the rest in one row, so the total is all spend."""
    rows = list(
        _filter(SupplierClimateFigure.objects.all(), year, member)
        .values("supplier__name", "supplier__cvr")
        .annotate(
            spend=Sum("spend_dkk"), co2e=Sum("co2e_kg"), members=Count("member_id", distinct=True)
        )
        .order_by("-co2e", "-spend", "supplier__name")
    )
    table = Table(
        "climate-by-supplier" if member is None else "member-climate-by-supplier",
        _("CO2e by supplier"),
        [
            Column("supplier", _("Supplier")),
            Column("cvr", _("CVR")),
            Column("spend", _("Spend ex. VAT"), "kr"),
            Column("co2e", _("kg CO2e"), "number"),
        ],
    )
    built = [
        {
            "supplier": r["supplier__name"],
            "cvr": r["supplier__cvr"],
            "spend": r["spend"],
            "co2e": r["co2e"],
            "members": r["members"],
        }
        for r in rows
    ]
    shown, small = split_small_groups(
        built, members=lambda r: r["members"], min_members=min_members
    )
    rest = shown[limit:]
    shown = shown[:limit]
    if small:
        shown.append({**_folded_row(small, "supplier", min_members), "cvr": ""})
    if rest:
        shown.append(
            {
                "supplier": _("Other suppliers (%(count)s)") % {"count": len(rest)},
                "cvr": "",
                "spend": sum((r["spend"] for r in rest), ZERO),
                "co2e": sum((r["co2e"] for r in rest), ZERO),
            }
        )
    table.rows = shown
    table.total = {
        "supplier": _("Total"),
        "spend": sum((r["spend"] for r in built), ZERO),
        "co2e": sum((r["co2e"] for r in built), ZERO),
    }
    return table


def climate_trend_table(member: Member | None = None) -> Table:
    """Spend and CO2e per year (metered energy included), oldest first."""
    years = years_with_figures(member)
    table = Table(
        "climate-trend" if member is None else "member-climate-trend",
        _("Climate footprint per year"),
        [
            Column("year", _("Year")),
            Column("spend", _("Spend ex. VAT"), "kr"),
            Column("co2e", _("kg CO2e"), "number"),
            Column("per_inhabitant", _("kg CO2e per inhabitant"), "number"),
            Column("version", _("Factor version")),
        ],
        note=_("Prices change without emissions changing: compare years with care."),
    )
    for year in years:
        totals = member_year_totals(year, [member.pk] if member else None)
        spend = sum((t["spend_dkk"] for t in totals.values()), ZERO)
        co2e = sum((t["co2e_kg"] for t in totals.values()), ZERO)
        population = population_by_member(year)
        inhabitants = (
            population.get(member.pk)
            if member
            else sum(population.get(m, 0) for m in totals) or None
        )
        versions = sorted({v for t in totals.values() for v in t["factor_versions"]})
        table.rows.append(
            {
                "year": str(year),
                "short": str(year),
                "spend": spend,
                "co2e": co2e,
                "per_inhabitant": co2e / inhabitants if inhabitants else None,
                "version": ", ".join(str(v) for v in versions),
            }
        )
    return table


def climate_metered_table(member: Member, year: int) -> Table:
    """Electricity and district heating: the spend that needs metered consumption, and what the
    member has entered."""
    spend = dict(
        ClimateFigure.objects.filter(
            member=member,
            year=year,
            kind__in=[FigureKind.ELECTRICITY, FigureKind.DISTRICT_HEATING],
        )
        .values_list("kind")
        .annotate(total=Sum("spend_dkk"))
    )
    entered = {m.kind: m for m in MeteredConsumption.objects.filter(member=member, year=year)}
    table = Table(
        "member-climate-metered",
        _("Needs metered consumption"),
        [
            Column("energy", _("Energy")),
            Column("spend", _("Spend ex. VAT"), "kr"),
            Column("kwh", _("Consumption in kWh"), "number"),
            Column("factor", _("kg CO2e per kWh")),
            Column("source", _("Source of the factor")),
            Column("co2e", _("kg CO2e"), "number"),
        ],
        note=_(
            "Spend on electricity (CPV 0931xxxx) and district heating (CPV 09323000) is not "
            "converted to CO2e: the factors cannot tell Danish power from heat. Enter the "
            "metered consumption instead."
        ),
    )
    for kind, label in Energy.choices:
        m = entered.get(kind)
        table.rows.append(
            {
                "energy": str(label),
                "kind_code": kind,
                "spend": spend.get(kind, ZERO),
                "kwh": m.kwh if m else None,
                "factor": number_format(m.kg_per_kwh, decimal_pos=3) if m else _("Not entered"),
                "source": m.factor_source if m else "",
                "co2e": m.co2e_kg if m else None,
            }
        )
    table.total = {
        "energy": _("Total"),
        "spend": sum((r["spend"] for r in table.rows), ZERO),
        "co2e": sum((r["co2e"] or ZERO for r in table.rows), ZERO),
    }
    return table


def climate_key_figures(year: int, member: Member | None = None) -> list[KeyFigure]:
    """Tonnes CO2e, kg per inhabitant, the climate-flagged and unclassified shares."""
    totals = member_year_totals(year, [member.pk] if member else None)
    population = population_by_member(year)
    co2e = sum((t["co2e_kg"] for t in totals.values()), ZERO)
    estimated = sum((t["estimated_co2e_kg"] for t in totals.values()), ZERO)
    spend = sum((t["spend_dkk"] for t in totals.values()), ZERO)
    flagged = sum((t["flagged_co2e_kg"] for t in totals.values()), ZERO)
    unclassified = sum((t["unclassified_dkk"] for t in totals.values()), ZERO)
    if member is not None:
        inhabitants = population.get(member.pk)
    else:
        inhabitants = sum(population.get(m, 0) for m in totals) or None
    return [
        KeyFigure("co2e-tonnes", _("Tonnes CO2e"), co2e / 1000 if totals else None, "number"),
        KeyFigure(
            "co2e-per-inhabitant",
            _("kg CO2e per inhabitant"),
            co2e / inhabitants if inhabitants and totals else None,
            "number",
        ),
        KeyFigure(
            "climate-flagged-share",
            _("Share of CO2e in agreements with climate requirements"),
            share(flagged, estimated),
            "percent",
        ),
        KeyFigure(
            "unclassified-share",
            _("Unclassified share of spend"),
            share(unclassified, spend),
            "percent",
        ),
    ]


def climate_tables(year: int, member: Member | None = None, min_members: int = 1) -> list[Table]:
    """Every climate table of a page or an export, in page order."""
    tables = [climate_by_division_table(year, member, min_members)]
    if member is None:
        tables.append(climate_by_member_table(year))
    else:
        tables.append(climate_metered_table(member, year))
    tables += [
        climate_by_agreement_table(year, member, min_members),
        climate_by_supplier_table(year, member, min_members),
        climate_trend_table(member),
    ]
    return tables


__all__ = [
    "ATTRIBUTION",
    "caveats",
    "climate_by_agreement_table",
    "climate_by_division_table",
    "climate_by_member_table",
    "climate_by_supplier_table",
    "climate_key_figures",
    "climate_metered_table",
    "climate_tables",
    "climate_trend_table",
    "licence_note",
]
