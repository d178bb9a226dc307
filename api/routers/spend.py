# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""The caller's own spend: aggregates of its member's invoice lines, and spend-file upload.

Spend is tenant data: members see their own member's figures, the secretariat names the member,
the board sees none of it here (its aggregates are computed by selectors that say so).
"""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.access import MEMBER_ROLES, SECRETARIAT_ROLES, has_role, member_of
from accounts.models import Role
from consortium.figure_store import stored
from members.models import Member
from spend.importing import FileRejected
from spend.models import SpendLine, SpendMonth, SupplierSpend
from spend.services import spend_import_start

from ..auth import caller, require_write_scope
from ..errors import AUTH_ERRORS, NOT_FOUND, ApiError, ErrorOut
from ..filters import CPV_FILTER, cpv_prefix
from ..rendering import JSONRenderer

PREFIX = "/spend"
router = Router(tags=["spend"])


class GroupBy(StrEnum):
    MONTH = "month"
    SUPPLIER = "supplier"
    CPV = "cpv"


class SpendRowOut(Schema):
    key: str = Field(description="2026-03 (month), the supplier's CVR, or the CPV code")
    label: str
    amount: Decimal = Field(description="DKK excluding VAT")
    lines: int


class SpendSummaryOut(Schema):
    member_id: int
    member: str
    group_by: GroupBy
    date_from: datetime.date | None
    date_to: datetime.date | None
    currency: str = "DKK"
    total: Decimal
    rows: list[SpendRowOut]


class SpendUploadOut(Schema):
    job_id: str
    job_url: str = Field(description="Poll this API URL until state is succeeded or failed")
    page_url: str = Field(description="The same job in the portal")


def member_for(request: HttpRequest, member_id: int | None, roles: frozenset[str]) -> Member:
    """The member whose spend the caller asks about: their own, or the one the secretariat names
    (another member's answers 404, exactly as if it did not exist)."""
    user = caller(request, roles)
    if member_id is None:
        if has_role(user, SECRETARIAT_ROLES):
            raise ApiError(400, "member_required", _("Name the member with member_id."))
        member = member_of(user)
    else:
        visible = Member.objects.visible_to(user).select_related("organisation")
        member = visible.filter(pk=member_id).first()
    if member is None:
        raise ApiError(404, "not_found", _("Not found."))
    return member


def _grouped(lines: QuerySet[SpendLine], group_by: GroupBy) -> list[dict[str, Any]]:
    totals = {"amount": Sum("amount"), "lines": Count("pk")}
    if group_by is GroupBy.MONTH:
        rows = lines.annotate(month=TruncMonth("invoice_date")).values("month").annotate(**totals)
        return [
            {"key": f"{r['month']:%Y-%m}", "label": f"{r['month']:%m/%Y}", **_t(r)}
            for r in rows.order_by("month")
        ]
    if group_by is GroupBy.SUPPLIER:
        rows = lines.values(key=F("supplier__cvr"), label=F("supplier__name")).annotate(**totals)
        return [{"key": r["key"], "label": r["label"], **_t(r)} for r in rows.order_by("-amount")]
    # The CPV label in the caller's language (api/language.py), as CpvCode.label chooses it.
    label = "cpv__label_en" if (get_language() or "en").startswith("en") else "cpv__label_da"
    rows = lines.values(key=F("cpv__code"), label=F(label)).annotate(**totals)
    return [
        {"key": r["key"] or "", "label": r["label"] or _("Without a CPV code"), **_t(r)}
        for r in rows.order_by("-amount")
    ]


def _summary_rows(
    member: Member,
    group_by: GroupBy,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    cpv: str | None,
) -> list[dict[str, Any]]:
    """A member's spend grouped (the caller may see the member: `member_for`). Whole months by
    month, and whole years by supplier, come from the sums the database keeps per month
    (`SpendMonth`) and per supplier and year (`SupplierSpend`); the rest from the lines."""
    if cpv is None and group_by is GroupBy.MONTH and _whole(date_from, date_to, month=True):
        months = SpendMonth.objects.filter(member=member)
        if date_from:
            months = months.filter(month__gte=date_from)
        if date_to:
            months = months.filter(month__lte=date_to)
        return [
            {"key": f"{m.month:%Y-%m}", "label": f"{m.month:%m/%Y}", **_t(m.__dict__)}
            for m in months.order_by("month")
        ]
    if cpv is None and group_by is GroupBy.SUPPLIER and _whole(date_from, date_to, month=False):
        years = SupplierSpend.objects.filter(member=member)
        if date_from:
            years = years.filter(year__gte=date_from.year)
        if date_to:
            years = years.filter(year__lte=date_to.year)
        rows = years.values(key=F("supplier__cvr"), label=F("supplier__name")).annotate(
            amount=Sum("amount"), lines=Sum("lines")
        )
        return [{"key": r["key"], "label": r["label"], **_t(r)} for r in rows.order_by("-amount")]
    lines = SpendLine.objects.filter(member=member)
    if date_from:
        lines = lines.filter(invoice_date__gte=date_from)
    if date_to:
        lines = lines.filter(invoice_date__lte=date_to)
    if cpv:
        lines = lines.filter(cpv__code8__startswith=cpv_prefix(cpv))
    return _grouped(lines, group_by)


def _whole(start: datetime.date | None, end: datetime.date | None, *, month: bool) -> bool:
    """Whether start..end (either open) covers whole months (or whole years)."""
    if start is not None and (start.day != 1 or (not month and start.month != 1)):
        return False
    if end is None:
        return True
    after = end + datetime.timedelta(days=1)
    return after.day == 1 and (month or after.month == 1)


def _t(row: dict[str, Any]) -> dict[str, Any]:
    return {"amount": row["amount"] or Decimal("0.00"), "lines": row["lines"]}


@router.get(
    "/summary",
    response={200: SpendSummaryOut, 400: ErrorOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="spend_summary",
)
def spend_summary(
    request: HttpRequest,
    group_by: GroupBy = GroupBy.MONTH,
    date_from: datetime.date | None = Query(None, description="Invoice date ≥"),
    date_to: datetime.date | None = Query(None, description="Invoice date ≤"),
    cpv: str | None = Query(None, pattern=r"^\d{2,8}$", description=CPV_FILTER),
    member_id: int | None = Query(None, description="Secretariat only: whose spend"),
):
    """Sums of the caller's member's spend (ex. VAT, DKK) by month, supplier or CPV code."""
    member = member_for(request, member_id, SECRETARIAT_ROLES | MEMBER_ROLES)
    body = _summary_json(member, group_by, date_from, date_to, cpv)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@stored()
def _summary_json(
    member: Member,
    group_by: GroupBy,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    cpv: str | None,
) -> bytes:
    """The answer as it goes out (`SpendSummaryOut`, rendered as every answer of the API is),
    kept until the spend changes (in each language: the CPV labels): a member of a national body buys from some 10,000 suppliers a
    year, and checking and writing that many rows took 200 ms at every call."""
    rows = _summary_rows(member, group_by, date_from, date_to, cpv)
    summary = SpendSummaryOut(
        member_id=member.pk,
        member=member.name,
        group_by=group_by,
        date_from=date_from,
        date_to=date_to,
        total=sum((r["amount"] for r in rows), Decimal("0.00")),
        rows=rows,
    )
    return JSONRenderer().render(None, summary.model_dump(), response_status=200).encode()


@router.post(
    "/uploads",
    response={
        202: SpendUploadOut,
        400: ErrorOut,
        **AUTH_ERRORS,
        **NOT_FOUND,
    },
    url_name="spend_upload",
)
def spend_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    member_id: Form[int | None] = None,
):
    """Upload a spend file (CSV/XLSX export from the ERP); answers a job URL to poll."""
    member = member_for(request, member_id, SECRETARIAT_ROLES | {Role.OFFICER})
    require_write_scope(request)
    try:
        job = spend_import_start(member=member, uploaded_file=file, user=request.auth)
    except FileRejected as exc:
        raise ApiError(400, "not_a_spend_file", str(exc)) from None
    job_url = request.build_absolute_uri(reverse("api:job_detail", kwargs={"job_id": job.pk}))
    page_url = request.build_absolute_uri(job.get_absolute_url())
    return Status(202, {"job_id": str(job.pk), "job_url": job_url, "page_url": page_url})
