"""Background work of the climate app: recomputing the stored figures."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from accounts.models import Organisation
from jobs.models import Job
from jobs.runner import JobOutcome, job_task, report

from .services import recompute, recompute_enqueue


@job_task(name="climate.recompute")
def recompute_job(
    job: Job, *, member_ids: list[int] | None = None, years: list[int] | None = None
) -> JobOutcome:
    """Recompute climate figures: all (a new factor version, nightly) or the member-years an
    import touched."""
    report(job, 10, _("Computing the climate footprint…"))
    done = recompute(member_ids=member_ids, years=years)
    return JobOutcome(
        message=_("Climate footprint recomputed with factor version %(version)s.")
        % {"version": done.version},
        result={
            "divisions": done.divisions,
            "suppliers": done.suppliers,
            "agreements": done.agreements,
            "version": done.version,
        },
    )


@shared_task(name="climate.tasks.nightly_recompute")
def nightly_recompute() -> str | None:
    """Beat: recompute everything, so what no job followed (a tender's climate flag, a member
    register change) reaches the figures by the next morning; a changed agreement's members are
    recomputed at once (climate/apps.py)."""
    if not Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).exists():
        recompute()
        return None
    return str(recompute_enqueue().pk)
