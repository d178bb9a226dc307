"""The insight pages: volume kept, framework consumption and money left on the table.

Every figure comes from `reports.figures.insight` (stored figures only). Who sees what follows
accounts/access.py: a member's users their own member's figures and invoice lines; the
secretariat every member's; the board consortium tables of numbers, with supplier rows only from
the minimum group of members (`min_group`). The settings pages live in insight/views.py.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import (
    ALL_ROLES,
    MEMBER_ROLES,
    SECRETARIAT_ROLES,
    has_role,
    member_of,
    min_group,
    role_required,
)
from accounts.models import Role
from agreements.models import Agreement
from consortium import charts
from consortium.xlsx import xlsx_response
from insight import selectors
from insight.services import off_contract_lines
from members.models import Member

from . import figures
from .exports import tables_to_xlsx
from .figures import insight as fig
from .tables import Table

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


def _years(member_id: int | None, year: int) -> list[int]:
    return sorted({*selectors.volume_kept_years(member_id), timezone.localdate().year, year},
                  reverse=True)  # fmt: skip


def member_for(user: Any, member_pk: int | None) -> Member:
    """The member whose figures `user` asks for: its own (officers and viewers), any (the
    secretariat); otherwise 404, so another member's figures are not even confirmed to exist."""
    if has_role(user, SECRETARIAT_ROLES):
        if member_pk is None:
            raise Http404
        return get_object_or_404(Member.objects.select_related("organisation"), pk=member_pk)
    own = member_of(user) if has_role(user, MEMBER_ROLES) else None
    if own is None or (member_pk is not None and member_pk != own.pk):
        raise Http404
    return own


def overview_tables(user: Any, year: int, member: Member | None) -> list[Table]:
    """The tables the overview shows `user` (also its XLSX export)."""
    if member is not None:
        bound = tuple(
            Agreement.objects.filter(members=member).order_by("pk").values_list("pk", flat=True)
        )
        return [
            fig.volume_kept_table(year, member),
            fig.off_contract_suppliers_table(year, member),
            fig.framework_consumption_table(bound) if bound else None,
        ]
    if has_role(user, SECRETARIAT_ROLES):
        return [
            fig.insight_by_member_table(year),
            fig.volume_kept_table(year),
            fig.framework_consumption_table(),
            fig.off_contract_suppliers_table(year),
        ]
    return [  # the board
        fig.insight_by_member_table(year),
        fig.framework_consumption_table(min_members=min_group(user)),
        fig.off_contract_suppliers_table(year, min_members=min_group(user)),
    ]


def _own_member(request: HttpRequest) -> Member | None:
    if has_role(request.user, MEMBER_ROLES):
        member = member_of(request.user)
        if member is None:
            raise Http404
        return member
    return None


@require_safe
@role_required(*ALL_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    member = _own_member(request)
    with figures.one_computation():
        tables = [t for t in overview_tables(request.user, year, member) if t is not None]
        summary = fig.member_insight_summary(year, member) if member else None
    chart_source = next((t for t in tables if t.slug == "off-contract-suppliers"), None)
    return TemplateResponse(
        request,
        "insight/overview.html",
        {
            "year": year,
            "years": _years(member.pk if member else None, year),
            "member": member,
            "summary": summary,
            "tables": tables,
            "chart": charts.bar_chart(chart_source, label="supplier", value="amount")
            if chart_source and chart_source.rows
            else "",
            "secretariat": has_role(request.user, SECRETARIAT_ROLES),
        },
    )


@require_safe
@role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
def money_left(request: HttpRequest, member_pk: int | None = None) -> HttpResponse:
    """Penge på bordet: one member's off-contract spend, the suppliers to talk to, drill-down."""
    if member_pk is None and has_role(request.user, SECRETARIAT_ROLES):
        return redirect("insight:overview")
    member = member_for(request.user, member_pk)
    year = _year(request)
    with figures.one_computation():
        suppliers = fig.off_contract_suppliers_table(year, member)
        by_agreement = fig.off_contract_table(year, member)
    return TemplateResponse(
        request,
        "insight/money_left.html",
        {
            "year": year,
            "years": _years(member.pk, year),
            "member": member,
            "suppliers": suppliers,
            "by_agreement": by_agreement,
            "chart": charts.bar_chart(suppliers, label="supplier", value="amount")
            if suppliers.rows
            else "",
        },
    )


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


@require_safe
@role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
def lines(request: HttpRequest, member_pk: int) -> HttpResponse:
    """The member's own off-contract invoice lines behind a figure, 50 to a page."""
    member = member_for(request.user, member_pk)
    year = _year(request)
    agreement_id = _int_param(request, "agreement")
    supplier_id = _int_param(request, "supplier")
    others = request.GET.get("others") == "1" and agreement_id is not None
    number = _int_param(request, "page") or 1
    page = off_contract_lines(
        member_id=member.pk, agreement_id=agreement_id, supplier_id=supplier_id, year=year,
        exclude_suppliers=selectors.named_suppliers(member.pk, agreement_id, year)
        if others else None,
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1,
    )  # fmt: skip
    if number > 1 and not page:
        raise Http404
    query = {
        "year": year,
        "agreement": agreement_id or "",
        "supplier": supplier_id or "",
        "others": "1" if others else "",
    }
    return TemplateResponse(
        request,
        "insight/lines.html",
        {
            "member": member,
            "year": year,
            "lines": page[:PAGE_SIZE],
            "page": number,
            "has_next": len(page) > PAGE_SIZE,
            "query": "&".join(f"{k}={v}" for k, v in query.items()),
            "agreement": Agreement.objects.filter(pk=agreement_id).first()
            if agreement_id
            else None,
            "supplier_name": page[0].supplier if page and supplier_id else "",
        },
    )


@require_safe
@role_required(*ALL_ROLES)
def export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    member = _own_member(request)
    with translation.override("da"), figures.one_computation():
        tables = [t for t in overview_tables(request.user, year, member) if t is not None]
        if member is not None:
            tables.insert(1, fig.off_contract_table(year, member))
        subtitle = str(year) if member is None else f"{member.name} {year}"
        body = tables_to_xlsx(tables, subtitle=subtitle)
    return xlsx_response(body, f"indsigt-{year}.xlsx")


@require_safe
@role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
def money_left_export(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = member_for(request.user, member_pk)
    year = _year(request)
    with translation.override("da"), figures.one_computation():
        tables = [
            fig.off_contract_suppliers_table(year, member),
            fig.off_contract_table(year, member),
        ]
        body = tables_to_xlsx(tables, subtitle=f"{member.name} {year}")
    return xlsx_response(body, f"penge-paa-bordet-{member.pk}-{year}.xlsx")


@require_safe
@role_required(*ALL_ROLES)
def agreement_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """For the agreement page: the framework's consumption (whoever sees the agreement) and, for
    the secretariat, the volume each bound member kept this year."""
    agreement = get_object_or_404(Agreement, pk=pk)
    year = _year(request)
    secretariat = has_role(request.user, SECRETARIAT_ROLES)
    with figures.one_computation():
        consumption = fig.framework_consumption_table(
            (agreement.pk,), min_members=min_group(request.user)
        )
        kept = fig.volume_kept_table(year, None, agreement.pk) if secretariat else None
    return TemplateResponse(
        request,
        "insight/_agreement.html",
        {
            "agreement": agreement,
            "year": year,
            "consumption": consumption,
            "row": consumption.rows[0] if consumption.rows else None,
            "kept": kept,
            "secretariat": secretariat,
            "title": _("Volume and framework maximum"),
        },
    )
