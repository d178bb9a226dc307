"""A tender's status on a past date — the one place that derives it.

Reports for a past period show the tenders as they stood at the period's end, not as they stand
today. The status then is read from the tender's recorded history:

1. **The audit trail.** Every insert and update of a tender is an event (django-pghistory, see
   `consortium/auditing.py`) holding the whole row as it was. A version whose status differs from
   the version before is a transition; it took effect at the `status_changed_at` the transition
   recorded with it (`services/transitions.py` sets it, also when a step is entered after the
   fact), or else when the event was recorded. On a date, the latest recorded version already in
   effect then counts, so a step entered afterwards with an earlier date counts from that date.
   A deleted tender no longer exists from its delete.
2. **The milestones**, for a date before the tender's audit history begins (a tender entered in
   the portal after it had started, or before the trail was kept): the last milestone passed by
   then says how far it had come (`_MILESTONE_STATUS`), never further than it is now. Before its
   first milestone, and without any, a tender did not exist yet on that date.

`history_of` reads the history of any number of tenders in three queries and answers for any
number of dates (a report's trend over several periods); `statuses_on` and `status_on` are the
same for one date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Milestone, MilestoneKind, Tender, TenderStatus

S = TenderStatus
K = MilestoneKind

# The order a tender goes through; cancelled may follow any open step.
ORDER = [
    S.PLANNED, S.NEEDS_ANALYSIS, S.VOLUME_COLLECTION, S.PREPARATION, S.PUBLISHED,
    S.EVALUATION, S.AWARDED, S.CONCLUDED,
]  # fmt: skip

# A milestone passed → the status the tender had reached, furthest first. The participation
# deadline ends volume collection; the contract notice publishes; the bid deadline opens the
# evaluation; the award decision starts the standstill; the contract start concludes.
_MILESTONE_STATUS: list[tuple[str, str]] = [
    (K.CONTRACT_START, S.CONCLUDED),
    (K.STANDSTILL_END, S.AWARDED),
    (K.AWARD_DECISION, S.AWARDED),
    (K.BID_DEADLINE, S.EVALUATION),
    (K.PUBLICATION, S.PUBLISHED),
    (K.PIN, S.PREPARATION),
    (K.VOLUME_DEADLINE, S.PREPARATION),
    (K.NEEDS_ANALYSIS, S.NEEDS_ANALYSIS),
]

Transition = tuple[datetime.datetime, str | None]  # (in effect from, status; None: deleted)


@dataclass
class History:
    """The recorded history of some tenders, read once, asked about any number of dates."""

    transitions: dict[int, list[Transition]]  # per tender, in the order they were recorded
    current: dict[int, str]  # the latest recorded status (deleted tenders left out)
    milestones: dict[int, dict[str, datetime.datetime]]

    def statuses_on(self, moment: datetime.datetime) -> dict[int, str]:
        """Tender id → its status at `moment`; a tender that did not exist then is left out."""
        result: dict[int, str] = {}
        for tender_id in self.transitions.keys() | self.current.keys():
            status = self._status_on(tender_id, moment)
            if status is not None:
                result[tender_id] = status
        return result

    def _status_on(self, tender_id: int, moment: datetime.datetime) -> str | None:
        # The latest version recorded among those in effect by then: a step entered later with
        # an earlier date (`now=` in the service) counts from that date.
        passed = [s for when, s in self.transitions.get(tender_id, []) if when <= moment]
        if passed:
            return passed[-1]
        return _from_milestones(
            self.milestones.get(tender_id, {}), moment, self.current.get(tender_id)
        )


def history_of(tenders: Iterable[Tender | int] | None = None) -> History:
    """The history of the given tenders or, with None, of every tender there is or was: three
    queries (events, milestones, the tenders without any event), however many tenders."""
    ids = None if tenders is None else [t if isinstance(t, int) else t.pk for t in tenders]
    if ids == []:
        return History({}, {}, {})
    events = Tender.pgh_event_model.objects.order_by("pgh_obj_id", "pgh_id")
    if ids is not None:
        events = events.filter(pgh_obj_id__in=ids)
    rows = events.values_list(
        "pgh_obj_id", "pgh_label", "pgh_created_at", "status", "status_changed_at"
    )
    transitions: dict[int, list[Transition]] = defaultdict(list)
    current: dict[int, str] = {}
    previous: dict[int, tuple[str, datetime.datetime | None]] = {}
    for tender_id, label, recorded, status, changed_at in rows:
        history = transitions[tender_id]
        if label == "delete":
            history.append((recorded, None))
            current.pop(tender_id, None)
            continue
        before = previous.get(tender_id)
        if before is None or before[0] != status:
            if changed_at is not None and (before is None or changed_at != before[1]):
                effective = changed_at  # the date the step was taken, as entered with it
            else:
                effective = recorded
            history.append((effective, status))
        previous[tender_id] = (status, changed_at)
        current[tender_id] = status
    # Tenders without any event (from before the trail was kept): their status now caps what
    # their milestones say.
    untracked = Tender.objects.exclude(pk__in=list(transitions))
    if ids is not None:
        untracked = untracked.filter(pk__in=ids)
    current.update(untracked.values_list("pk", "status"))
    milestones: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    dated = Milestone.objects.all() if ids is None else Milestone.objects.filter(tender_id__in=ids)
    for tender_id, kind, due in dated.values_list("tender_id", "kind", "due"):
        milestones[tender_id][kind] = due
    return History(dict(transitions), current, dict(milestones))


def statuses_on(
    tenders: Iterable[Tender | int] | None, moment: datetime.datetime
) -> dict[int, str]:
    """Tender id → its status at `moment` (transitions at or before it count), for the given
    tenders or, with None, every tender there is or was. A tender that did not exist then — not
    created yet, or already deleted — is left out. A fixed number of queries, however many."""
    return history_of(tenders).statuses_on(moment)


def status_on(tender: Tender | int, moment: datetime.datetime) -> str | None:
    """The tender's status at `moment`, or None if it did not exist then."""
    pk = tender if isinstance(tender, int) else tender.pk
    return statuses_on([pk], moment).get(pk)


def _from_milestones(
    milestones: dict[str, datetime.datetime], moment: datetime.datetime, now: str | None
) -> str | None:
    """How far the milestones passed by `moment` say the tender had come, capped at its status
    now (a tender whose publication slipped is not published on the date it was planned for)."""
    if now is None:
        return None
    # A cancelled tender was never concluded: it had come at most to the award.
    cap = ORDER.index(S.AWARDED if now == S.CANCELLED else now)
    for kind, status in _MILESTONE_STATUS:
        due = milestones.get(kind)
        if due is not None and due <= moment:
            return status if ORDER.index(status) <= cap else ORDER[cap]
    return None
