"""Volume kept, framework consumption and off-contract spend, from the stored insight figures
(insight.selectors; tenant data derived from members' declarations and spend).

As on the pages under /insight/: a member's users see their own member's figures; the secretariat
every member's (one member with `member_id`, or all); the board the framework consumption and the
consortium's suppliers outside the agreements, only those that at least the minimum group of
members bought from (`accounts.access.min_group`), the rest as one row.
"""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from accounts.access import (
    ALL_ROLES,
    MEMBER_ROLES,
    SECRETARIAT_ROLES,
    has_role,
    min_group,
    split_small_groups,
)
from accounts.models import Role
from insight import selectors

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND, ApiError, ErrorOut
from .spend import member_for

PREFIX = "/insight"
router = Router(tags=["insight"])
ZERO = Decimal("0.00")


class VolumeKeptRow(Schema):
    agreement: str = Field(description="Agreement number")
    title: str
    member_id: int
    member: str
    declared: Decimal = Field(
        description="Declared annual volume pro rata for the days in force in the year, DKK"
    )
    bought: Decimal = Field(description="Spend on the agreement in the year, DKK ex. VAT")
    ratio: Decimal | None = Field(description="bought ÷ declared; null when nothing declared")
    flag: str = Field(description='"low", "high" or ""')


class VolumeKeptOut(Schema):
    year: int
    member_id: int | None
    currency: str = "DKK"
    rows: list[VolumeKeptRow]
    declared: Decimal
    bought: Decimal


class ConsumptionRow(Schema):
    agreement: str
    title: str
    maximum: Decimal | None = Field(description="Maximum value over the agreement's life, DKK")
    maximum_source: str = Field(description='"entered", "pooled" or "" (none known)')
    consumed: Decimal | None = Field(
        description="Every bound member's spend on it over its life, DKK (board: null where "
        "fewer members than the minimum group bought on it)"
    )
    share: Decimal | None = Field(description="consumed ÷ maximum")
    level: str | None = Field(description='"ok", "warning" (≥ 80 %), "reached", "exceeded"')


class OffContractRow(Schema):
    agreement: str
    title: str
    supplier: str
    cvr: str
    amount: Decimal = Field(description="Off-contract spend, DKK ex. VAT")
    missed_savings: Decimal = Field(description="amount × the agreement's savings rate, DKK")


class SupplierRow(Schema):
    supplier: str
    cvr: str
    amount: Decimal
    missed_savings: Decimal


class MemberRow(Schema):
    member_id: int
    member: str
    volume_kept_ratio: Decimal | None
    off_contract_dkk: Decimal
    off_contract_share: Decimal | None
    missed_savings_dkk: Decimal


class OffContractOut(Schema):
    year: int
    member_id: int | None
    currency: str = "DKK"
    amount: Decimal
    missed_savings: Decimal
    by_agreement_supplier: list[OffContractRow] | None = Field(
        description="One member's rows (its own users, or the secretariat naming member_id)"
    )
    top_suppliers: list[SupplierRow] = Field(description="The ten suppliers with most spend")
    by_member: list[MemberRow] | None = Field(
        description="Consortium view (secretariat and board): each member's figures"
    )


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _member(request: HttpRequest, member_id: int | None) -> Any:
    """The member asked about, or None for the consortium (secretariat without member_id)."""
    user = caller(request, ALL_ROLES)
    if has_role(user, SECRETARIAT_ROLES) and member_id is None:
        return None
    if not has_role(user, SECRETARIAT_ROLES | MEMBER_ROLES):
        raise ApiError(403, "permission_denied", _("The board sees consortium totals only."))
    return member_for(request, member_id, ALL_ROLES)


@router.get(
    "/volume-kept",
    response={200: VolumeKeptOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="insight_volume_kept",
)
def volume_kept(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="Calendar year (default: this)"),
    member_id: int | None = Query(None, description="Secretariat: one member (default: all)"),
):
    """Per agreement × member: the declared volume, what was bought on the agreement, the ratio
    and the flag (below the secretariat's threshold, or above the declaration by its margin)."""
    member = _member(request, member_id)
    y = _year(year)
    rows = [
        r
        for r in selectors.volume_kept(y, member_id=member.pk if member else None)
        if r["declared"] or r["spend"]
    ]
    return {
        "year": y,
        "member_id": member.pk if member else None,
        "rows": [
            {
                "agreement": r["agreement"],
                "title": r["title"],
                "member_id": r["member_id"],
                "member": r["member"],
                "declared": r["declared"],
                "bought": r["spend"],
                "ratio": r["ratio"],
                "flag": str(r["flag"]),
            }
            for r in rows
        ],
        "declared": sum((r["declared"] for r in rows), ZERO),
        "bought": sum((r["spend"] for r in rows), ZERO),
    }


@router.get(
    "/framework-consumption",
    response={200: list[ConsumptionRow], **AUTH_ERRORS},
    url_name="insight_framework_consumption",
)
def framework_consumption(request: HttpRequest):
    """Each framework agreement's maximum value and how much of it the members have used over
    its life (udbudsloven § 93: a framework must not be used beyond its maximum)."""
    minimum = min_group(caller(request, ALL_ROLES))
    rows = []
    for r in selectors.framework_consumption():
        few = 0 < r["members"] < minimum  # the board: one or two members' own figure
        rows.append({
            "agreement": r["agreement"], "title": r["title"], "maximum": r["maximum"],
            "maximum_source": r["source"], "consumed": None if few else r["consumed"],
            "share": None if few else r["share"],
            "level": str(r["level"]) if r["level"] else None,
        })  # fmt: skip
    return rows


@router.get(
    "/off-contract",
    response={200: OffContractOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="insight_off_contract",
)
def off_contract(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100, description="Calendar year (default: this)"),
    member_id: int | None = Query(None, description="Secretariat: one member (default: all)"),
):
    """Spend in the categories of an agreement binding the member with suppliers not on it, and
    the savings it would have brought at the agreement's savings rate."""
    user = caller(request, ALL_ROLES)
    y = _year(year)
    board = has_role(user, {Role.BOARD_MEMBER})
    if board and member_id is not None:
        raise ApiError(403, "permission_denied", _("The board sees consortium totals only."))
    member = None if board else _member(request, member_id)
    suppliers = selectors.off_contract_by_supplier(y, member_id=member.pk if member else None)
    minimum = min_group(user) if member is None else 1
    shown, small = split_small_groups(
        suppliers, members=lambda r: r["members"], min_members=minimum
    )
    top = [
        {"supplier": r["supplier"], "cvr": r["cvr"], "amount": r["amount"],
         "missed_savings": r["missed"]}
        for r in shown[:10]
    ]  # fmt: skip
    if small and minimum > 1:
        top.append(
            {
                "supplier": _("Other suppliers (fewer than %(count)s members)")
                % {"count": minimum},
                "cvr": "",
                "amount": sum((r["amount"] for r in small), ZERO),
                "missed_savings": sum((r["missed"] for r in small), ZERO),
            }
        )
    by_row = None
    by_member = None
    if member is not None:
        rows = selectors.off_contract_by_agreement_supplier(y, member_id=member.pk)
        by_row = [
            {"agreement": r["agreement"], "title": r["title"], "supplier": r["supplier"],
             "cvr": r["cvr"], "amount": r["amount"], "missed_savings": r["missed"]}
            for r in rows
        ]  # fmt: skip
        amount = sum((r["amount"] for r in rows), ZERO)
        missed = sum((r["missed"] for r in rows), ZERO)
    else:
        members = selectors.off_contract_by_member(y)
        by_member = [
            {"member_id": m["member_id"], "member": m["member"],
             "volume_kept_ratio": m["volume_kept_ratio"], "off_contract_dkk": m["off_contract_dkk"],
             "off_contract_share": m["off_contract_share"],
             "missed_savings_dkk": m["missed_savings_dkk"]}
            for m in members
        ]  # fmt: skip
        amount = sum((m["off_contract_dkk"] for m in members), ZERO)
        missed = sum((m["missed_savings_dkk"] for m in members), ZERO)
    return {
        "year": y,
        "member_id": member.pk if member else None,
        "amount": amount,
        "missed_savings": missed,
        "by_agreement_supplier": by_row,
        "top_suppliers": top,
        "by_member": by_member,
    }


__all__ = ["ErrorOut", "router"]
