"""Agreements, renewal planning, and compliance and savings pages.

Agreements are shared data. Compliance figures come from members' spend: the secretariat sees
every member's, a member's users their own member's, and the board only consortium aggregates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import (
    SECRETARIAT_ROLES,
    any_role,
    get_visible_or_404,
    has_role,
    min_group,
    role_required,
    secretariat_only,
)
from accounts.models import Role
from consortium.charts import Bar, overlap_bar_chart
from consortium.figure_store import stored
from consortium.xlsx import Book, table_xlsx, xlsx_response
from knowledge.models import Status as ArticleStatus
from members.models import Member
from tenders.models import ProcedureType

from . import selectors
from .exports import compliance_columns, outside_columns, outside_note
from .forms import DocumentForm, PeriodForm, SuccessorForm
from .models import Agreement, AgreementDocument, ComplianceFigure, ExtensionOption
from .renewal import horizon_months, procedure_plans
from .services import agreement_document_add, agreement_use_option, compliance_recompute_enqueue
from .status import AgreementStatus


def requested_year(request: HttpRequest) -> int | None:
    form = PeriodForm(request.GET)
    return (form.cleaned_data.get("year") if form.is_valid() else None) or None


def chosen_year(request: HttpRequest, figures: QuerySet[ComplianceFigure]) -> tuple[int, list[int]]:
    years = selectors.figure_years(figures)
    return requested_year(request) or selectors.default_year(years), years


def year_figures(figures: QuerySet[ComplianceFigure], year: int) -> QuerySet[ComplianceFigure]:
    return figures.filter(month__year=year)


def month_chart(rows: list[dict[str, Any]], chart_id: str, title: str) -> str:
    bars = [
        Bar(date_format(r["month"], "M Y" if len(rows) > 12 else "M"), r["category"] or 0,
            r["supplier"] or 0)
        for r in rows
    ]  # fmt: skip
    return overlap_bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        description=_(
            "Spend per month in the agreements' categories and, in front, the part with the agreements' suppliers. The table below holds the same figures."
        ),
        total_label=_("Spend in the categories"),
        part_label=_("Spend with the agreement's suppliers"),
    )


# --- agreements ----------------------------------------------------------------------------------


@require_safe
@any_role
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.with_status().prefetch_related("supplier_links__supplier")
    status = request.GET.get("status", "")
    if status in AgreementStatus.values:
        agreements = agreements.filter(current_status=status)
    # A page at a time: a national body holds thousands of agreements.
    page = Paginator(agreements, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "agreements/list.html",
        {
            "page": page,
            "agreements": page.object_list,
            "status": status,
            "statuses": AgreementStatus.choices,
            "editor": has_role(request.user, SECRETARIAT_ROLES),
        },
    )


@require_safe
@any_role
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        Agreement.objects.select_related("tender", "successor_tender", "lot"), pk=pk
    )
    scope = selectors.figure_scope(request.user)
    figures = scope.figures.filter(agreement=agreement)
    year, years = chosen_year(request, figures)
    in_year, hidden = scope.shown(year_figures(figures, year))
    months = selectors.totals_by_month(in_year)
    editor = has_role(request.user, SECRETARIAT_ROLES)
    renewal = selectors.renewal_item(agreement, timezone.localdate())
    successor = _successor_part(agreement) if editor else {"candidates": [], "form": ""}
    context = {
        "agreement": agreement,
        "suppliers": agreement.supplier_links.select_related("supplier"),
        "options": agreement.options.all(),
        "members": agreement.members.select_related("organisation"),
        "categories": agreement.categories.all(),
        "articles": agreement.related_articles.filter(status=ArticleStatus.PUBLISHED).order_by("title"),
        "documents": agreement.documents.all() if selectors.may_see_documents(request.user, agreement) else None,
        "renewal": renewal,
        "scope": scope,
        "year": year,
        "years": years,
        "months": months,
        "hidden": hidden,
        "min_members": selectors.board_min_members(),
        "total": selectors.grand_total(in_year),
        "by_member": selectors.totals_by_member(in_year) if scope.per_member else None,
        "chart": month_chart(months, "agreement-chart", _("Spend per month, %(year)s") % {"year": year}) if months else "",
        "editor": editor,
        "gaps": selectors.registration_gaps(agreement) if editor else [],
        "candidates": successor["candidates"],
        "successor_form": successor["form"],
        "document_form": DocumentForm() if editor else None,
    }  # fmt: skip
    return TemplateResponse(request, "agreements/detail.html", context)


@stored()
def _successor_part(agreement: Agreement) -> dict[str, Any]:
    """The secretariat's choice of a successor tender: the open tenders in the agreement's
    categories and the form listing every tender, kept rendered until the tenders or the
    agreement change (a national body has 600 tenders: some 150 ms at every visit, 20 ms at
    the first visit of an agreement with the tenders' lists kept)."""
    candidates = selectors.successor_candidates(agreement)
    own = agreement.tender_id
    form = SuccessorForm(
        initial={"successor_tender": agreement.successor_tender_id},
        choices=selectors.successor_choices(agreement),
        suggested=candidates,
        labels=[(pk, label) for pk, label in selectors.successor_labels() if pk != own],
    )
    return {"candidates": candidates, "form": str(form)}


@require_safe
@any_role
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Stream a document to the secretariat, the board and the bound members; 404 to others."""
    document = get_object_or_404(AgreementDocument, pk=document_pk, agreement_id=pk)
    if not selectors.may_see_documents(request.user, document.agreement):
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or "application/octet-stream",
    )


@require_POST
@secretariat_only
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        agreement_document_add(
            agreement=agreement, title=form.cleaned_data["title"],
            file=form.cleaned_data["file"], user=request.user,
        )  # fmt: skip
        messages.success(request, _("The document was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(agreement)


@require_POST
@secretariat_only
def option_use(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    option = get_object_or_404(
        ExtensionOption.objects.select_related("agreement"), pk=option_pk, agreement_id=pk
    )
    try:
        agreement = agreement_use_option(
            agreement=option.agreement, option=option, user=request.user
        )
    except ValueError:
        messages.error(request, _("Use the options in order, each only once."))
        return redirect(option.agreement)
    messages.success(
        request,
        _("The option was used. The agreement now ends on %(date)s.")
        % {"date": date_format(agreement.end_date, "SHORT_DATE_FORMAT")},
    )
    return redirect(agreement)


@require_safe
@any_role
def renewals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "agreements/renewals.html",
        {
            "items": selectors.renewal_plan(),
            "horizon": horizon_months(),
            "plans": procedure_plans(today.replace(day=1) + relativedelta(months=18, days=-1)),
            "procedure_labels": ProcedureType.choices,
            "today": today,
        },
    )


# --- compliance and savings ----------------------------------------------------------------------


@require_safe
@any_role
def compliance_overview(request: HttpRequest) -> HttpResponse:
    scope = selectors.figure_scope(request.user)
    context = {"scope": scope, **compliance_body(scope.kind, scope.member, requested_year(request))}
    return TemplateResponse(request, "agreements/compliance.html", context)


@stored()
def compliance_body(kind: str, member: Member | None, requested: int | None) -> dict[str, Any]:
    """The compliance overview's figures, chart and tables, kept rendered between requests until
    the figures change: a year's tables list every agreement and member (1,300 rows and 400 kB
    of HTML on the national data set, a few hundred milliseconds of template work each time)."""
    overview = selectors.compliance_overview(kind, member, requested)
    months, year = overview["months"], overview["year"]
    context = {
        **overview,
        "min_members": selectors.board_min_members(),
        "chart": month_chart(months, "overview-chart", _("Spend per month, %(year)s") % {"year": year}) if months else "",
    }  # fmt: skip
    return {
        "year": year,
        "years": overview["years"],
        "body": render_to_string("agreements/_compliance_body.html", context),
    }


@require_safe
@role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
def member_compliance(request: HttpRequest, member_pk: int) -> HttpResponse:
    """One member's compliance: the secretariat for any member, a member's users for their own."""
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    figures = ComplianceFigure.objects.visible_to(request.user).filter(member=member)
    year, years = chosen_year(request, figures)
    in_year = year_figures(figures, year)
    months = selectors.totals_by_month(in_year)
    context = {
        "member": member,
        "year": year,
        "years": years,
        "by_agreement": selectors.totals_by_agreement(in_year),
        "months": months,
        "total": selectors.grand_total(in_year),
        "chart": month_chart(months, "member-chart", _("Spend per month, %(year)s") % {"year": year}) if months else "",
    }  # fmt: skip
    return TemplateResponse(request, "agreements/member.html", context)


def outside_period(request: HttpRequest) -> tuple[datetime.date, datetime.date, int]:
    form = PeriodForm(request.GET)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or timezone.localdate().year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), year


def outside_rows(
    request: HttpRequest, limit: int
) -> tuple[list[dict[str, Any]], int, selectors.FigureScope]:
    """The outside-agreement suppliers the user may see: a member's users their member's, the
    secretariat and the board everyone's — the board only suppliers enough members bought from
    (`accounts.access.min_group`), the others folded into one row; a member user without a
    member (an organisation not yet registered as one) nothing."""
    scope = selectors.figure_scope(request.user)
    start, end, year = outside_period(request)
    if not scope.per_member and not scope.board and scope.member is None:
        return [], year, scope
    rows = selectors.top_suppliers_outside_agreements(
        start=start,
        end=end,
        member_id=scope.member.pk if scope.member else None,
        limit=limit,
        min_members=min_group(request.user),
    )
    return rows, year, scope


@require_safe
@any_role
def outside_suppliers(request: HttpRequest) -> HttpResponse:
    """Spend with suppliers not on an agreement in force for the member: the next tenders."""
    rows, year, scope = outside_rows(request, limit=25)
    note = outside_note(rows, min_members=min_group(request.user))
    return TemplateResponse(
        request,
        "agreements/outside.html",
        {"rows": rows, "year": year, "scope": scope, "note": note},
    )


def _figure_rows(figures: QuerySet[ComplianceFigure], *, per_member: bool) -> Iterable[tuple]:
    """Export rows: per agreement, member and month, or per agreement and month (aggregated)."""
    if per_member:
        return (
            (f.agreement.number, f.agreement.title, f.member.name, f.month, f.category_spend,
             f.supplier_spend, f.compliance, f.savings)
            for f in figures.select_related("agreement", "member__organisation").order_by(
                "agreement__number", "member__organisation__name", "month")
        )  # fmt: skip
    return (
        (r["agreement__number"], r["agreement__title"], r["month"], r["category"],
         r["supplier"], r["compliance"], r["saved"])
        for r in selectors.totals_by_agreement_month(figures)
    )  # fmt: skip


@require_safe
@any_role
def export_compliance(request: HttpRequest) -> HttpResponse:
    scope = selectors.figure_scope(request.user)
    year, _years = chosen_year(request, scope.figures)
    in_year, _hidden = scope.shown(year_figures(scope.figures, year))
    data = table_xlsx(
        "Aftaleoverholdelse",
        compliance_columns(per_member=scope.per_member),
        _figure_rows(in_year, per_member=scope.per_member),
    )
    return xlsx_response(data, f"aftaleloyalitet-{year}.xlsx")


@require_safe
@any_role
def export_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement page's figures as a spreadsheet, at the detail the user may see."""
    agreement = get_object_or_404(Agreement, pk=pk)
    scope = selectors.figure_scope(request.user)
    figures = scope.figures.filter(agreement=agreement)
    year, _years = chosen_year(request, figures)
    in_year, _hidden = scope.shown(year_figures(figures, year))
    data = table_xlsx(
        "Aftaleoverholdelse",
        compliance_columns(per_member=scope.per_member),
        _figure_rows(in_year, per_member=scope.per_member),
    )
    return xlsx_response(data, f"aftaleloyalitet-{slugify(agreement.number)}-{year}.xlsx")


@require_safe
@role_required(*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)
def export_member(request: HttpRequest, member_pk: int) -> HttpResponse:
    """One member's figures per agreement and month (the member page as a spreadsheet)."""
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    figures = ComplianceFigure.objects.visible_to(request.user).filter(member=member)
    year, _years = chosen_year(request, figures)
    data = table_xlsx(
        "Aftaleoverholdelse",
        compliance_columns(per_member=True),
        _figure_rows(year_figures(figures, year), per_member=True),
    )
    return xlsx_response(data, f"aftaleloyalitet-{member.organisation.slug}-{year}.xlsx")


@require_safe
@any_role
def export_outside(request: HttpRequest) -> HttpResponse:
    rows, year, _scope = outside_rows(request, limit=500)
    book = Book()
    sheet = book.sheet("Leverandører uden aftale")
    sheet.header(outside_columns())
    for r in rows:
        sheet.append([r["supplier__cvr"], r["supplier__name"], r["total"]])
    with translation.override("da"):
        note = outside_note(rows, min_members=min_group(request.user))
    if note:
        sheet.blank()
        sheet.note(note)
    return xlsx_response(book.to_bytes(), f"leverandoerer-uden-aftale-{year}.xlsx")


@require_POST
@secretariat_only
def recompute(request: HttpRequest) -> HttpResponse:
    job = compliance_recompute_enqueue(user=request.user)
    return redirect(job)
