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

`statuses_on` reads any number of tenders in two queries (three when some have no audit history
at all); `status_on` is the same for one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

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


def statuses_on(
    tenders: Iterable[Tender | int] | None, moment: datetime.datetime
) -> dict[int, str]:
    """Tender id → its status at `moment` (transitions at or before it count), for the given
    tenders or, with None, every tender there is or was. A tender that did not exist then — not
    created yet, or already deleted — is left out. A fixed number of queries, however many."""
    ids = None if tenders is None else [t if isinstance(t, int) else t.pk for t in tenders]
    if ids == []:
        return {}
    events = Tender.pgh_event_model.objects.order_by("pgh_obj_id", "pgh_id")
    if ids is not None:
        events = events.filter(pgh_obj_id__in=ids)
    rows = events.values_list(
        "pgh_obj_id", "pgh_label", "pgh_created_at", "status", "status_changed_at", "created_at"
    )
    transitions: dict[int, list[Transition]] = defaultdict(list)
    current: dict[int, tuple[str, datetime.datetime | None]] = {}
    previous: dict[int, tuple[str, datetime.datetime | None]] = {}
    for tender_id, label, recorded, status, changed_at, created_at in rows:
        history = transitions[tender_id]
        if label == "delete":
            history.append((recorded, None))
            current.pop(tender_id, None)
            continue
        before = previous.get(tender_id)
        if before is None or before[0] != status:
            if before is None:  # the first version: its creation, or its status entered then
                effective = changed_at or (created_at if label == "insert" else recorded)
            elif changed_at is not None and changed_at != before[1]:
                effective = changed_at
            else:
                effective = recorded
            history.append((effective, status))
        previous[tender_id] = current[tender_id] = (status, changed_at)
    wanted = set(transitions) if ids is None else set(ids)
    early = [i for i in wanted if all(when > moment for when, _status in transitions[i])]
    milestones = _milestones(early) if early else {}
    untracked = [i for i in early if i not in current and not transitions[i]]
    if untracked:  # no audit history at all: how far it has come now caps the milestones
        current.update(
            (pk, (status, None))
            for pk, status in Tender.objects.filter(pk__in=untracked).values_list("pk", "status")
        )
    result: dict[int, str] = {}
    for tender_id in wanted:
        history = transitions.get(tender_id) or []
        # The latest version recorded among those in effect by then: a step entered later with
        # an earlier date (`now=` in the service) counts from that date.
        passed = [status for effective, status in history if effective <= moment]
        if passed:
            if passed[-1] is not None:
                result[tender_id] = passed[-1]
            continue
        now = current.get(tender_id)
        status = _from_milestones(milestones.get(tender_id, {}), moment, now and now[0])
        if status is not None:
            result[tender_id] = status
    return result


def status_on(tender: Tender | int, moment: datetime.datetime) -> str | None:
    """The tender's status at `moment`, or None if it did not exist then."""
    pk = tender if isinstance(tender, int) else tender.pk
    return statuses_on([pk], moment).get(pk)


def _milestones(ids: list[int]) -> dict[int, dict[str, datetime.datetime]]:
    result: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    for tender_id, kind, due in Milestone.objects.filter(tender_id__in=ids).values_list(
        "tender_id", "kind", "due"
    ):
        result[tender_id][kind] = due
    return result


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
