"""Background work of the reports app."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role
from consortium import tenancy
from jobs.models import Job
from jobs.runner import JobOutcome, job_task, report
from jobs.services import job_enqueue
from members.models import Member

from .models import BoardMeeting, ReportPack
from .periods import current_year_period, parse_period
from .services import report_pack_create


@job_task(name="reports.render_board_pack", soft_time_limit=600, time_limit=660)
def render_board_pack(job: Job, *, period: str, meeting_id: int | None = None) -> JobOutcome:
    """Render the board report pack for a period and archive it as a new version."""
    report(job, 10, _("Computing the figures"))
    meeting = BoardMeeting.objects.filter(pk=meeting_id).first() if meeting_id else None
    pack = report_pack_create(
        period=parse_period(period), user=job.started_by, job=job, meeting=meeting
    )
    report(job, 95, _("Archiving"))
    return JobOutcome(
        message=_("Board report %(period)s, version %(version)s, is ready (%(pages)s pages).")
        % {"period": period, "version": pack.version, "pages": pack.pages},
        result={"pack_id": pack.pk},
        result_url=reverse("reports:pack_download", args=[pack.pk]),
    )


def board_pack_enqueue(*, period: str, user, meeting: BoardMeeting | None = None) -> Job:
    return job_enqueue(
        task_name="reports.render_board_pack",
        kind="report_pack",
        title=_("Board report %(period)s") % {"period": period},
        user=user,
        organisation=None if user else Organisation.objects.get(kind=Organisation.Kind.SECRETARIAT),
        task_kwargs={"period": period, "meeting_id": meeting.pk if meeting else None},
    )


@shared_task(name="reports.packs_before_meetings")
def packs_before_meetings(today: str | None = None) -> int:
    """Start a pack for each board meeting coming up within the lead time that has none yet."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    lead = datetime.timedelta(days=settings.REPORT_PACK_DAYS_BEFORE_MEETING)
    started = 0
    for meeting in BoardMeeting.objects.filter(date__gte=day, date__lte=day + lead):
        already = (
            ReportPack.objects.filter(meeting=meeting).exists()
            or Job.objects.filter(
                task_name="reports.render_board_pack",
                task_kwargs__meeting_id=meeting.pk,
                state__in=[Job.State.QUEUED, Job.State.RUNNING, Job.State.SUCCEEDED],
            ).exists()
        )
        if not already:
            board_pack_enqueue(period=meeting.period, user=None, meeting=meeting)
            started += 1
    return started


# One run at a time: a run after a change computes every member's figures (minutes on the
# national data set) while beat sends the task every minute.
KEEPING_LOCK = "reports:keep-figures-current"


@shared_task(name="reports.keep_figures_current")
def keep_figures_current() -> int:
    """Compute again the dashboards the secretariat and the board open first, and each member's
    start page figures and scorecard as its own users see them, for the current year, when their
    data has changed (consortium/figure_store.py): those already stored for the data as it is
    cost one cache read each. Returns how many were looked at (0: another run is under way)."""
    from . import dashboards

    if not cache.add(KEEPING_LOCK, timezone.now().isoformat(), timeout=30 * 60):
        return 0
    try:
        period = current_year_period()
        board = Organisation.objects.filter(kind=Organisation.Kind.BOARD).first()
        done = 0
        with translation.override(settings.LANGUAGE_CODE):
            dashboards.secretariat_start(period)
            dashboards.reports_page(period, True)
            done += 2
            if board is not None:
                with tenancy.acting_as(tenancy.Acting(tenancy.BOARD, board.pk)):
                    dashboards.board_start(period)
                    dashboards.reports_page(period, False)
                    done += 2
            # A member's own users (accounts.access.acting_for) read its own words too.
            members = Member.objects.filter(
                organisation__users__is_active=True,
                organisation__users__role__in=[Role.OFFICER, Role.VIEWER],
            ).distinct()
            for member in members.select_related("organisation").order_by("pk"):
                own = tenancy.Acting(tenancy.MEMBER, member.organisation_id, member.pk)
                with tenancy.acting_as(own):
                    dashboards.member_start(member, period)
                    dashboards.scorecard(member, period, True)
                    done += 2
        return done
    finally:
        cache.delete(KEEPING_LOCK)
