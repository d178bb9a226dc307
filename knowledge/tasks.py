"""The weekly stale check: beat starts a job owned by the secretariat, the job flags and mails."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from jobs.models import Job
from jobs.runner import JobOutcome, job_task, report
from jobs.services import job_enqueue

from .services import articles_flag_stale

FLAG_STALE = "knowledge.flag_stale"


@shared_task(name="knowledge.tasks.schedule_stale_check")
def schedule_stale_check() -> str | None:
    """Start the stale check as a job, so the secretariat sees each run and its outcome."""
    secretariat = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
    if secretariat is None:
        return None
    job = job_enqueue(
        task_name=FLAG_STALE,
        kind=FLAG_STALE,
        title=_("Weekly check of articles past their review date"),
        user=None,
        organisation=secretariat,
    )
    return str(job.pk)


@job_task(name=FLAG_STALE)
def flag_stale(job: Job, *, today: str | None = None) -> JobOutcome:
    """Flag published articles past their review date and e-mail their owners."""
    report(job, 10, _("Finding articles past their review date…"))
    count = articles_flag_stale(today=date.fromisoformat(today) if today else None)
    return JobOutcome(
        message=ngettext(
            "%(count)d article flagged as stale; its owner has been e-mailed.",
            "%(count)d articles flagged as stale; their owners have been e-mailed.",
            count,
        )
        % {"count": count},
        result={"flagged": count},
        result_url=reverse("knowledge:stale"),
    )
