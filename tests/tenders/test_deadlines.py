"""One source of a tender's dates: the milestones, written by the tender form and the timeline
alike, and read by the calendar, the documents, the locking and the workflow; the publish
guard's time-limit check; the standstill rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tenders.documents import tender_snapshot
from tenders.forms import TenderForm
from tenders.models import Milestone, MilestoneKind, ProcedureType, Tender, TenderStatus
from tenders.schedule import PlannedMilestone, calendar_milestones, timeline_update
from tenders.services import TransitionRefused, tender_transition
from tenders.timeline import period_expiry
from tests.conftest import client_for

from .conftest import make_tender
from .test_workflow import _ready_to_publish, refused

pytestmark = pytest.mark.django_db
S = TenderStatus
CPH = ZoneInfo("Europe/Copenhagen")


def form_data(tender: Tender, **changes: str) -> dict[str, object]:
    """The tender form as the edit page fills it, with `changes`."""
    initial = TenderForm.initial_for(tender)
    data: dict[str, object] = {
        **{k: v for k, v in initial.items() if v is not None and k != "working_group"},
        "lead_organisation": tender.lead_organisation_id,
        "responsible": tender.responsible_id or "",
    }
    for name in ("volume_deadline", "bid_deadline"):
        value = initial[name]
        data[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""
    data["expected_start"] = initial["expected_start"].isoformat() if tender.expected_start else ""
    data.update(changes)
    return data


def test_form_deadlines_are_written_as_milestones_everyone_reads(cast) -> None:
    tender = make_tender(cast, volume_deadline=None, bid_deadline=None)
    response = client_for(cast.staff).post(
        reverse("tenders:edit", args=[tender.reference]),
        form_data(
            tender,
            volume_deadline="2027-01-15T12:00",
            bid_deadline="2027-03-04T12:00",
            expected_start="2027-06-01",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    milestones = {m.kind: m.due for m in Milestone.objects.filter(tender=tender)}
    assert milestones == {
        MilestoneKind.VOLUME_DEADLINE: datetime(2027, 1, 15, 12, tzinfo=CPH),
        MilestoneKind.BID_DEADLINE: datetime(2027, 3, 4, 12, tzinfo=CPH),
        MilestoneKind.CONTRACT_START: datetime(2027, 6, 1, 0, tzinfo=CPH),
    }
    tender.refresh_from_db()
    assert tender.volume_deadline == milestones[MilestoneKind.VOLUME_DEADLINE]
    assert tender.bid_deadline == milestones[MilestoneKind.BID_DEADLINE]
    assert str(tender.expected_start) == "2027-06-01"
    # The calendar and the documents read the same dates.
    feed = {m.kind: m.due for m in calendar_milestones(cast.staff)}
    assert feed[MilestoneKind.BID_DEADLINE] == tender.bid_deadline
    snapshot = {m["kind"]: m["due"] for m in tender_snapshot(tender)["milestones"]}
    assert snapshot["bid_deadline"] == tender.bid_deadline.isoformat()


def test_form_refuses_a_bid_deadline_that_breaks_the_time_limit(cast) -> None:
    tender = make_tender(cast, volume_deadline=None, bid_deadline=None)
    publication = datetime(2027, 2, 1, 9, tzinfo=CPH)
    timeline_update(
        tender=tender,
        user=cast.staff,
        planned={MilestoneKind.PUBLICATION: PlannedMilestone(publication)},
    )
    response = client_for(cast.staff).post(
        reverse("tenders:edit", args=[tender.reference]),
        form_data(tender, bid_deadline="2027-02-20T12:00", title="Nyt navn"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["bid_deadline"]
    assert "mindst 30 dage" in errors[0] and "04.03.2027 kl. 00:00" in errors[0]
    tender.refresh_from_db()
    assert tender.bid_deadline is None and tender.title == "Kontorartikler"
    assert not Milestone.objects.filter(tender=tender, kind=MilestoneKind.BID_DEADLINE).exists()


def test_emptying_a_form_deadline_removes_the_milestone_and_the_date(cast) -> None:
    tender = make_tender(cast, volume_deadline=None, bid_deadline=None)
    client = client_for(cast.staff)
    url = reverse("tenders:edit", args=[tender.reference])
    client.post(url, form_data(tender, volume_deadline="2027-01-15T12:00"))
    tender.refresh_from_db()
    assert tender.volume_deadline is not None
    assert client.post(url, form_data(tender, volume_deadline="")).status_code == 302
    tender.refresh_from_db()
    assert tender.volume_deadline is None
    assert not Milestone.objects.filter(tender=tender).exists()


def test_timeline_without_a_bid_deadline_clears_the_tenders_bid_deadline(cast) -> None:
    tender = make_tender(cast, volume_deadline=None, bid_deadline=None)
    bid = datetime(2027, 3, 4, 12, tzinfo=CPH)
    timeline_update(tender=tender, user=cast.staff, planned={"bid_deadline": PlannedMilestone(bid)})
    assert Tender.objects.get(pk=tender.pk).bid_deadline == bid
    timeline_update(tender=tender, user=cast.staff, planned={})
    assert Tender.objects.get(pk=tender.pk).bid_deadline is None


def test_participation_locks_at_the_deadline_set_by_the_form(cast) -> None:
    from .conftest import invite

    tender = make_tender(cast, status=S.VOLUME_COLLECTION, volume_deadline=None)
    (odense,) = invite(tender, [cast.odense])
    soon = timezone.localtime() + timedelta(days=2)
    client_for(cast.staff).post(
        reverse("tenders:edit", args=[tender.reference]),
        form_data(tender, volume_deadline=soon.strftime("%Y-%m-%dT%H:%M")),
    )
    odense.refresh_from_db()
    assert not odense.is_locked()
    assert odense.is_locked(now=soon + timedelta(minutes=1))
    milestone = Milestone.objects.get(tender=tender, kind=MilestoneKind.VOLUME_DEADLINE)
    assert odense.deadline() == milestone.due


# --- publishing re-checks the statutory time limits ---------------------------------------------


def test_publication_refused_when_the_bid_deadline_is_too_close(cast) -> None:
    # Open procedure, electronic submission: at least 30 days from the dispatch of the notice.
    tender = _ready_to_publish(cast, bid_deadline=timezone.now() + timedelta(days=12))
    messages = refused(tender, S.PUBLISHED)
    assert len(messages) == 1
    assert messages[0].startswith(
        "Tidsplanen overholder ikke lovens minimumsfrister, hvis udbuddet offentliggøres nu"
    )
    assert "mindst 30 dage" in messages[0]


def test_publication_checks_the_planned_timeline(cast) -> None:
    tender = _ready_to_publish(cast, bid_deadline=None)
    now = timezone.now()
    # Stored as planned, though it breaks the order of the milestones (questions after bids).
    for kind, due in (
        (MilestoneKind.PUBLICATION, now + timedelta(days=1)),
        (MilestoneKind.BID_DEADLINE, now + timedelta(days=40)),
        (MilestoneKind.QUESTIONS_DEADLINE, now + timedelta(days=38)),
    ):
        Milestone.objects.create(tender=tender, kind=kind, due=due)
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=now + timedelta(days=40))
    tender.refresh_from_db()
    (message,) = refused(tender, S.PUBLISHED)
    assert "Frist for spørgsmål" in message and "6 hele dage" in message


def test_publication_allowed_with_a_timeline_that_keeps_the_limits(cast) -> None:
    # The 30th day may fall in a weekend or a holiday: the earliest day then moves on. The
    # deadline lies after the end of the period's last day.
    earliest = period_expiry(timezone.localdate(), 30).date()
    bid = timezone.make_aware(datetime.combine(earliest, datetime.min.time())) + timedelta(hours=12)
    tender = _ready_to_publish(cast, bid_deadline=bid)
    tender_transition(tender=tender, to_status=S.PUBLISHED, user=cast.staff)


# --- the standstill: the timeline's rule, from the award decision ---------------------------------


def _awarded(cast, procedure: str, awarded_at: datetime, decision: datetime | None) -> Tender:
    tender = make_tender(cast, status=S.AWARDED, procedure_type=procedure, awarded_at=awarded_at)
    if decision is not None:
        Milestone.objects.create(tender=tender, kind=MilestoneKind.AWARD_DECISION, due=decision)
    return tender


def test_below_threshold_tender_has_no_standstill(cast) -> None:
    now = timezone.now()
    tender = _awarded(cast, ProcedureType.BELOW_THRESHOLD, now, None)
    tender_transition(tender=tender, to_status=S.CONCLUDED, user=cast.staff, now=now)
    assert Tender.objects.get(pk=tender.pk).status == S.CONCLUDED


def test_standstill_counts_from_the_award_decision_milestone(cast) -> None:
    now = timezone.now()
    # Marked awarded today, but the decision was notified three weeks ago: the standstill is over.
    tender = _awarded(cast, ProcedureType.OPEN, now, now - timedelta(days=21))
    tender_transition(tender=tender, to_status=S.CONCLUDED, user=cast.staff, now=now)


def test_standstill_runs_from_a_later_award_decision_milestone(cast) -> None:
    now = timezone.now()
    tender = _awarded(cast, ProcedureType.OPEN, now - timedelta(days=30), now - timedelta(days=2))
    with pytest.raises(TransitionRefused):
        tender_transition(tender=tender, to_status=S.CONCLUDED, user=cast.staff, now=now)
