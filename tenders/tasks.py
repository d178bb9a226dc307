"""Background work for tenders: pooling the declared volumes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .models import Tender
from .services import tender_pool_volumes


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
