"""Reads about members that more than one view, command or task needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from .models import (
    Commitment,
    Contact,
    Fee,
    FeeStatement,
    Member,
    Municipality,
    PopulationFigure,
)


def member_populations(members: list[Member], year: int) -> dict[int, int | None]:
    """Each member's population in `year` (sum of its municipalities); None when a figure is missing."""
    figures: dict[int, list[int]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for m in members:
        counts[m.pk] = sum(1 for _ in m.municipalities.all())
    for member_id, population in PopulationFigure.objects.filter(
        municipality__member__in=members, year=year
    ).values_list("municipality__member_id", "population"):
        figures[member_id].append(population)
    return {
        m.pk: sum(figures[m.pk]) if figures[m.pk] and len(figures[m.pk]) == counts[m.pk] else None
        for m in members
    }


@dataclass(frozen=True)
class Population:
    year: int
    population: int


def latest_populations(members: list[Member]) -> dict[int, Population | None]:
    """Each member's population in the latest year for which every one of its municipalities has
    a figure (None when there is no such year).

    The directory and the member page both read this, so a member of two municipalities such as
    Holstebro-Lemvig shows the same year and total in both, never a year with one figure missing.
    """
    counts = dict(
        Municipality.objects.filter(member__in=members)
        .values("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    )
    by_year: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for member_id, year, population in PopulationFigure.objects.filter(
        municipality__member__in=members
    ).values_list("municipality__member_id", "year", "population"):
        by_year[member_id][year].append(population)
    result: dict[int, Population | None] = {}
    for member in members:
        complete = [
            year
            for year, figures in by_year[member.pk].items()
            if len(figures) == counts.get(member.pk)
        ]
        if complete:
            year = max(complete)
            result[member.pk] = Population(year, sum(by_year[member.pk][year]))
        else:
            result[member.pk] = None
    return result


@dataclass(frozen=True)
class PopulationRow:
    year: int
    figures: list[PopulationFigure | None]  # one per municipality, in the history's order
    total: int | None  # None when a municipality lacks a figure for the year


@dataclass(frozen=True)
class PopulationHistory:
    municipalities: list[Municipality]
    rows: list[PopulationRow]


def population_history(municipalities: list[Municipality]) -> PopulationHistory:
    """Population figures by year (newest first) for one or more municipalities."""
    figures: dict[int, dict[int, PopulationFigure]] = defaultdict(dict)
    for figure in PopulationFigure.objects.filter(municipality__in=municipalities).select_related(
        "municipality"
    ):
        figures[figure.year][figure.municipality_id] = figure
    rows = []
    for year in sorted(figures, reverse=True):
        cells = [figures[year].get(m.pk) for m in municipalities]
        total = None if None in cells else sum(f.population for f in cells if f)
        rows.append(PopulationRow(year=year, figures=cells, total=total))
    return PopulationHistory(municipalities=list(municipalities), rows=rows)


def unattached_municipalities() -> QuerySet[Municipality]:
    """Municipalities that belong to no member (e.g. imported from the public list)."""
    return Municipality.objects.filter(member__isnull=True).order_by("name")


def municipality_with_cvr(cvr: str, *, exclude_code: str | None = None) -> Municipality | None:
    """The municipality that already has `cvr`, other than the one with `exclude_code`."""
    if not cvr:
        return None
    others = Municipality.objects.filter(cvr=cvr)
    if exclude_code:
        others = others.exclude(code=exclude_code)
    return others.first()


def directory_members() -> QuerySet[Member]:
    """All members with their municipalities and contacts, for the shared member directory."""
    return Member.objects.select_related("organisation").prefetch_related(
        Prefetch("municipalities"), Prefetch("contacts")
    )


def member_page(member: Member, user: Any) -> dict[str, Any]:
    """The members app's part of the member page; fees, statements and details only to those who
    may see them. The page adds the member's tenders and agreements (`consortium.views`)."""
    year = timezone.localdate().year
    commitments = list(
        Commitment.objects.filter(member=member).prefetch_related("binding_categories")
    )
    current = next((c for c in commitments if c.covers(year)), None)
    municipalities = list(member.municipalities.order_by("code"))
    # The member's own users and the secretariat; the same rule as the scorecard's.
    can_see_private = Member.objects.visible_to(user).filter(pk=member.pk).exists()
    latest = latest_populations([member])[member.pk]
    return {
        "member": member,
        "municipalities": municipalities,
        "population_history": population_history(municipalities),
        "contacts": list(Contact.objects.filter(member=member).order_by("role", "name")),
        "commitments": commitments,
        "current_commitment": current,
        "can_edit_contacts": Member.objects.editable_by(user).filter(pk=member.pk).exists(),
        "can_see_private": can_see_private,
        "fees": list(
            Fee.objects.visible_to(user)
            .filter(member=member)
            .select_related("fee_model")
            .order_by("-fee_model__year")
        ),
        "statements": list(FeeStatement.objects.visible_to(user).filter(member=member)[:10]),
        "population_year": latest.year if latest else None,
        "population": latest.population if latest else None,
    }


def members_bound_to_tender(tender: Any) -> set[int]:
    """Ids of members whose commitment for the tender's year binds them to take part.

    A commitment binds when one of its binding CPV categories covers one of the tender's CPV
    codes (same code or a code below it in the CPV tree), or when it names the tender's procedure
    type among its binding tender types.
    """
    return members_bound_to_tenders([tender])[tender.pk]


def _commitment_year(tender: Any) -> int:
    day = tender.volume_deadline or tender.created_at or timezone.now()
    return timezone.localtime(day).year if hasattr(day, "tzinfo") else day.year


def members_bound_to_tenders(tenders: Iterable[Any]) -> dict[int, set[int]]:
    """`members_bound_to_tender` for many tenders at once, by tender id: the commitments of each
    year are read once, whatever the number of tenders (pages and reports that list tenders).
    Pass tenders with `main_cpv` selected and `additional_cpv` prefetched to save a query each."""
    tenders = list(tenders)
    years = {_commitment_year(tender) for tender in tenders}
    by_year: dict[int, list[Commitment]] = defaultdict(list)
    if years:
        for commitment in (
            Commitment.objects.filter(start_year__lte=max(years), end_year__gte=min(years))
            .prefetch_related("binding_categories")
            .order_by("pk")
        ):
            for year in years:
                if commitment.covers(year):
                    by_year[year].append(commitment)
    result: dict[int, set[int]] = {}
    for tender in tenders:
        tender_codes = [c.code8 for c in tender.additional_cpv.all()]
        if tender.main_cpv_id:
            tender_codes.append(tender.main_cpv.code8)
        bound: set[int] = set()
        for commitment in by_year[_commitment_year(tender)]:
            if tender.procedure_type in commitment.binding_procedures:
                bound.add(commitment.member_id)
                continue
            prefixes = [c.prefix for c in commitment.binding_categories.all()]
            if any(code.startswith(prefix) for code in tender_codes for prefix in prefixes):
                bound.add(commitment.member_id)
        result[tender.pk] = bound
    return result


def population_by_member(year: int) -> dict[int, int]:
    """Population per member for `year`: per municipality the latest figure not after the year,
    summed over the member's municipalities. The one rule the reports, the climate figures and
    the API use."""
    result: dict[int, int] = {}
    seen: set[int] = set()
    figures = (
        PopulationFigure.objects.filter(year__lte=year, municipality__member__isnull=False)
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "municipality__member_id", "population")
    )
    for municipality_id, member_id, population in figures:
        if municipality_id in seen:
            continue
        seen.add(municipality_id)
        result[member_id] = result.get(member_id, 0) + population
    return result
