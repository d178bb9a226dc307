"""Job-system tasks: a self-check that exercises worker, database, cache and mail; housekeeping."""

from __future__ import annotations

import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from consortium.emails import send_templated_email

from .models import Job
from .runner import JobError, JobOutcome, job_task, report
from .services import jobs_fail_stale


@job_task(name="jobs.selfcheck")
def selfcheck(job: Job, *, pause: float = 0.5) -> JobOutcome:
    """Check that a worker can reach the database, the cache and the mail server."""
    report(job, 10, _("Checking the database…"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    time.sleep(pause)

    report(job, 40, _("Checking the cache…"))
    key = f"selfcheck:{job.pk}"
    cache.set(key, "ok", 30)
    if cache.get(key) != "ok":
        raise JobError(_("The cache did not return what was stored."))
    time.sleep(pause)

    report(job, 70, _("Sending a test e-mail…"))
    if job.started_by:
        send_templated_email(
            "emails/selfcheck",
            to=[job.started_by.email],
            context={"job_title": job.title},
            language=job.started_by.language,
        )
    time.sleep(pause)
    report(job, 95, _("Finishing…"))
    return JobOutcome(
        message=_("Worker, database, cache and e-mail work."),
        result={"database": "ok", "cache": "ok", "mail": "sent" if job.started_by else "skipped"},
    )


@shared_task(name="jobs.tasks.fail_stale_jobs")
def fail_stale_jobs() -> int:
    """Mark jobs failed whose worker died without a trace (beyond the hard time limit)."""
    return jobs_fail_stale(older_than=timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600))
