"""Dashboards, board report packs, member scorecards and table exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import SECRETARIAT_ROLES, role_required
from accounts.models import Role, User
from consortium.pdf import render_pdf
from members.models import Member

from . import charts, figures
from .exports import tables_to_xlsx
from .models import ReportPack
from .packs import pack_sections
from .periods import Period, PeriodError, current_year_period, parse_period, period_choices
from .tables import Table
from .tasks import board_pack_enqueue

BOARD_AND_SECRETARIAT = (*SECRETARIAT_ROLES, Role.BOARD_MEMBER)
MEMBER_SIDE = (*SECRETARIAT_ROLES, Role.OFFICER, Role.VIEWER)


def _period(request: HttpRequest) -> Period:
    key = request.GET.get("period")
    if not key:
        return current_year_period()
    try:
        return parse_period(key)
    except PeriodError:
        raise Http404 from None


def _member_for(user: User, member_pk: int) -> Member:
    """A member's scorecard is for its own users and the secretariat; others get 404."""
    member = get_object_or_404(Member.objects.select_related("organisation"), pk=member_pk)
    if user.role not in SECRETARIAT_ROLES and user.organisation_id != member.organisation_id:
        raise Http404
    return member


def _xlsx(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@role_required(*BOARD_AND_SECRETARIAT, Role.OFFICER, Role.VIEWER)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Consortium-wide figures for the secretariat and the board; members see their scorecard."""
    if request.user.role in (Role.OFFICER, Role.VIEWER):
        member = Member.objects.filter(organisation=request.user.organisation_id).first()
        if member is None:
            raise Http404
        return redirect("reports:scorecard", member_pk=member.pk)
    period = _period(request)
    context = {
        "period": period,
        "period_caption": figures.period_caption(period),
        "periods": period_choices(),
        "key_figures": figures.key_figures_with_trend(period),
        "sections": pack_sections(period),
        "operations": [figures.volume_collection_table(), figures.recent_imports_table()]
        if request.user.role in SECRETARIAT_ROLES
        else [],
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


def _dashboard_tables(period: Period) -> dict[str, Table]:
    return {t.slug: t for s in pack_sections(period) for t in s.tables}


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def table_export(request: HttpRequest, slug: str) -> HttpResponse:
    period = _period(request)
    table = _dashboard_tables(period).get(slug)
    if table is None:
        raise Http404
    data = tables_to_xlsx([table], subtitle=figures.period_caption(period))
    return _xlsx(f"{slug}-{period.key}.xlsx", data)


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def pack_list(request: HttpRequest) -> HttpResponse:
    packs = ReportPack.objects.select_related("created_by", "meeting")[:200]
    return TemplateResponse(
        request, "reports/packs.html", {"packs": packs, "periods": period_choices()}
    )


@require_POST
@role_required(*SECRETARIAT_ROLES)
def pack_generate(request: HttpRequest) -> HttpResponse:
    try:
        period = parse_period(request.POST.get("period", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:pack_list")
    job = board_pack_enqueue(period=period.key, user=request.user)
    return redirect(job.get_absolute_url())


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def pack_download(request: HttpRequest, pk: int) -> FileResponse:
    pack = get_object_or_404(ReportPack, pk=pk)
    return FileResponse(pack.file.open("rb"), as_attachment=True, filename=pack.filename)


def _scorecard_context(member: Member, period: Period) -> dict[str, object]:
    participation = figures.member_participation_table(member, period)
    spend = figures.member_spend_by_month_table(member, period)
    suppliers = figures.member_top_suppliers_table(member, period)
    deadlines = figures.member_deadlines_table(member)
    compliance = figures.compliance_by_agreement_table(period, member)
    outside = figures.member_outside_agreements_table(member, period)
    return {
        "title": _("Scorecard for %(member)s, %(period)s")
        % {"member": member.name, "period": period.label},
        "member": member,
        "period": period,
        "period_caption": figures.period_caption(period),
        "key_figures": figures.member_key_figures(member, period),
        "tables": [deadlines, compliance, participation, spend, outside, suppliers],
        "charts": {
            "member-spend-by-month": charts.column_chart(spend, label="short", series=["spend"])
        },
    }


@require_safe
@role_required(*MEMBER_SIDE)
def scorecard(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for(request.user, member_pk)
    period = _period(request)
    context = {**_scorecard_context(member, period), "periods": period_choices()}
    return TemplateResponse(request, "reports/scorecard.html", context)


@require_safe
@role_required(*MEMBER_SIDE)
def scorecard_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = _member_for(request.user, member_pk)
    period = _period(request)
    pdf = render_pdf("reports/pdf/scorecard.html", _scorecard_context(member, period))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="scorecard-{member.pk}-{period.key}.pdf"'
    )
    return response
