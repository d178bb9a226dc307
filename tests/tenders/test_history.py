"""A tender's status on a past date, from its audit trail or, before that, its milestones."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenders.history import status_on, statuses_on
from tenders.models import Milestone, MilestoneKind, Tender, TenderStatus
from tenders.services.transitions import tender_transition

from .conftest import make_tender

CPH = ZoneInfo("Europe/Copenhagen")
S = TenderStatus


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=CPH)


def step(tender: Tender, status: str, when: datetime.datetime) -> None:
    """A status change entered with the date it happened (as `tender_transition(now=…)` does)."""
    tender.status, tender.status_changed_at = status, when
    tender.save()


def test_status_on_a_date_follows_the_recorded_transitions(cast) -> None:
    tender = make_tender(cast, status=S.PLANNED, lots=1, status_changed_at=at(2025, 2, 3))
    tender_transition(
        tender=tender, to_status=S.NEEDS_ANALYSIS, user=cast.staff, now=at(2025, 4, 1)
    )
    tender.refresh_from_db()
    step(tender, S.VOLUME_COLLECTION, at(2025, 9, 1))
    step(tender, S.PREPARATION, at(2025, 10, 15))
    tender.title = "Kontorartikler og papir"  # a change that is not a step
    tender.save()
    assert status_on(tender, at(2025, 2, 1)) is None  # not registered yet
    assert status_on(tender, at(2025, 2, 3)) == S.PLANNED
    assert status_on(tender, at(2025, 3, 31, 23)) == S.PLANNED
    assert status_on(tender, at(2025, 4, 1)) == S.NEEDS_ANALYSIS
    assert status_on(tender, at(2025, 9, 30)) == S.VOLUME_COLLECTION
    assert status_on(tender, at(2025, 12, 31)) == S.PREPARATION
    assert status_on(tender.pk, datetime.datetime.now(tz=CPH)) == S.PREPARATION


def test_a_step_entered_later_counts_from_its_own_date(cast) -> None:
    tender = make_tender(cast, status=S.PUBLISHED, lots=1, status_changed_at=at(2026, 3, 1))
    step(tender, S.AWARDED, at(2026, 6, 1))
    step(tender, S.EVALUATION, at(2026, 5, 1))  # forgotten, entered afterwards
    assert status_on(tender, at(2026, 4, 30)) == S.PUBLISHED
    assert status_on(tender, at(2026, 5, 15)) == S.EVALUATION
    assert status_on(tender, at(2026, 6, 2)) == S.EVALUATION  # the latest entry stands


def test_before_its_audit_history_a_tender_is_read_from_its_milestones(cast) -> None:
    # Entered in the portal when it was already published: no history before that.
    tender = make_tender(cast, status=S.PUBLISHED, lots=1, status_changed_at=at(2026, 5, 1))
    for kind, due in [
        (MilestoneKind.NEEDS_ANALYSIS, at(2025, 11, 3)),
        (MilestoneKind.VOLUME_DEADLINE, at(2026, 2, 6)),
        (MilestoneKind.PUBLICATION, at(2026, 4, 20)),
        (MilestoneKind.BID_DEADLINE, at(2026, 6, 1)),  # still to come when entered
    ]:
        Milestone.objects.create(tender=tender, kind=kind, due=due)
    assert status_on(tender, at(2025, 11, 1)) is None
    assert status_on(tender, at(2025, 12, 31)) == S.NEEDS_ANALYSIS
    assert status_on(tender, at(2026, 3, 31)) == S.PREPARATION
    assert status_on(tender, at(2026, 4, 25)) == S.PUBLISHED
    # Never further than the tender has come: the bid deadline passing does not make it evaluated.
    assert status_on(tender, at(2026, 5, 1)) == S.PUBLISHED


def test_a_cancelled_tender_was_never_concluded_on_its_milestones(cast) -> None:
    tender = make_tender(cast, status=S.CANCELLED, lots=1, status_changed_at=at(2026, 9, 1))
    Milestone.objects.create(tender=tender, kind=MilestoneKind.CONTRACT_START, due=at(2026, 8, 1))
    assert status_on(tender, at(2026, 8, 15)) == S.AWARDED
    assert status_on(tender, at(2026, 9, 2)) == S.CANCELLED


def test_a_deleted_tender_is_gone_from_its_deletion(cast) -> None:
    tender = make_tender(cast, status=S.PLANNED, lots=0, status_changed_at=at(2025, 1, 6))
    pk = tender.pk
    tender.delete()
    assert statuses_on(None, at(2025, 6, 1)).get(pk) == S.PLANNED
    assert (
        statuses_on(None, datetime.datetime.now(tz=CPH) + datetime.timedelta(days=1)).get(pk)
        is None
    )


def test_statuses_of_many_tenders_cost_the_same_few_queries(cast) -> None:
    def count(n: int) -> int:
        for _i in range(n):
            tender = make_tender(
                cast,
                reference=f"2025-{len(created) + 1:03d}",
                lots=0,
                status_changed_at=at(2025, 1, 6),
            )
            step(tender, S.NEEDS_ANALYSIS, at(2025, 3, 1))
            Milestone.objects.create(
                tender=tender, kind=MilestoneKind.NEEDS_ANALYSIS, due=at(2025, 3, 1)
            )
            created.append(tender)
        with CaptureQueriesContext(connection) as queries:
            result = statuses_on(created, at(2025, 2, 1))
        assert result == {t.pk: S.PLANNED for t in created}
        return len(queries)

    created: list[Tender] = []
    assert count(2) == count(4) <= 3
    assert statuses_on([], at(2025, 2, 1)) == {}
