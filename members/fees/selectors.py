"""Reads of fees: who pays in a budget year, the stored fees of a year, what a statement shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from ..models import (
    Fee,
    FeeModel,
    Member,
    Municipality,
)
from ..selectors import member_populations
from .split import Payer


def fee_payers(
    *, year: int, population_year: int
) -> tuple[list[Payer], dict[str, Member], list[str]]:
    """The members who pay in `year`, as payers keyed by their lowest kommunekode.

    A member pays when its membership covers the budget year (`Member.is_member_in`), whatever its
    status today: recalculating a past year keeps a since-departed member's fee.

    Returns payers, the member behind each key, and the names of members without a population
    figure for `population_year`.
    """
    members = list(
        Member.objects.members_in(year)
        .select_related("organisation")
        .prefetch_related("municipalities")
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

    @property
    def outdated(self) -> bool:
        """Stored fees whose inputs changed after they were calculated."""
        return bool(self.fees) and self.fee_model.calculated_at is None


def fee_table(fee_model: FeeModel) -> FeeTable:
    """Every stored fee of the year with its member and municipalities (one query each)."""
    fees = list(
        Fee.objects.filter(fee_model=fee_model)
        .select_related("member__organisation")
        .prefetch_related(
            Prefetch("member__municipalities", queryset=Municipality.objects.order_by("code"))
        )
        .order_by("member__organisation__name")
    )
    for fee in fees:
        fee.fee_model = fee_model  # the caller's instance: no query per fee
    return FeeTable(fee_model=fee_model, fees=fees)


def fee_statement_context(fee: Fee, table: FeeTable | None = None) -> dict[str, Any]:
    """What one statement shows; pass the year's `table` when rendering several statements."""
    fee_model = fee.fee_model
    table = table or fee_table(fee_model)
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
        "municipalities": sorted(fee.member.municipalities.all(), key=lambda m: m.code),
        "members_count": len(table.fees),
        "total": table.total,
        "total_population": table.total_population,
        "population_share": share,
        "issued_on": timezone.localdate(),
    }
