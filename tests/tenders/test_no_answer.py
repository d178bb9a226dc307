"""The answer deadline decides: a member that has not answered by it does not take part.

The portal records the missing answer as "no answer" at the deadline (a beat task every few
minutes, and the tender leaving volume collection), audited as the portal's own act.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pghistory
import pytest
from django.conf import settings
from django.urls import reverse

from consortium.celery import app
from tenders.models import Participation, ParticipationEvent, TenderStatus
from tenders.services import (
    participation_reopen,
    participations_close_unanswered,
    tender_transition,
)
from tenders.tasks import close_unanswered_participations
from tests.conftest import client_for

from .conftest import declare, invite, make_tender

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
DEADLINE = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=CPH)
SECOND = datetime.timedelta(seconds=1)
P = Participation.Answer


@pytest.fixture
def collecting(cast):
    tender = make_tender(
        cast, status=TenderStatus.VOLUME_COLLECTION, volume_deadline=DEADLINE,
        bid_deadline=DEADLINE + datetime.timedelta(days=60),
    )  # fmt: skip
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    return tender, odense, aarhus


def _answer(p: Participation) -> Participation:
    p.refresh_from_db()
    return p


def test_one_second_before_the_deadline_the_answer_stays_open(collecting) -> None:
    _tender, odense, _aarhus = collecting
    assert participations_close_unanswered(now=DEADLINE - SECOND) == 0
    assert _answer(odense).answer == P.PENDING


@pytest.mark.parametrize("after", [datetime.timedelta(0), SECOND, datetime.timedelta(days=40)])
def test_at_and_after_the_deadline_the_portal_records_no_answer(collecting, after) -> None:
    _tender, odense, aarhus = collecting
    assert participations_close_unanswered(now=DEADLINE + after) == 2
    odense = _answer(odense)
    assert (odense.answer, odense.answered_by, odense.answered_at) == (P.NO_ANSWER, None, DEADLINE)
    assert odense.version == 2
    assert odense.get_answer_display() == "Intet svar"
    assert _answer(aarhus).answer == P.NO_ANSWER


def test_answers_given_are_left_alone(cast, collecting) -> None:
    _tender, odense, aarhus = collecting
    declare(odense, 1000)
    aarhus.answer, aarhus.decline_reason = P.DECLINE, "Egen aftale"
    aarhus.save()
    assert participations_close_unanswered(now=DEADLINE + SECOND) == 0
    assert (_answer(odense).answer, _answer(aarhus).answer) == (P.PARTICIPATE, P.DECLINE)


def test_running_again_records_nothing_twice(collecting) -> None:
    _tender, odense, _aarhus = collecting
    assert participations_close_unanswered(now=DEADLINE + SECOND) == 2
    assert participations_close_unanswered(now=DEADLINE + 2 * SECOND) == 0
    assert close_unanswered_participations.apply().get() == 0  # the beat task itself
    assert ParticipationEvent.objects.filter(pgh_obj=odense, answer=P.NO_ANSWER).count() == 1
    assert _answer(odense).version == 2


def test_the_audit_trail_names_the_portal_and_the_deadline(cast, collecting) -> None:
    _tender, odense, _aarhus = collecting
    # Even inside a person's context (a request, a service acting for a user), the portal's
    # act is recorded as the portal's, and the person's own change keeps the person's name.
    with pghistory.context(user=cast.staff.pk, action="something_else"):
        cast.odense.organisation.save()
        participations_close_unanswered(now=DEADLINE + datetime.timedelta(hours=3))
        odense.tender.title = "Kontorartikler 2027"
        odense.tender.save()
    event = ParticipationEvent.objects.get(pgh_obj=odense, answer=P.NO_ANSWER)
    metadata = event.pgh_context.metadata
    assert metadata["source"] == "portal" and metadata.get("user") is None
    assert metadata["action"] == "participation_no_answer"
    assert datetime.datetime.fromisoformat(metadata["deadline"]) == DEADLINE
    assert event.answered_at == DEADLINE
    tender_event = odense.tender.events.order_by("-pgh_id").first()
    assert tender_event.pgh_context.metadata["user"] == cast.staff.pk
    assert "source" not in tender_event.pgh_context.metadata


def test_a_reopened_member_answers_until_its_reopening_ends(cast, collecting, monkeypatch) -> None:
    _tender, odense, aarhus = collecting
    until = DEADLINE + datetime.timedelta(days=2)
    odense.reopened_until, odense.reopen_reason = until, "Byrådsmøde først"
    odense.save()
    assert participations_close_unanswered(now=DEADLINE + SECOND) == 1  # Aarhus only
    assert (_answer(odense).answer, _answer(aarhus).answer) == (P.PENDING, P.NO_ANSWER)
    assert participations_close_unanswered(now=until - SECOND) == 0
    assert participations_close_unanswered(now=until) == 1
    odense = _answer(odense)
    assert (odense.answer, odense.answered_at) == (P.NO_ANSWER, until)


def test_a_member_recorded_as_no_answer_can_be_reopened_and_answer(cast, collecting) -> None:
    tender, odense, _aarhus = collecting
    participations_close_unanswered(now=DEADLINE + SECOND)
    tender.volume_deadline = DEADLINE  # the deadline has passed for real (in the past)
    odense = _answer(odense)
    participation_reopen(
        participation=odense, user=cast.staff, reason="Mail fra kommunen",
        until=datetime.datetime(2099, 1, 1, tzinfo=CPH),
    )  # fmt: skip
    assert _answer(odense).answer == P.NO_ANSWER  # until the member answers
    page = client_for(cast.officer).get(
        reverse("tenders:participation", args=[tender.reference, "odense"])
    )
    assert 'name="answer"' in page.content.decode()


def test_leaving_volume_collection_closes_every_open_answer(cast, collecting) -> None:
    """The beat task may not have run: the transition applies the same rule itself."""
    tender, odense, aarhus = collecting
    declare(odense, 1000)
    now = DEADLINE + datetime.timedelta(minutes=2)
    tender_transition(tender=tender, to_status=TenderStatus.PREPARATION, user=cast.staff, now=now)
    aarhus = _answer(aarhus)
    assert (aarhus.answer, aarhus.answered_at) == (P.NO_ANSWER, DEADLINE)
    assert _answer(odense).answer == P.PARTICIPATE
    event = ParticipationEvent.objects.get(pgh_obj=aarhus, answer=P.NO_ANSWER)
    assert event.pgh_context.metadata["source"] == "portal"
    assert event.pgh_context.metadata.get("user") is None


def test_leaving_volume_collection_closes_a_reopened_answer_at_that_moment(cast, collecting):
    tender, odense, aarhus = collecting
    declare(odense, 1000)
    aarhus.reopened_until = DEADLINE + datetime.timedelta(days=5)
    aarhus.save()
    now = DEADLINE + datetime.timedelta(days=1)
    tender_transition(tender=tender, to_status=TenderStatus.PREPARATION, user=cast.staff, now=now)
    aarhus = _answer(aarhus)
    assert (aarhus.answer, aarhus.answered_at) == (P.NO_ANSWER, now)


def test_a_cancelled_tender_records_no_missing_answers(cast, collecting) -> None:
    tender, odense, _aarhus = collecting
    tender_transition(
        tender=tender, to_status=TenderStatus.CANCELLED, user=cast.staff, reason="Intet behov",
        now=DEADLINE - datetime.timedelta(days=1),
    )  # fmt: skip
    assert participations_close_unanswered(now=DEADLINE + SECOND) == 0
    assert _answer(odense).answer == P.PENDING


def test_tenders_that_moved_on_before_are_caught_up(cast, collecting) -> None:
    """Answers left pending by a tender that moved on before the rule existed get recorded."""
    tender, odense, _aarhus = collecting
    tender.status = TenderStatus.PUBLISHED
    tender.save()
    assert participations_close_unanswered(now=DEADLINE + datetime.timedelta(days=30)) == 2
    assert _answer(odense).answered_at == DEADLINE


def test_the_beat_runs_the_task_every_few_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["tenders-close-unanswered"]
    assert entry["task"] == "tenders.tasks.close_unanswered_participations"
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 15 * 60


def test_no_answer_is_shown_on_the_participation_page_and_member_page(cast, collecting) -> None:
    tender, _odense, _aarhus = collecting
    participations_close_unanswered(now=DEADLINE + SECOND)
    page = client_for(cast.officer).get(
        reverse("tenders:participation", args=[tender.reference, "odense"])
    )
    text = page.content.decode()
    assert "Intet svar" in text
    assert "Kommunen svarede ikke inden svarfristen 02.03.2026 12:00" in text
    assert "Senest gemt" not in text  # nobody saved it
    member_page = client_for(cast.officer).get(reverse("members:detail", args=[cast.odense.pk]))
    assert tender.reference in member_page.content.decode()
    assert "Intet svar" in member_page.content.decode()
    detail = client_for(cast.staff).get(reverse("tenders:detail", args=[tender.reference]))
    assert "Intet svar" in detail.content.decode()
