"""Answers that need more than a click: the secretariat's changes after the deadline, and members
bound by their commitment, whose opt-out terms apply."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import Commitment
from tenders.models import Participation, ParticipationEvent, TenderStatus
from tenders.services import LotVolume, participation_answer
from tests.conftest import client_for

from .conftest import invite, make_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def collecting(cast):
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    odense, _aarhus = invite(tender, [cast.odense, cast.aarhus])
    return tender, odense


def _past_deadline(tender) -> None:
    tender.volume_deadline = timezone.now() - timedelta(hours=1)
    tender.save()


# --- the secretariat after the deadline -------------------------------------------------------


def test_secretariat_change_after_the_deadline_needs_a_reason(cast, collecting) -> None:
    tender, odense = collecting
    _past_deadline(tender)
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.staff, answer="decline", version=1,
            decline_category="own_agreement", decline_reason="Byrådet har sagt nej",
        )  # fmt: skip
    assert "change_reason" in exc.value.message_dict
    participation_answer(
        participation=odense, user=cast.staff, answer="decline", version=1,
        decline_category="own_agreement", decline_reason="Byrådet har sagt nej", change_reason="Mail fra kommunen 3. marts",
    )  # fmt: skip
    event = ParticipationEvent.objects.filter(pgh_obj=odense, answer="decline").latest(
        "pgh_created_at"
    )
    assert event.pgh_context.metadata["reason"] == "Mail fra kommunen 3. marts"
    assert event.pgh_context.metadata["user"] == cast.staff.pk


def test_secretariat_change_before_the_deadline_needs_no_reason(cast, collecting) -> None:
    _tender, odense = collecting
    participation_answer(
        participation=odense,
        user=cast.staff,
        answer="decline",
        version=1,
        decline_category="own_agreement",
        decline_reason="x",
    )


def test_secretariat_page_asks_for_the_reason_after_the_deadline(cast, collecting) -> None:
    tender, odense = collecting
    _past_deadline(tender)
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    client = client_for(cast.staff)
    page = client.get(url).content.decode()
    assert 'name="change_reason"' in page
    form = {
        "answer": "decline",
        "decline_category": "other",
        "decline_reason": "Nej tak",
        "version": 1,
    }
    response = client.post(url, form)
    assert response.status_code == 400
    assert "angiv en begrundelse for at ændre svaret" in response.content.decode()
    response = client.post(url, {**form, "change_reason": "Aftalt pr. telefon"})
    assert response.status_code == 302
    assert Participation.objects.get(pk=odense.pk).answer == "decline"


# --- members bound by their commitment ----------------------------------------------------------


def _bind(member, **terms) -> Commitment:
    year = timezone.localdate().year
    return Commitment.objects.create(
        member=member, start_year=year - 1, end_year=year + 3, binding_procedures=["open"], **terms
    )


def test_bound_member_may_not_opt_out_when_its_commitment_forbids_it(cast, collecting) -> None:
    _tender, odense = collecting
    _bind(cast.odense, opt_out_allowed=False)
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="decline", version=1,
            decline_category="own_agreement", decline_reason="Egen aftale",
        )  # fmt: skip
    assert "bundet" in exc.value.messages[0] and "ikke tillader" in exc.value.messages[0]
    assert Participation.objects.get(pk=odense.pk).answer == "pending"
    # Participating is what the commitment asks for.
    lot = _tender.lots.first()
    participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=1,
        volumes={lot.pk: LotVolume(Decimal(1000))},
    )  # fmt: skip


def test_bound_member_may_not_opt_out_after_its_opt_out_deadline(cast, collecting) -> None:
    tender, odense = collecting  # participation deadline in 14 days
    _bind(cast.odense, opt_out_allowed=True, opt_out_deadline_days=30)
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="decline", version=1,
            decline_category="own_agreement", decline_reason="Egen aftale",
        )  # fmt: skip
    last = timezone.localtime(tender.volume_deadline - timedelta(days=30))
    assert last.strftime("%d.%m.%Y") in exc.value.messages[0]


def test_bound_member_opts_out_in_time_with_a_justification(cast, collecting) -> None:
    _tender, odense = collecting
    _bind(cast.odense, opt_out_deadline_days=7, opt_out_justification_required=True)
    with pytest.raises(ValidationError) as exc:
        participation_answer(participation=odense, user=cast.officer, answer="decline", version=1)
    assert "begrundelsen for fravalget" in exc.value.message_dict["decline_reason"][0]
    participation_answer(
        participation=odense, user=cast.officer, answer="decline", version=1,
        decline_category="own_agreement", decline_reason="Egen aftale til 2028",
    )  # fmt: skip


def test_unbound_member_declines_as_before(cast, collecting) -> None:
    _tender, odense = collecting
    _bind(cast.aarhus, opt_out_allowed=False)
    participation_answer(
        participation=odense,
        user=cast.officer,
        answer="decline",
        version=1,
        decline_category="own_agreement",
        decline_reason="x",
    )


def test_secretariat_records_an_opt_out_outside_the_terms_with_a_reason(cast, collecting) -> None:
    _tender, odense = collecting
    _bind(cast.odense, opt_out_allowed=False)
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense,
            user=cast.staff,
            answer="decline",
            version=1,
            decline_category="own_agreement",
            decline_reason="x",
        )
    assert "change_reason" in exc.value.message_dict
    participation_answer(
        participation=odense, user=cast.staff, answer="decline", version=1, decline_category="own_agreement", decline_reason="x",
        change_reason="Bestyrelsen har godkendt fritagelsen",
    )  # fmt: skip


def test_participation_page_tells_the_member_it_is_bound(cast, collecting) -> None:
    tender, _odense = collecting
    commitment = _bind(cast.odense, opt_out_deadline_days=7)
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    html = client_for(cast.officer).get(url).content.decode()
    assert "Kommunen er forpligtet til at tilslutte sig" in html
    assert commitment.period in html
    last = timezone.localtime(tender.volume_deadline - timedelta(days=7))
    assert last.strftime("%d.%m.%Y %H:%M") in html
    other = client_for(cast.aarhus_officer).get(
        reverse("tenders:participation", args=[tender.reference, "aarhus"])
    )
    assert "Kommunen er bundet" not in other.content.decode()
