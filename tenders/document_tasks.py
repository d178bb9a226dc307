"""Background rendering of tender documents (registered through CELERY_IMPORTS)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .documents import KINDS
from .models import DocumentKind, Tender
from .services import tender_documents_render


@job_task(name="tenders.render_documents")
def render_documents(job: Job, *, tender_id: int) -> JobOutcome:
    """Render every tender document from the tender's current data."""
    tender = Tender.objects.filter(pk=tender_id).first()
    if tender is None:
        raise JobError(_("The tender no longer exists."))

    def progress(index: int, kind: str) -> None:
        report(
            job,
            5 + 90 * index / len(KINDS),
            _("Rendering %(document)s…") % {"document": DocumentKind(kind).label},
        )

    documents = tender_documents_render(tender=tender, user=job.started_by, progress=progress)
    return JobOutcome(
        message=ngettext(
            "%(count)s document is ready for %(reference)s.",
            "%(count)s documents are ready for %(reference)s.",
            len(documents),
        )
        % {"count": len(documents), "reference": tender.reference},
        result={d.kind: {"version": d.version, "sha256": d.sha256} for d in documents},
        result_url=reverse("tender_timeline:documents", args=[tender.reference]),
    )
