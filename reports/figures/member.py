"""One member's figures, for its own users and the secretariat (callers check)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.selectors import grand_total, top_suppliers_outside_agreements
from members.models import Fee, Member
from members.selectors import population_by_member
from spend.models import SpendLine, SpendMonth
from tenders.models import Participation, TenderStatus

from ..periods import Period
from ..tables import Column, Table
from ._base import KeyFigure
from .commitment import commitment_kept_table, participation_table
from .compliance import _compliance_figures


def member_participation_table(member: Member, period: Period) -> Table:
    participations = (
        Participation.objects.filter(
            member=member,
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .select_related("tender")
        .annotate(volume=Sum("declarations__annual_volume"))
        .order_by("tender__reference")
    )
    table = Table(
        "member-participation",
        _("Joint tenders in the period"),
        [
            Column("reference", _("Tender")),
            Column("answer", _("Answer")),
            Column("volume", _("Declared annual volume"), "kr"),
        ],
    )
    for p in participations:
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "answer": p.get_answer_display(),
                "volume": p.volume,
            }
        )
    return table


def member_spend_by_month_table(member: Member, period: Period) -> Table:
    # The stored monthly sums (spend.SpendMonth, kept by the database), not the lines.
    totals = {
        (d.year, d.month): total
        for d, total in SpendMonth.objects.filter(
            member=member, month__gte=period.start, month__lt=period.end
        ).values_list("month", "amount")
    }
    table = Table(
        "member-spend-by-month",
        _("Spend by month"),
        [Column("month", _("Month")), Column("spend", _("Spend ex. VAT"), "kr")],
    )
    for month in period.months:
        table.rows.append(
            {
                "month": date_format(month, "M Y"),
                "short": date_format(month, "M"),
                "spend": totals.get((month.year, month.month), Decimal(0)),
            }
        )
    table.total = {"month": _("Total"), "spend": sum((r["spend"] for r in table.rows), Decimal(0))}
    return table


def member_top_suppliers_table(member: Member, period: Period, limit: int = 10) -> Table:
    rows = (
        SpendLine.objects.filter(
            member=member, invoice_date__gte=period.start, invoice_date__lt=period.end
        )
        .values("supplier__name", "supplier__cvr")
        .annotate(total=Sum("amount"))
        .order_by("-total")[:limit]
    )
    return _suppliers_table("member-top-suppliers", _("Largest suppliers"), rows)


def _suppliers_table(slug: str, title: str, rows: Any) -> Table:
    """Suppliers with their CVR and spend, from rows of supplier__name, supplier__cvr, total."""
    table = Table(
        slug,
        title,
        [
            Column("supplier", _("Supplier")),
            Column("cvr", _("CVR")),
            Column("spend", _("Spend ex. VAT"), "kr"),
        ],
    )
    for r in rows:
        table.rows.append(
            {"supplier": r["supplier__name"], "cvr": r["supplier__cvr"], "spend": r["total"]}
        )
    return table


def member_key_figures(member: Member, period: Period) -> list[KeyFigure]:
    participation = next(
        (r for r in participation_table(period).rows if r["member"] == member.name), None
    )
    kept = next(
        (
            r
            for r in commitment_kept_table(period, member_id=member.pk).rows
            if r["member"] == member.name
        ),
        None,
    )
    spend = member_spend_by_month_table(member, period).total["spend"]
    compliance = grand_total(_compliance_figures(period, member))
    fee = Fee.objects.filter(member=member, fee_model__year=period.year).first()
    return [
        KeyFigure(
            "population",
            _("Inhabitants"),
            population_by_member(period.year).get(member.pk),
            "number",
        ),
        KeyFigure(
            "participation-rate",
            _("Participation rate"),
            participation["rate"] if participation else None,
            "percent",
        ),
        KeyFigure(
            "commitment-kept", _("Commitment kept"), kept["rate"] if kept else None, "percent"
        ),
        KeyFigure("spend", _("Spend"), spend, "kr"),
        KeyFigure("compliance", _("Agreement compliance"), compliance["compliance"], "percent"),
        KeyFigure("savings", _("Realised savings"), compliance["saved"], "kr"),
        KeyFigure(
            "fee", _("Fee %(year)s") % {"year": period.year}, fee.amount if fee else None, "kr"
        ),
    ]


def member_outside_agreements_table(member: Member, period: Period) -> Table:
    """The member's largest suppliers that are on no agreement: candidates for the next tender."""
    rows = top_suppliers_outside_agreements(
        start=period.start,
        end=period.end - datetime.timedelta(days=1),
        member_id=member.pk,
        limit=10,
    )
    return _suppliers_table(
        "member-outside-agreements", _("Largest spend outside agreements"), rows
    )


def member_deadlines_table(member: Member, today: datetime.date | None = None) -> Table:
    """The member's unanswered invitations to joint tenders, nearest deadline first."""
    now = timezone.now()
    pending = (
        Participation.objects.filter(
            member=member,
            answer=Participation.Answer.PENDING,
            tender__status=TenderStatus.VOLUME_COLLECTION,
        )
        .filter(Q(tender__volume_deadline__isnull=True) | Q(tender__volume_deadline__gte=now))
        .select_related("tender")
        .order_by("tender__volume_deadline")
    )
    table = Table(
        "member-deadlines",
        _("Our deadlines"),
        [Column("reference", _("Tender")), Column("deadline", _("Participation deadline"), "date")],
    )
    for p in pending:
        deadline = p.tender.volume_deadline
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "deadline": timezone.localtime(deadline).date() if deadline else None,
            }
        )
    return table
