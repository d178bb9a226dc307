"""Reads about members that more than one view, command or task needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .fees import Payer
from .models import Commitment, Contact, Fee, FeeModel, FeeStatement, Member, PopulationFigure


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


def directory_members() -> QuerySet[Member]:
    """All members with their municipalities and contacts, for the shared member directory."""
    return Member.objects.select_related("organisation").prefetch_related(
        Prefetch("municipalities"), Prefetch("contacts")
    )


def fee_payers(
    *, year: int, population_year: int
) -> tuple[list[Payer], dict[str, Member], list[str]]:
    """The members who pay in `year`, as payers keyed by their lowest kommunekode.

    Returns payers, the member behind each key, and the names of members without a population
    figure for `population_year`.
    """
    members = list(
        Member.objects.active().select_related("organisation").prefetch_related("municipalities")
    )
    populations = member_populations(members, population_year)
    payers, by_key, missing = [], {}, []
    for member in members:
        codes = sorted(m.code for m in member.municipalities.all())
        key = codes[0] if codes else f"x{member.pk:05d}"
        if populations[member.pk] is None:
            missing.append(member.name)
            continue
        payers.append(Payer(key=key, name=member.name, population=populations[member.pk]))
        by_key[key] = member
    payers.sort(key=lambda p: p.name)
    return payers, by_key, missing


@dataclass
class FeeTable:
    fee_model: FeeModel
    fees: list[Fee]

    @property
    def total(self) -> Decimal:
        return sum((f.amount for f in self.fees), Decimal("0.00"))

    @property
    def total_population(self) -> int:
        return sum(f.population for f in self.fees)


def fee_table(fee_model: FeeModel) -> FeeTable:
    fees = list(
        Fee.objects.filter(fee_model=fee_model)
        .select_related("member__organisation")
        .order_by("member__organisation__name")
    )
    return FeeTable(fee_model=fee_model, fees=fees)


def fee_statement_context(fee: Fee) -> dict[str, Any]:
    fee_model = fee.fee_model
    table = fee_table(fee_model)
    share = (
        Decimal(fee.population) / Decimal(table.total_population)
        if table.total_population
        else Decimal(0)
    )
    return {
        "title": f"Kontingentopgørelse {fee_model.year} – {fee.member.name}",
        "fee": fee,
        "fee_model": fee_model,
        "member": fee.member,
        "municipalities": list(fee.member.municipalities.order_by("code")),
        "members_count": len(table.fees),
        "total": table.total,
        "total_population": table.total_population,
        "population_share": share,
        "issued_on": timezone.localdate(),
    }


def member_page(member: Member, user: Any) -> dict[str, Any]:
    """What the member page shows; fees and statements only to those who may see them."""
    year = timezone.localdate().year
    commitments = list(
        Commitment.objects.filter(member=member).prefetch_related("binding_categories")
    )
    current = next((c for c in commitments if c.covers(year)), None)
    return {
        "member": member,
        "municipalities": list(member.municipalities.prefetch_related("population_figures")),
        "contacts": list(Contact.objects.filter(member=member).order_by("role", "name")),
        "commitments": commitments,
        "current_commitment": current,
        "can_edit_contacts": Member.objects.editable_by(user).filter(pk=member.pk).exists(),
        "can_see_private": Member.objects.visible_to(user).filter(pk=member.pk).exists(),
        "fees": list(
            Fee.objects.visible_to(user)
            .filter(member=member)
            .select_related("fee_model")
            .order_by("-fee_model__year")
        ),
        "statements": list(FeeStatement.objects.visible_to(user).filter(member=member)[:10]),
        "population_year": year,
        "population": member.population(year),
    }


def members_bound_to_tender(tender: Any) -> set[int]:
    """Ids of members whose commitment for the tender's year binds them to take part.

    A commitment binds when one of its binding CPV categories covers one of the tender's CPV
    codes (same code or a code below it in the CPV tree), or when it names the tender's procedure
    type among its binding tender types.
    """
    day = tender.volume_deadline or tender.created_at or timezone.now()
    year = timezone.localtime(day).year if hasattr(day, "tzinfo") else day.year
    tender_codes = [c.code8 for c in tender.additional_cpv.all()]
    if tender.main_cpv_id:
        tender_codes.append(tender.main_cpv.code8)
    bound: set[int] = set()
    commitments = Commitment.objects.covering(year).prefetch_related("binding_categories")
    for commitment in commitments:
        if tender.procedure_type in commitment.binding_procedures:
            bound.add(commitment.member_id)
            continue
        prefixes = [c.code8.rstrip("0") or c.code8[:2] for c in commitment.binding_categories.all()]
        if any(code.startswith(prefix) for code in tender_codes for prefix in prefixes):
            bound.add(commitment.member_id)
    return bound
