"""Background making of EU notices (`notices.generate`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report
from tenders.models import Tender

from .models import NoticeKind
from .services import notice_generate

STEPS = {
    "data": gettext_lazy("Reading the tender's data …"),
    "xml": gettext_lazy("Writing the notice …"),
    "validate": gettext_lazy("Checking the notice against the EU's schema and rules …"),
    "store": gettext_lazy("Saving the version …"),
}


@job_task(name="notices.generate")
def generate(job: Job, *, tender_id: int, kind: str) -> JobOutcome:
    """Make one notice from the tender's current data and validate it."""
    tender = Tender.objects.filter(pk=tender_id).first()
    if tender is None:
        raise JobError(_("The tender no longer exists."))
    notice = notice_generate(
        tender=tender,
        kind=kind,
        user=job.started_by,
        progress=lambda percent, step: report(job, percent, str(STEPS[step])),
    )
    if notice.is_valid:
        message = _("%(notice)s version %(version)s is valid and ready to download.")
    else:
        message = _("%(notice)s version %(version)s has errors: see what to correct.")
    return JobOutcome(
        message=message % {"notice": NoticeKind(kind).label, "version": notice.version},
        result={"notice_id": notice.pk, "version": notice.version, "errors": notice.error_count},
        result_url=reverse("notices:detail", args=[tender.reference, notice.pk]),
    )
