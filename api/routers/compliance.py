# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""Agreement compliance and realised savings, from the stored figures per agreement × member ×
month (agreements.ComplianceFigure, derived from members' spend: tenant data).

As on the compliance pages: a member's users see their own member's figures; the secretariat sees
the consortium's totals, per member, or one member's figures when it names `member_id`; the board
sees consortium totals only, never a single member's, and no figures of an agreement with figures
from fewer members than the minimum group (agreements.selectors.without_small_groups).
"""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import ALL_ROLES
from agreements import selectors
from consortium.figure_store import stored
from consortium.formatting import round_half_up
from members.models import Member

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND, ApiError, ErrorOut
from .spend import member_for

PREFIX = "/compliance"
router = Router(tags=["compliance"])


class Scope(StrEnum):
    MEMBER = "member"
    CONSORTIUM = "consortium"


class FiguresOut(Schema):
    category_spend: Decimal = Field(description="Spend in the agreements' categories, DKK ex. VAT")
    supplier_spend: Decimal = Field(description="Of which with the agreements' suppliers")
    compliance: Decimal | None = Field(
        description="supplier_spend ÷ category_spend (0–1); null when nothing was spent"
    )
    savings: Decimal = Field(description="Realised savings, DKK")


class AgreementFiguresOut(FiguresOut):
    agreement: str = Field(description="Agreement number")
    title: str


class MonthFiguresOut(FiguresOut):
    month: str = Field(description="2026-03")


class MemberFiguresOut(FiguresOut):
    member_id: int
    member: str


class ComplianceOut(Schema):
    scope: Scope
    member_id: int | None
    member: str | None
    date_from: datetime.date | None
    date_to: datetime.date | None
    currency: str = "DKK"
    total: FiguresOut
    by_agreement: list[AgreementFiguresOut]
    by_month: list[MonthFiguresOut]
    by_member: list[MemberFiguresOut] | None = Field(
        description="Secretariat only, for consortium totals: each member's figures"
    )
    withheld_agreements: list[str] = Field(
        description=(
            "Board only: numbers of agreements left out of every figure because fewer members' "
            "figures than the consortium's minimum group (3 by default) are behind them"
        )
    )


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "category_spend": row["category"] or Decimal("0.00"),
        "supplier_spend": row["supplier"] or Decimal("0.00"),
        "compliance": None if row["compliance"] is None else round_half_up(row["compliance"], 4),
        "savings": row["saved"] or Decimal("0.00"),
    }


@router.get(
    "/summary",
    response={200: ComplianceOut, 400: ErrorOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="compliance_summary",
)
def compliance_summary(
    request: HttpRequest,
    date_from: datetime.date | None = Query(None, description="From this month"),
    date_to: datetime.date | None = Query(None, description="To this date's month"),
    agreement: str | None = Query(None, max_length=30, description="Only this agreement number"),
    member_id: int | None = Query(None, description="Secretariat only: one member's figures"),
):
    """Compliance and savings per agreement and per month: your own member's, or (board and
    secretariat without member_id) the consortium's totals."""
    user = caller(request, ALL_ROLES)
    scope = selectors.figure_scope(user)
    member = None
    if scope.board:
        if member_id is not None:
            raise ApiError(403, "permission_denied", _("The board sees consortium totals only."))
    elif not (scope.per_member and member_id is None):
        member = member_for(request, member_id, ALL_ROLES)
    return _summary(scope.kind, member, date_from, date_to, agreement)


@stored()
def _summary(
    kind: str,
    member: Member | None,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    agreement: str | None,
) -> dict[str, Any]:
    """The summary of a scope (`FigureScope.kind`) or one member the caller may see: kept
    between requests until the figures change (a member's five years of figures per call)."""
    scope = selectors.FigureScope.of(kind, member)
    figures = scope.figures
    if member is not None and kind != "member":  # the secretariat asking for one member
        figures = figures.filter(member=member)
    if date_from:
        figures = figures.filter(month__gte=date_from.replace(day=1))
    if date_to:
        figures = figures.filter(month__lte=date_to)
    if agreement:
        figures = figures.filter(agreement__number=agreement)
    # As on the pages: for the board, an agreement's figures from only one or two members are
    # left out (they would be those members' own figures).
    figures, withheld = scope.shown(figures)
    by_member = None
    if member is None and scope.per_member:
        by_member = [
            {"member_id": r["member_id"], "member": r["member__organisation__name"], **_figures(r)}
            for r in selectors.totals_by_member(figures)
        ]
    return {
        "scope": Scope.CONSORTIUM if member is None else Scope.MEMBER,
        "member_id": member.pk if member else None,
        "member": member.name if member else None,
        "date_from": date_from,
        "date_to": date_to,
        "total": _figures(selectors.grand_total(figures)),
        "by_agreement": [
            {"agreement": r["agreement__number"], "title": r["agreement__title"], **_figures(r)}
            for r in selectors.totals_by_agreement(figures)
        ],
        "by_month": [
            {"month": f"{r['month']:%Y-%m}", **_figures(r)}
            for r in selectors.totals_by_month(figures)
        ],
        "by_member": by_member,
        "withheld_agreements": [row["agreement__number"] for row in withheld],
    }
