"""Answers and declarations: deadline locking, reopening, and edits that would overwrite others."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tenders.models import Participation, ParticipationEvent, TenderStatus, VolumeDeclaration
from tenders.services import (
    LotVolume,
    StaleEdit,
    participation_answer,
    participation_reopen,
)
from tenders.workflow import AnswerLock, answer_lock
from tests.conftest import client_for
from tests.factories import UserFactory

from .conftest import invite, make_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def collecting(cast):
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    odense, _aarhus = invite(tender, [cast.odense, cast.aarhus])
    return tender, odense


def volumes(tender, *amounts):
    return {
        lot.pk: LotVolume(Decimal(a) if a is not None else None)
        for lot, a in zip(tender.lots.order_by("number"), amounts, strict=False)
    }


def test_officer_participates_and_declares_per_lot(cast, collecting) -> None:
    tender, odense = collecting
    saved = participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=1,
        volumes=volumes(tender, "250000", None),
    )  # fmt: skip
    assert saved.answer == "participate" and saved.version == 2
    assert saved.answered_by == cast.officer
    assert [(d.lot.number, d.annual_volume) for d in saved.declarations.all()] == [
        (1, Decimal("250000.00"))
    ]


def test_declining_needs_a_reason_and_drops_declarations(cast, collecting) -> None:
    tender, odense = collecting
    participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=1,
        volumes=volumes(tender, 1000, 2000),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        participation_answer(participation=odense, user=cast.officer, answer="decline", version=2)
    assert exc.value.message_dict == {
        "decline_category": ["Vælg, hvorfor kommunen fravælger udbuddet."],
        "decline_reason": ["Angiv en begrundelse for fravalget."],
    }
    participation_answer(
        participation=odense, user=cast.officer, answer="decline", version=2,
        decline_category="own_agreement", decline_reason="Egen aftale til 2028",
    )  # fmt: skip
    assert not VolumeDeclaration.objects.filter(participation=odense).exists()


def test_declaration_locked_after_deadline(cast, collecting) -> None:
    tender, odense = collecting
    after = tender.volume_deadline + timedelta(seconds=1)
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="participate", version=1,
            volumes=volumes(tender, 1000), now=after,
        )  # fmt: skip
    assert exc.value.messages == [
        "Fristen er udløbet, og svaret er låst. Bed sekretariatet om at genåbne det."
    ]
    assert Participation.objects.get(pk=odense.pk).answer == "pending"


def test_locked_answer_is_refused_by_the_page_too(cast, collecting) -> None:
    tender, odense = collecting
    tender.volume_deadline = timezone.now() - timedelta(minutes=1)
    tender.save()
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    client = client_for(cast.officer)
    page = client.get(url)
    assert "svaret er låst" in page.content.decode()
    assert 'name="answer"' not in page.content.decode()
    response = client.post(url, {"answer": "participate", "version": 1})
    assert response.status_code == 400
    assert "svaret er låst" in response.content.decode()
    assert Participation.objects.get(pk=odense.pk).answer == "pending"


def test_answers_lock_when_tender_leaves_volume_collection(cast, collecting) -> None:
    tender, odense = collecting
    tender.status = TenderStatus.PREPARATION
    tender.save()
    with pytest.raises(ValidationError):
        participation_answer(
            participation=odense,
            user=cast.staff,
            answer="decline",
            version=1,
            decline_category="own_agreement",
            decline_reason="x",
        )


def test_secretariat_reopens_with_an_audit_entry(cast, collecting) -> None:
    tender, odense = collecting
    tender.volume_deadline = timezone.now() - timedelta(hours=1)
    tender.save()
    odense.refresh_from_db()
    assert odense.is_locked()
    until = timezone.now() + timedelta(days=2)
    participation_reopen(
        participation=odense, user=cast.staff, until=until, reason="Byrådet mødes først torsdag"
    )
    odense.refresh_from_db()
    assert not odense.is_locked()
    participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=odense.version,
        volumes=volumes(tender, 5000),
    )  # fmt: skip
    event = ParticipationEvent.objects.filter(pgh_obj=odense, reopen_reason__gt="").earliest(
        "pgh_created_at"
    )
    assert event.pgh_context.metadata["user"] == cast.staff.pk
    assert event.pgh_context.metadata["reason"] == "Byrådet mødes først torsdag"


def test_reopen_needs_a_reason_and_the_secretariat(cast, collecting) -> None:
    _tender, odense = collecting
    until = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        participation_reopen(participation=odense, user=cast.staff, until=until, reason=" ")
    with pytest.raises(PermissionDenied):
        participation_reopen(participation=odense, user=cast.officer, until=until, reason="x")


def test_concurrent_edit_is_refused(cast, collecting) -> None:
    tender, odense = collecting
    colleague = UserFactory(
        email="indkob2@odense.test", full_name="Karen Kollega",
        organisation=cast.odense.organisation, role="officer",
    )  # fmt: skip
    # Both open the form at version 1; the colleague saves first.
    participation_answer(
        participation=odense, user=colleague, answer="participate", version=1,
        volumes=volumes(tender, 111000),
    )  # fmt: skip
    with pytest.raises(StaleEdit) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="participate", version=1,
            volumes=volumes(tender, 999000),
        )  # fmt: skip
    assert exc.value.messages[0].startswith("Karen Kollega gemte dette svar")
    assert (
        VolumeDeclaration.objects.get(participation=odense, lot__number=1).annual_volume == 111000
    )


def test_concurrent_edit_is_refused_on_the_page(cast, collecting) -> None:
    tender, odense = collecting
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    lot1, lot2 = tender.lots.order_by("number")
    first, second = client_for(cast.officer), client_for(cast.staff)
    form = {
        "answer": "participate", "version": 1, f"volume_{lot1.pk}": "100.000",
        f"none_{lot2.pk}": "on",
    }  # fmt: skip
    assert first.post(url, form).status_code == 302
    response = second.post(url, {**form, f"volume_{lot1.pk}": "200.000"})
    assert response.status_code == 400
    assert "mens du redigerede" in response.content.decode()
    assert VolumeDeclaration.objects.get(participation=odense, lot=lot1).annual_volume == 100000


def test_viewer_sees_but_cannot_answer(cast, collecting) -> None:
    tender, _odense = collecting
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    client = client_for(cast.viewer)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url,
            {"answer": "decline", "decline_category": "other", "decline_reason": "x", "version": 1},
        ).status_code
        == 403
    )


def test_other_members_answer_is_not_found(cast, collecting) -> None:
    tender, _odense = collecting
    url = reverse("tenders:participation", args=[tender.reference, "aarhus"])
    assert client_for(cast.officer).get(url).status_code == 404


# --- the answer-locking rule, at its edges (workflow.answer_lock; the page and the service) -----


@pytest.mark.parametrize(
    ("role", "offset", "expected"),
    [
        ("officer", timedelta(microseconds=-1), AnswerLock.OPEN),
        ("officer", timedelta(0), AnswerLock.DEADLINE),  # the deadline itself is too late
        ("viewer", timedelta(0), AnswerLock.DEADLINE),
        ("staff", timedelta(microseconds=-1), AnswerLock.OPEN),
        ("staff", timedelta(0), AnswerLock.WITH_REASON),
        ("admin", timedelta(days=30), AnswerLock.WITH_REASON),
    ],
)
def test_answer_lock_at_the_deadline(cast, collecting, role, offset, expected) -> None:
    tender, odense = collecting
    lock = answer_lock(odense, cast.user(role), now=tender.volume_deadline + offset)
    assert lock is expected
    assert lock.locked == (expected is AnswerLock.DEADLINE)


def test_answer_lock_reopened_until_a_later_time(cast, collecting) -> None:
    tender, odense = collecting
    odense.reopened_until = tender.volume_deadline + timedelta(days=2)
    assert answer_lock(odense, cast.officer, now=odense.reopened_until - timedelta(seconds=1)) is (
        AnswerLock.OPEN
    )
    assert answer_lock(odense, cast.officer, now=odense.reopened_until) is AnswerLock.DEADLINE


@pytest.mark.parametrize("role", ["officer", "staff"])
def test_answer_lock_when_not_collecting_volumes_is_for_everyone(cast, collecting, role) -> None:
    tender, odense = collecting
    odense.tender.status = TenderStatus.PREPARATION
    lock = answer_lock(odense, cast.user(role), now=tender.volume_deadline - timedelta(days=1))
    assert lock is AnswerLock.NOT_COLLECTING and lock.locked
