"""Background work of the insight app: recomputing its figures after the compliance figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from agreements.hooks import Recomputed
from jobs.models import Job
from jobs.runner import JobOutcome, job_task, report

from .services import recompute, recompute_enqueue, recompute_for_agreement


@job_task(name="insight.recompute")
def recompute_job(
    job: Job,
    *,
    member_ids: list[int] | None = None,
    years: list[int] | None = None,
    agreement_id: int | None = None,
) -> JobOutcome:
    report(job, 10, _("Computing volume kept and off-contract spend…"))
    if agreement_id is not None:
        written = recompute_for_agreement(agreement_id, member_ids or [])
    else:
        written = recompute(member_ids, years)
    return JobOutcome(message=_("Volume kept and off-contract spend recomputed."), result=written)


def recompute_after_compliance(recomputed: Recomputed) -> None:
    """After a compliance recompute: the same member's touched years (after an import), the
    members a changed agreement can move (its categories, suppliers and members move lines
    between its members' off-contract figures), or everything (the nightly recompute)."""
    if recomputed.member_id is not None and recomputed.agreement_id is None:
        first, last = recomputed.first, recomputed.last
        years = (
            list(range(first.year, last.year + 1))
            if first is not None and last is not None
            else None
        )
        recompute_enqueue(member_ids=[recomputed.member_id], years=years)
        return
    if recomputed.after_agreement_change:
        recompute_enqueue(agreement_id=recomputed.agreement_id, member_ids=recomputed.members)
        return
    recompute_enqueue()
