"""Background work for tenders: pooling the declared volumes, closing unanswered invitations."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .models import Tender
from .services import participations_close_unanswered, tender_pool_volumes


@job_task(name="tenders.pool_volumes")
def pool_volumes(job: Job, *, tender_id: int) -> JobOutcome:
    """Pool a tender's declarations and historical spend, and store the result."""
    tender = Tender.objects.filter(pk=tender_id).first()
    if tender is None:
        raise JobError(_("The tender no longer exists."))
    run = tender_pool_volumes(
        tender=tender,
        user=job.started_by,
        progress=lambda percent, message: report(job, percent, message),
    )
    return JobOutcome(
        message=_("Volumes pooled for %(reference)s.") % {"reference": tender.reference},
        result={"pooling_run": run.pk, "estimated_value": str(run.estimated_value)},
        result_url=reverse("tenders:detail", args=[tender.reference]) + "#pooling",
    )


@shared_task(name="tenders.tasks.close_unanswered_participations")
def close_unanswered_participations() -> int:
    """Record the answers still pending after their deadline as "no answer" (every few minutes).

    Idempotent: an answer is recorded once, under its row lock; a run that finds none does nothing.
    """
    return participations_close_unanswered()
