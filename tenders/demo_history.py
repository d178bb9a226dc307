"""Demo tender histories: each demo tender's status transitions, recorded in the audit trail at
the dates they happened, so that reports for past periods (a quarter of 2026, the year 2025) show
the tenders as they then stood (`tenders/history.py`).

A tender is registered (planned) in the year its reference names, starts its needs analysis a few
weeks later, and then takes each step at the milestone that marks it: volume collection four
weeks before the participation deadline, preparation after it, publication with the contract
notice, evaluation after the bid deadline, the award decision, and the conclusion after the
standstill. A history is recorded once, when the demo creates the tender; seeding again leaves
it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import MilestoneKind, Tender, TenderStatus

S = TenderStatus
K = MilestoneKind

ORDER = [
    S.PLANNED, S.NEEDS_ANALYSIS, S.VOLUME_COLLECTION, S.PREPARATION, S.PUBLISHED,
    S.EVALUATION, S.AWARDED, S.CONCLUDED,
]  # fmt: skip

# When the secretariat registered each demo tender (the reference's number counts through the
# year); the needs analysis starts this many weeks later unless its milestone says earlier.
REGISTERED = {
    "2025-017": date(2025, 3, 10),
    "2025-022": date(2025, 4, 22),
    "2025-031": date(2025, 9, 1),
    "2026-005": date(2025, 11, 17),
    "2026-007": date(2026, 8, 17),
    "2026-008": date(2026, 1, 12),
    "2026-011": date(2026, 2, 2),
    "2026-014": date(2026, 3, 16),
    "2026-019": date(2026, 5, 4),
    "2026-021": date(2026, 6, 15),
}
ANALYSIS_AFTER = timedelta(weeks=8)
COLLECTION_WEEKS = timedelta(weeks=4)


@dataclass(frozen=True)
class Step:
    status: str
    at: datetime


def _morning(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def registered_on(reference: str, first_step: datetime | None) -> datetime:
    """When the tender was registered: its demo date, at least a month before its first step."""
    day = REGISTERED.get(reference, date(int(reference[:4]), 1, 5))
    registered = _morning(day)
    if first_step is not None:
        registered = min(registered, first_step - timedelta(days=30))
    return registered


def analysis_start(reference: str, milestone: datetime | None) -> datetime:
    """The needs analysis begins some weeks after registration, or at its milestone if earlier."""
    start = registered_on(reference, milestone) + ANALYSIS_AFTER
    return min(start, milestone) if milestone else start


def steps_for(
    reference: str, status: str, milestones: dict[str, datetime], now: datetime
) -> list[Step]:
    """The transitions a demo tender in `status` has taken, dated by its milestones, in order and
    never later than `now`."""
    reached = ORDER.index(S.VOLUME_COLLECTION if status == S.CANCELLED else status)
    volume = milestones.get(K.VOLUME_DEADLINE)
    analysis = milestones.get(K.NEEDS_ANALYSIS) or analysis_start(reference, None)
    dates = {
        S.NEEDS_ANALYSIS: analysis,
        S.VOLUME_COLLECTION: volume - COLLECTION_WEEKS if volume else None,
        S.PREPARATION: volume + timedelta(hours=21) if volume else None,
        S.PUBLISHED: milestones.get(K.PUBLICATION),
        S.EVALUATION: milestones.get(K.BID_DEADLINE),
        S.AWARDED: milestones.get(K.AWARD_DECISION),
        S.CONCLUDED: (milestones.get(K.STANDSTILL_END) or milestones.get(K.AWARD_DECISION)),
    }
    if dates[S.CONCLUDED] is not None:
        dates[S.CONCLUDED] += timedelta(hours=11)  # the contract is signed the morning after
    steps = [Step(S.PLANNED, registered_on(reference, analysis))]
    for step_status in ORDER[1 : reached + 1]:
        at = dates[step_status] or steps[-1].at + timedelta(days=14)
        steps.append(Step(step_status, at))
    if status == S.CANCELLED:
        at = volume + timedelta(days=5) if volume else steps[-1].at + timedelta(days=14)
        steps.append(Step(S.CANCELLED, at))
    latest = now - timedelta(hours=1)
    result: list[Step] = []
    for step in steps:
        at = min(step.at, latest)
        if result:
            at = max(at, result[-1].at + timedelta(minutes=1))
        result.append(Step(step.status, at))
    return result


def record_history(tender: Tender, steps: list[Step], outcome: dict[str, object]) -> None:
    """Record `steps` for a tender the demo has just created in its first status: each
    transition an audit event dated when it happened, the tender's creation dated too. The last
    step also writes `outcome` (the award date, the reason for cancelling)."""
    events = Tender.pgh_event_model.objects.filter(pgh_obj_id=tender.pk)
    first, *later = steps
    Tender.objects.filter(pk=tender.pk).update(created_at=first.at)
    events.update(pgh_created_at=first.at, created_at=first.at)
    for index, step in enumerate(later, start=1):
        last = outcome if index == len(later) else {}
        Tender.objects.filter(pk=tender.pk).update(
            **{**last, "status": step.status, "status_changed_at": step.at}
        )
        latest = events.order_by("-pgh_id").values_list("pgh_id", flat=True).first()
        events.filter(pgh_id=latest).update(pgh_created_at=step.at)
    tender.refresh_from_db()
