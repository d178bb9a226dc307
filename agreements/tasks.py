"""Background work of the agreements app: compliance recomputes and renewal reminders."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation
from jobs.models import Job
from jobs.runner import JobOutcome, job_task, report

from .services import compliance_recompute, compliance_recompute_enqueue, renewal_reminders_send


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@job_task(name="agreements.compliance_recompute")
def compliance_recompute_job(
    job: Job,
    *,
    member_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    agreement_id: int | None = None,
) -> JobOutcome:
    """Recompute compliance figures: all, one member's date range after an import, or one
    agreement's after it changed."""
    report(job, 10, _("Computing compliance and savings…"))
    written = compliance_recompute(
        member_id=member_id, start=_date(start), end=_date(end), agreement_id=agreement_id
    )
    return JobOutcome(
        message=ngettext(
            "Compliance and savings recomputed: %(count)s figure.",
            "Compliance and savings recomputed: %(count)s figures.",
            written,
        )
        % {"count": written},
        result={"figures": written},
    )


@shared_task(name="agreements.tasks.nightly_compliance_recompute")
def nightly_compliance_recompute() -> str | None:
    """Beat: start the full recompute as a job the secretariat can follow."""
    if not Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).exists():
        compliance_recompute()
        return None
    return str(compliance_recompute_enqueue().pk)


@shared_task(name="agreements.tasks.send_renewal_reminders")
def send_renewal_reminders() -> dict[str, int]:
    """Beat, daily: tell the secretariat about agreements entering the horizon and late tenders."""
    return renewal_reminders_send()
