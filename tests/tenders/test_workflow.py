"""The tender workflow: every guard, the audit trail, invitations and the conclusion seam."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tenders import workflow
from tenders.models import Participation, PoolingRun, Tender, TenderEvent, TenderStatus
from tenders.services import TransitionRefused, tender_pool_volumes, tender_transition
from tenders.signals import tender_concluded

from .conftest import criteria, declare, invite, make_tender

S = TenderStatus
pytestmark = pytest.mark.django_db


def refused(tender: Tender, to: str, **kwargs) -> list[str]:
    with pytest.raises(TransitionRefused) as exc:
        tender_transition(tender=tender, to_status=to, user=kwargs.pop("user", None), **kwargs)
    return exc.value.messages


def test_the_happy_path_from_plan_to_conclusion(cast, django_capture_on_commit_callbacks) -> None:
    tender = make_tender(cast)
    criteria(tender, 60, 30, 10)
    tender_transition(tender=tender, to_status=S.NEEDS_ANALYSIS, user=cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        tender_transition(tender=tender, to_status=S.VOLUME_COLLECTION, user=cast.staff)
    for p in tender.participations.all():
        declare(p, 100_000, 50_000)
    tender_transition(tender=tender, to_status=S.PREPARATION, user=cast.staff)
    tender_pool_volumes(tender=tender, user=cast.staff)
    tender_transition(tender=tender, to_status=S.PUBLISHED, user=cast.staff)
    after_bids = tender.bid_deadline + timedelta(minutes=1)
    tender_transition(tender=tender, to_status=S.EVALUATION, user=cast.staff, now=after_bids)
    tender_transition(tender=tender, to_status=S.AWARDED, user=cast.staff, now=after_bids)
    tender.refresh_from_db()
    # The day after the standstill's last day, which a weekend or holiday may push back.
    from tenders.timeline import standstill_end

    decided = timezone.localtime(tender.awarded_at).date()
    after_standstill = tender.awarded_at + timedelta(
        days=(standstill_end(decided) - decided).days + 1
    )
    tender_transition(tender=tender, to_status=S.CONCLUDED, user=cast.staff, now=after_standstill)
    assert Tender.objects.get(pk=tender.pk).status == S.CONCLUDED


def test_illegal_jump_is_refused_in_danish(cast) -> None:
    tender = make_tender(cast)
    messages = refused(tender, S.PUBLISHED)
    assert messages == ["Et udbud kan ikke gå fra »Planlagt« til »Offentliggjort«."]
    assert Tender.objects.get(pk=tender.pk).status == S.PLANNED


def test_finished_tender_cannot_move(cast) -> None:
    tender = make_tender(cast, status=S.CONCLUDED)
    refused(tender, S.CANCELLED, reason="for sent")
    tender = make_tender(cast, status=S.CANCELLED, reference="2026-015")
    refused(tender, S.PLANNED)


@pytest.mark.parametrize("status", sorted(workflow.NEXT))
def test_cancel_from_every_open_status_needs_a_reason(cast, status) -> None:
    tender = make_tender(cast, status=status)
    assert refused(tender, S.CANCELLED, reason="  ") == [
        "Angiv en begrundelse for at aflyse udbuddet."
    ]
    tender_transition(
        tender=tender, to_status=S.CANCELLED, user=cast.staff, reason="For få deltagere"
    )
    tender.refresh_from_db()
    assert (tender.status, tender.cancel_reason) == (S.CANCELLED, "For få deltagere")


def test_volume_collection_needs_lots_and_a_future_deadline(cast) -> None:
    tender = make_tender(cast, status=S.NEEDS_ANALYSIS, lots=0, volume_deadline=None)
    assert set(refused(tender, S.VOLUME_COLLECTION)) == {
        "Tilføj mindst én delaftale, før volumenindsamlingen begynder.",
        "Sæt tilslutningsfristen, før volumenindsamlingen begynder.",
    }
    past = make_tender(
        cast, status=S.NEEDS_ANALYSIS, reference="2026-015",
        volume_deadline=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    assert refused(past, S.VOLUME_COLLECTION) == ["Tilslutningsfristen skal ligge i fremtiden."]


def test_entering_volume_collection_invites_every_active_member(
    cast, django_capture_on_commit_callbacks
) -> None:
    tender = make_tender(cast, status=S.NEEDS_ANALYSIS)
    with django_capture_on_commit_callbacks(execute=True):
        tender_transition(tender=tender, to_status=S.VOLUME_COLLECTION, user=cast.staff)
    answers = Participation.objects.filter(tender=tender)
    assert {p.member for p in answers} == {cast.odense, cast.aarhus}
    assert all(p.answer == "pending" for p in answers)
    # Officers get an e-mail (viewers do not), in Danish, with the deadline and the link.
    assert sorted(m.to[0] for m in mail.outbox) == ["indkob@aarhus.test", "indkob@odense.test"]
    assert "2026-014" in mail.outbox[0].subject
    assert "/tenders/2026-014/" in mail.outbox[0].body


def test_preparation_waits_for_the_deadline_or_every_answer(cast) -> None:
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    odense, _aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 1000)
    assert refused(tender, S.PREPARATION) == [
        "Tilslutningsfristen er ikke udløbet, og nogle medlemmer har ikke svaret."
    ]
    # After the deadline it may go on with the answers it has.
    later = tender.volume_deadline + timedelta(seconds=1)
    tender_transition(tender=tender, to_status=S.PREPARATION, user=cast.staff, now=later)


def test_preparation_needs_a_participant(cast) -> None:
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    (odense,) = invite(tender, [cast.odense])
    odense.answer = "decline"
    odense.decline_reason = "Egen aftale"
    odense.save()
    assert refused(tender, S.PREPARATION) == ["Intet medlem har tilsluttet sig udbuddet."]


def _ready_to_publish(cast, **fields) -> Tender:
    tender = make_tender(cast, status=S.PREPARATION, **fields)
    (odense,) = invite(tender, [cast.odense])
    declare(odense, 500_000)
    criteria(tender, 70, 30)
    tender_pool_volumes(tender=tender, user=cast.staff)
    return tender


def test_no_publication_before_pooling(cast) -> None:
    tender = _ready_to_publish(cast)
    PoolingRun.objects.all().delete()
    assert refused(tender, S.PUBLISHED) == [
        "Læg volumen sammen først: Der er ikke lagt volumen sammen siden den seneste ændring af en angivelse."
    ]


def test_no_publication_when_answers_changed_after_pooling(cast) -> None:
    tender = _ready_to_publish(cast)
    declare(tender.participations.get(), 600_000)
    assert len(refused(tender, S.PUBLISHED)) == 1


def test_no_publication_unless_criteria_weigh_100(cast) -> None:
    tender = _ready_to_publish(cast)
    tender.criteria.filter(weight=30).update(weight=20)
    assert refused(tender, S.PUBLISHED) == [
        "Tildelingskriteriernes vægte skal give 100 % tilsammen (nu 90 %)."
    ]


def test_no_publication_before_documents_are_rendered(cast, monkeypatch) -> None:
    tender = _ready_to_publish(cast)
    monkeypatch.setattr(workflow, "documents_ready", lambda t: False)
    assert refused(tender, S.PUBLISHED) == [
        "Dan det aktuelle udbudsmateriale før offentliggørelsen."
    ]


def test_no_publication_without_a_future_bid_deadline(cast) -> None:
    tender = _ready_to_publish(cast, bid_deadline=timezone.now() - timedelta(days=1))
    assert refused(tender, S.PUBLISHED) == [
        "Sæt en tilbudsfrist i fremtiden før offentliggørelsen."
    ]


@pytest.mark.parametrize("status", [S.PUBLISHED, S.EVALUATION])
def test_no_evaluation_or_award_before_the_bid_deadline(cast, status) -> None:
    tender = make_tender(cast, status=status)
    target = workflow.NEXT[status]
    assert refused(tender, target) == ["Tilbudsfristen er ikke udløbet endnu."]
    tender_transition(
        tender=tender, to_status=target, user=cast.staff,
        now=tender.bid_deadline + timedelta(seconds=1),
    )  # fmt: skip


def test_no_conclusion_during_standstill(cast) -> None:
    awarded = timezone.now()
    tender = make_tender(cast, status=S.AWARDED, awarded_at=awarded)
    assert refused(tender, S.CONCLUDED, now=awarded + timedelta(days=10)) == [
        "Standstill-perioden efter tildelingsbeslutningen er ikke udløbet."
    ]


def test_concluding_sends_the_signal_for_agreements(cast) -> None:
    received = []

    def handler(sender, tender, user, **kwargs):
        received.append((tender.reference, tender.status, user))

    tender_concluded.connect(handler)
    try:
        tender = make_tender(cast, status=S.AWARDED, awarded_at=timezone.now() - timedelta(days=20))
        tender_transition(tender=tender, to_status=S.CONCLUDED, user=cast.staff)
    finally:
        tender_concluded.disconnect(handler)
    assert received == [("2026-014", S.CONCLUDED, cast.staff)]


def test_transition_is_recorded_in_the_audit_trail_with_who(cast) -> None:
    tender = make_tender(cast)
    tender_transition(tender=tender, to_status=S.NEEDS_ANALYSIS, user=cast.staff)
    event = TenderEvent.objects.filter(pgh_obj=tender, pgh_label="update").latest("pgh_created_at")
    assert event.status == S.NEEDS_ANALYSIS
    assert event.pgh_context.metadata["user"] == cast.staff.pk
    assert event.pgh_context.metadata["transition"] == "planned→needs_analysis"


def test_pooling_without_a_threshold_in_force_stores_no_verdict(cast) -> None:
    from tenders.models import Threshold

    Threshold.objects.all().delete()
    tender = _ready_to_publish(cast)
    run = PoolingRun.objects.get(tender=tender)
    assert run.eu_procedure_required is None
    assert run.result["threshold"] is None
