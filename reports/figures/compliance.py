"""Spend by member, agreement compliance and savings, climate requirements."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agreements.models import Agreement
from agreements.selectors import (
    board_min_members,
    consortium_figures,
    figures_in,
    grand_total,
    totals_by_agreement,
    totals_by_member,
    totals_by_month,
    without_small_groups,
)
from members.models import Member
from spend.models import SpendMonth

from ..periods import Period
from ..tables import Column, Table, share
from ._base import _members, _memoised


@_memoised
def spend_by_member_table(period: Period) -> Table:
    """Each member's total spend in the period — an aggregate, fit for the board."""
    # The stored monthly sums (spend.SpendMonth, kept by the database), not the lines: a
    # period is whole months.
    totals = dict(
        SpendMonth.objects.filter(month__gte=period.start, month__lt=period.end)
        .values_list("member_id")
        .annotate(total=Sum("amount"))
    )
    table = Table(
        "spend-by-member",
        _("Spend by member"),
        [Column("member", _("Member")), Column("spend", _("Spend ex. VAT"), "kr")],
    )
    for m in _members(period):
        table.rows.append({"member": m.name, "spend": totals.get(m.pk, Decimal(0))})
    table.rows.sort(key=lambda r: r["spend"], reverse=True)
    table.total = {"member": _("Total"), "spend": sum((r["spend"] for r in table.rows), Decimal(0))}
    return table


def _without_small_groups(figures):
    return without_small_groups(figures)


def _withheld_note(small: list[dict]) -> str:
    """Per-agreement figures follow the board's minimum group, as the agreement pages do: an
    aggregate over one or two members is those members' own figures."""
    if not small:
        return ""

    return _(
        "Not shown, as fewer than %(count)s members' figures are behind them: %(agreements)s."
    ) % {
        "count": board_min_members(),
        "agreements": ", ".join(f"{r['agreement__number']} {r['agreement__title']}" for r in small),
    }


def _compliance_figures(period: Period, member: Member | None = None):
    figures = figures_in(
        consortium_figures(), period.start, period.end - datetime.timedelta(days=1)
    )
    return figures.filter(member=member) if member is not None else figures


@_memoised
def compliance_by_member_table(period: Period) -> Table:
    """Agreement compliance and realised savings per member, ranked by compliance."""
    figures = _compliance_figures(period)
    rows = totals_by_member(figures)
    rows.sort(key=lambda r: (r["compliance"] is None, -(r["compliance"] or 0)))
    table = Table(
        "compliance-by-member",
        _("Agreement compliance and savings by member"),
        [
            Column("rank", pgettext("ranking", "Rank"), "number"),
            Column("member", _("Member")),
            Column("category", _("Spend in the agreements' categories"), "kr"),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
        note=_(
            "Compliance: spend with the agreements' suppliers divided by all spend in their categories."
        ),
    )
    for rank, r in enumerate(rows, start=1):
        table.rows.append(
            {
                "rank": rank,
                "member": r["member__organisation__name"],
                "category": r["category"],
                "supplier": r["supplier"],
                "compliance": r["compliance"],
                "saved": r["saved"],
            }
        )
    total = grand_total(figures)
    table.total = {
        "member": _("Total"),
        "category": total["category"] or Decimal(0),
        "supplier": total["supplier"] or Decimal(0),
        "compliance": total["compliance"],
        "saved": total["saved"] or Decimal(0),
    }
    return table


def compliance_by_agreement_table(period: Period, member: Member | None = None) -> Table:
    table = Table(
        "compliance-by-agreement" if member is None else "member-compliance-by-agreement",
        _("Agreement compliance and savings by agreement"),
        [
            Column("agreement", _("Agreement")),
            Column("category", _("Spend in the agreements' categories"), "kr"),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
    )
    figures = _compliance_figures(period, member)
    if member is None:
        figures, small = _without_small_groups(figures)
        table.note = _withheld_note(small)
    for r in totals_by_agreement(figures):
        table.rows.append(
            {
                "agreement": f"{r['agreement__number']} {r['agreement__title']}",
                "category": r["category"],
                "supplier": r["supplier"],
                "compliance": r["compliance"],
                "saved": r["saved"],
            }
        )
    return table


def compliance_by_month_table(period: Period, member: Member | None = None) -> Table:
    """The consortium's (or `member`'s) compliance and savings month by month. Over the
    consortium, a month whose figures come from fewer than the board's minimum group of members
    is left blank: it would be those members' own figure (PRODUCT.md, tenancy)."""
    figures = _compliance_figures(period, member)
    by_month = {r["month"]: r for r in totals_by_month(figures)}
    withheld: list[datetime.date] = []
    if member is None:
        minimum = board_min_members()
        counts = figures.values("month").annotate(members=Count("member_id", distinct=True))
        withheld = sorted(r["month"] for r in counts if r["members"] < minimum)
        for month in withheld:
            by_month.pop(month, None)
    table = Table(
        "compliance-by-month" if member is None else "member-compliance-by-month",
        _("Compliance and savings by month"),
        [
            Column("month", _("Month")),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
    )
    for month in period.months:
        r = by_month.get(month, {})
        table.rows.append(
            {
                "month": date_format(month, "M Y"),
                "short": date_format(month, "M"),
                "compliance": r.get("compliance"),
                # A month without figures (e.g. one still to come) shows no amount, not 0 kr.
                "saved": r.get("saved") if r else None,
            }
        )
    if withheld:
        table.note = _(
            "Not shown for %(months)s: the figures of those months come from fewer than %(count)s members."
        ) % {
            "months": ", ".join(date_format(m, "M Y") for m in withheld),
            "count": board_min_members(),
        }
    return table


def climate_table(period: Period) -> Table:
    """Agreements with climate or environmental requirements and their share of agreement spend."""
    by_agreement = {
        r["agreement_id"]: r["supplier"] or Decimal(0)
        for r in _compliance_figures(period)
        .values("agreement_id")
        .annotate(supplier=Sum("supplier_spend"))
    }
    all_spend = sum(by_agreement.values(), Decimal(0))
    _shown, small = _without_small_groups(_compliance_figures(period))
    withheld = {row["agreement_id"] for row in small}
    table = Table(
        "climate",
        _("Agreements with climate requirements"),
        [
            Column("agreement", _("Agreement")),
            Column("requirements", _("Climate requirements")),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("share", _("Share of agreement spend"), "percent"),
        ],
    )
    climate_spend = Decimal(0)
    not_shown = []
    for a in Agreement.objects.exclude(climate_requirements="").order_by("number"):
        spend = by_agreement.get(a.pk, Decimal(0))
        if a.pk in withheld:
            not_shown.append({"agreement__number": a.number, "agreement__title": a.title})
            continue
        climate_spend += spend
        table.rows.append(
            {
                "agreement": f"{a.number} {a.title}",
                "requirements": a.climate_requirements,
                "supplier": spend,
                "share": share(spend, all_spend),
            }
        )
    table.note = _withheld_note(not_shown)
    table.total = {
        "agreement": _("Total"),
        "supplier": climate_spend,
        "share": share(climate_spend, all_spend),
    }
    return table
