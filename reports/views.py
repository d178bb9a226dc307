"""Dashboards, board meetings, board report packs, member scorecards and table exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    MEMBER_ROLES,
    SECRETARIAT_ROLES,
    get_visible_or_404,
    has_role,
    member_of,
    role_required,
    sees_members_own_words,
)
from accounts.models import Role
from consortium.db.routers import reads_reports_replica
from consortium.forms import add_service_errors
from consortium.pdf import render_pdf
from consortium.xlsx import xlsx_response
from members.models import Member

from . import dashboards, figures
from .exports import tables_to_xlsx
from .forms import BoardMeetingForm
from .models import BoardMeeting, ReportPack
from .packs import pack_sections
from .periods import Period, PeriodError, current_year_period, parse_period, period_choices
from .services import board_meeting_delete, board_meeting_save
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


def _xlsx(filename: str, table: Table | None, period: Period) -> HttpResponse:
    """The table as a spreadsheet; always Danish (it is built inside `translation.override`)."""
    if table is None:
        raise Http404
    return xlsx_response(tables_to_xlsx([table], subtitle=figures.period_caption(period)), filename)


@require_safe
@role_required(*BOARD_AND_SECRETARIAT, Role.OFFICER, Role.VIEWER)
@reads_reports_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """Consortium-wide figures for the secretariat and the board; members see their scorecard."""
    if has_role(request.user, MEMBER_ROLES):
        member = member_of(request.user)
        if member is None:
            raise Http404
        return redirect("reports:scorecard", member_pk=member.pk)
    period = _period(request)
    secretariat = has_role(request.user, SECRETARIAT_ROLES)
    context = {
        "period": period,
        "periods": period_choices(),
        **dashboards.reports_page(period, secretariat),
    }
    return TemplateResponse(request, "reports/dashboard.html", context)


def _dashboard_table(request: HttpRequest, period: Period, slug: str) -> Table | None:
    """The table `slug` of the dashboard as this user sees it, or None."""
    if slug == "key-figure-trend":
        return figures.key_figure_trend(period).table
    if has_role(request.user, SECRETARIAT_ROLES):
        operations: dict[str, Callable[[Period], Table]] = {
            "volume-collection": figures.volume_collection_table,
            "recent-imports": figures.recent_imports_table,
        }
        if slug in operations:
            return operations[slug](period)
    return next((t for s in pack_sections(period) for t in s.tables if t.slug == slug), None)


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
@reads_reports_replica
def table_export(request: HttpRequest, slug: str) -> HttpResponse:
    period = _period(request)
    with translation.override("da"):
        return _xlsx(f"{slug}-{period.key}.xlsx", _dashboard_table(request, period, slug), period)


# --- board meetings ------------------------------------------------------------------------------


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def meeting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = list(BoardMeeting.objects.prefetch_related("packs"))
    return TemplateResponse(
        request,
        "reports/meetings.html",
        {
            "upcoming": [m for m in meetings if m.date >= today],
            "past": [m for m in reversed(meetings) if m.date < today],
        },
    )


def _meeting_form(request: HttpRequest, meeting: BoardMeeting, title: str) -> HttpResponse:
    form = BoardMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            board_meeting_save(meeting=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The board meeting is saved."))
            return redirect("reports:meeting_list")
    return TemplateResponse(
        request,
        "reports/meeting_form.html",
        {"form": form, "title": title, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def meeting_new(request: HttpRequest) -> HttpResponse:
    return _meeting_form(request, BoardMeeting(), _("New board meeting"))


@require_http_methods(["GET", "POST"])
@role_required(*SECRETARIAT_ROLES)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    return _meeting_form(request, meeting, str(meeting))


@require_POST
@role_required(*SECRETARIAT_ROLES)
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    board_meeting_delete(meeting=get_object_or_404(BoardMeeting, pk=pk))
    messages.success(request, _("The board meeting is deleted."))
    return redirect("reports:meeting_list")


# --- board report packs --------------------------------------------------------------------------


@require_safe
@role_required(*BOARD_AND_SECRETARIAT)
def pack_list(request: HttpRequest) -> HttpResponse:
    packs = ReportPack.objects.select_related("created_by", "meeting")[:200]
    context = {
        "packs": packs,
        "periods": period_choices(),
        "pack_days": settings.REPORT_PACK_DAYS_BEFORE_MEETING,
    }
    return TemplateResponse(request, "reports/packs.html", context)


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


# --- member scorecards ---------------------------------------------------------------------------


def _scorecard_tables(member: Member, period: Period, user: Any) -> list[Table]:
    return dashboards.scorecard_tables(member, period, sees_members_own_words(user, member))


def _scorecard_context(member: Member, period: Period, user: Any) -> dict[str, object]:
    return {
        "title": _("Scorecard for %(member)s, %(period)s")
        % {"member": member.name, "period": period.label},
        "member": member,
        "period": period,
        **dashboards.scorecard(member, period, sees_members_own_words(user, member)),
    }


@require_safe
@role_required(*MEMBER_SIDE)
@reads_reports_replica
def scorecard(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    period = _period(request)
    context = {**_scorecard_context(member, period, request.user), "periods": period_choices()}
    return TemplateResponse(request, "reports/scorecard.html", context)


@require_safe
@role_required(*MEMBER_SIDE)
@reads_reports_replica
def scorecard_pdf(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    period = _period(request)
    # Built inside the override: titles and labels are computed when the context is made.
    with translation.override("da"):
        pdf = render_pdf(
            "reports/pdf/scorecard.html", _scorecard_context(member, period, request.user)
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="scorecard-{member.pk}-{period.key}.pdf"'
    )
    return response


@require_safe
@role_required(*MEMBER_SIDE)
def scorecard_export(request: HttpRequest, member_pk: int, slug: str) -> HttpResponse:
    member = get_visible_or_404(
        Member.objects.select_related("organisation"), request.user, pk=member_pk
    )
    period = _period(request)
    with translation.override("da"):
        table = next(
            (t for t in _scorecard_tables(member, period, request.user) if t.slug == slug), None
        )
        return _xlsx(f"{slug}-{member.pk}-{period.key}.xlsx", table, period)
