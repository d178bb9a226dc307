"""Reads about agreements, renewal needs and compliance that more than one view needs.

Compliance figures and spend lines are the members' tenant data. Functions named `consortium_*`
return aggregates over every member and are what the board sees; the others are scoped with
`visible_to(user)` or to one member the caller has already checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from spend.models import SpendLine
from tenders.models import Tender

from .compliance import compliance_share
from .models import Agreement, AgreementSupplier, ComplianceFigure
from .renewal import DEFAULT_PROCEDURE, horizon_end, is_late, latest_tender_start

# --- renewal planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalItem:
    agreement: Agreement
    procedure_type: str
    must_start_by: datetime.date
    successor: Tender | None
    late: bool
    options_left: int

    @property
    def procedure_label(self) -> str:
        from tenders.models import ProcedureType

        return ProcedureType(self.procedure_type).label


def renewal_item(agreement: Agreement, today: datetime.date) -> RenewalItem:
    successor = agreement.successor_tender
    if successor is not None and successor.status == "cancelled":
        successor = None
    procedure = (
        successor.procedure_type
        if successor
        else (agreement.tender.procedure_type if agreement.tender else DEFAULT_PROCEDURE)
    )
    must_start_by = latest_tender_start(agreement.end_date, procedure)
    return RenewalItem(
        agreement=agreement,
        procedure_type=procedure,
        must_start_by=must_start_by,
        successor=successor,
        late=is_late(
            today=today,
            must_start_by=must_start_by,
            successor_status=successor.status if successor else None,
        ),
        options_left=sum(1 for option in agreement.options.all() if option.used_on is None),
    )


def renewal_plan(
    today: datetime.date | None = None, months: int | None = None
) -> list[RenewalItem]:
    """Agreements ending within the renewal horizon, the most urgent tender start first."""
    today = today or timezone.localdate()
    agreements = (
        Agreement.objects.ending_within(today, horizon_end(today, months))
        .select_related("tender", "successor_tender")
        .prefetch_related("options")
    )
    items = [renewal_item(agreement, today) for agreement in agreements]
    return sorted(items, key=lambda item: (item.must_start_by, item.agreement.number))


# --- compliance figures ------------------------------------------------------------------------


def _totals(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.annotate(
        category=Sum("category_spend"), supplier=Sum("supplier_spend"), saved=Sum("savings")
    )


def _with_share(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["compliance"] = compliance_share(row["supplier"] or Decimal(0), row["category"])
    return rows


def figures_in(
    figures: QuerySet[ComplianceFigure], start: datetime.date, end: datetime.date
) -> QuerySet[ComplianceFigure]:
    return figures.filter(month__gte=start.replace(day=1), month__lte=end)


def totals_by_agreement(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("agreement_id", "agreement__number", "agreement__title").order_by(
            "agreement__number"
        )
    )
    return _with_share(list(rows))


def totals_by_member(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("member_id", "member__organisation__name").order_by(
            "member__organisation__name"
        )
    )
    return _with_share(list(rows))


def totals_by_month(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    return _with_share(list(_totals(figures.values("month").order_by("month"))))


def grand_total(figures: QuerySet[ComplianceFigure]) -> dict[str, Any]:
    row = figures.aggregate(
        category=Sum("category_spend"), supplier=Sum("supplier_spend"), saved=Sum("savings")
    )
    return _with_share([row])[0]


def consortium_figures() -> QuerySet[ComplianceFigure]:
    """Every member's figures, for aggregation only (the board never sees them per member)."""
    return ComplianceFigure.objects.all()


# --- spend outside agreements ------------------------------------------------------------------


def top_suppliers_outside_agreements(
    *, start: datetime.date, end: datetime.date, member_id: int | None = None, limit: int = 25
) -> list[dict[str, Any]]:
    """Suppliers on no agreement with the most spend in start ≤ date ≤ end (one member or all)."""
    lines = SpendLine.objects.filter(invoice_date__gte=start, invoice_date__lte=end)
    if member_id is not None:
        lines = lines.filter(member_id=member_id)
    on_agreement = AgreementSupplier.objects.filter(supplier_id=OuterRef("supplier_id"))
    rows = (
        lines.filter(~Exists(on_agreement))
        .values("supplier_id", "supplier__cvr", "supplier__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "supplier__name")[:limit]
    )
    return list(rows)


def totals_by_agreement_month(figures: QuerySet[ComplianceFigure]) -> list[dict[str, Any]]:
    rows = _totals(
        figures.values("agreement__number", "agreement__title", "month").order_by(
            "agreement__number", "month"
        )
    )
    return _with_share(list(rows))
