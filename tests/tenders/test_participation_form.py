"""The answer form: a binding participation says what the municipality buys, quantities in
Danish and in their units, and messages that say what really happened."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import Commitment
from tenders.models import LineItem, Participation, TenderStatus, VolumeDeclaration
from tenders.services import LotVolume, participation_answer
from tests.conftest import client_for

from .conftest import invite, make_tender

pytestmark = pytest.mark.django_db

TOP = "Når kommunen deltager (bindende), skal I angive det forventede årlige volumen"
AT_FIELD = "Angiv det forventede årlige volumen, eller marker at kommunen ikke køber på denne"


@pytest.fixture
def collecting(cast):
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    lot1, lot2 = tender.lots.order_by("number")
    LineItem.objects.create(lot=lot1, number=1, description="Kopipapir A4", unit="æske à 100",
                            quantity=Decimal("4500"))  # fmt: skip
    LineItem.objects.create(lot=lot2, number=1, description="Rådgivning", unit="timer")
    LineItem.objects.create(lot=lot2, number=2, description="Rejser", unit="kr.")
    return tender, odense, aarhus, lot1, lot2


def _url(tender, member="odense"):
    return reverse("tenders:participation", args=[tender.reference, member])


def _post(client, tender, member="odense", **fields):
    return client.post(_url(tender, member), {"version": 1, "answer": "participate", **fields})


def test_participating_without_any_volume_is_refused_at_the_top_and_at_the_fields(
    cast, collecting
) -> None:
    tender, odense, _aarhus, _lot1, _lot2 = collecting
    response = _post(client_for(cast.officer), tender)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Svaret blev ikke gemt" in text and TOP in text
    assert text.count(AT_FIELD) == 2  # at each lot's volume
    assert Participation.objects.get(pk=odense.pk).answer == "pending"


def test_every_lot_marked_as_taken_nothing_on_is_refused(cast, collecting) -> None:
    tender, _odense, _aarhus, lot1, lot2 = collecting
    response = _post(
        client_for(cast.officer), tender, **{f"none_{lot1.pk}": "on", f"none_{lot2.pk}": "on"}
    )
    assert response.status_code == 400
    assert TOP in response.content.decode()


def test_a_volume_and_taken_nothing_on_the_same_lot_is_refused(cast, collecting) -> None:
    tender, _odense, _aarhus, lot1, lot2 = collecting
    response = _post(
        client_for(cast.officer), tender,
        **{f"volume_{lot1.pk}": "1.000", f"none_{lot1.pk}": "on", f"none_{lot2.pk}": "on"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "ikke begge dele" in response.content.decode()


def test_a_volume_on_one_lot_and_nothing_on_the_other_is_saved(cast, collecting) -> None:
    tender, odense, _aarhus, lot1, lot2 = collecting
    client = client_for(cast.officer)
    response = _post(
        client, tender,
        **{f"volume_{lot1.pk}": "850.000,00", f"quantity_{lot1.pk}": "4.500",
           f"none_{lot2.pk}": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    declaration = VolumeDeclaration.objects.get(participation=odense)
    assert (declaration.lot, declaration.annual_volume, declaration.quantity) == (
        lot1, Decimal("850000.00"), Decimal("4500.00"),
    )  # fmt: skip
    page = client.get(_url(tender)).content.decode()
    assert "Jeres svar er gemt." in page
    assert "Svaret for" not in page


def test_the_service_refuses_participation_without_volumes_too(cast, collecting) -> None:
    """The API writes through the same service."""
    _tender, odense, *_rest = collecting
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="participate", version=1
        )
    assert exc.value.messages == [
        "Når kommunen deltager (bindende), skal I angive et forventet årligt volumen for "
        "mindst én delaftale."
    ]


def test_a_refused_form_shows_quantities_the_danish_way(cast, collecting) -> None:
    tender, _odense, _aarhus, lot1, _lot2 = collecting
    response = _post(
        client_for(cast.officer),
        tender,
        **{f"volume_{lot1.pk}": "850000", f"quantity_{lot1.pk}": "4500"},
    )  # fmt: skip  (lot 2 is neither given nor ticked)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'value="850.000,00"' in text and 'value="4.500"' in text


def test_garbled_quantity_is_refused_in_danish_and_shown_as_typed(cast, collecting) -> None:
    tender, _odense, _aarhus, lot1, lot2 = collecting
    response = _post(
        client_for(cast.officer), tender,
        **{f"volume_{lot1.pk}": "1.000", f"quantity_{lot1.pk}": "4.5", f"none_{lot2.pk}": "on"},
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "Skriv tallet på dansk, fx 4.500 eller 850.000,00." in text
    assert 'value="4.5"' in text


def test_the_saved_answer_reopens_danish_formatted_with_nothing_ticked(cast, collecting) -> None:
    tender, odense, _aarhus, lot1, lot2 = collecting
    VolumeDeclaration.objects.create(participation=odense, lot=lot1,
                                     annual_volume=Decimal("850000"), quantity=Decimal("4500"))  # fmt: skip
    odense.answer = "participate"
    odense.save()
    text = client_for(cast.officer).get(_url(tender)).content.decode()
    assert 'value="850.000,00"' in text and 'value="4.500"' in text
    box = re.search(rf'<input[^>]*name="none_{lot2.pk}"[^>]*>', text).group(0)
    assert "checked" in box
    box1 = re.search(rf'<input[^>]*name="none_{lot1.pk}"[^>]*>', text).group(0)
    assert "checked" not in box1


def test_the_form_shows_each_lots_lines_and_units(cast, collecting) -> None:
    tender, *_rest = collecting
    text = client_for(cast.officer).get(_url(tender)).content.decode()
    assert "Delaftale 1: forventet årlig mængde i æske à 100" in text
    assert "Enheder på delaftalens linjer: timer, kr." in text
    assert "4.500 æske à 100" in text  # the line's estimated quantity, with its unit


def test_the_secretariat_answering_for_a_member_is_told_whose_answer_was_saved(
    cast, collecting
) -> None:
    tender, _odense, _aarhus, lot1, lot2 = collecting
    client = client_for(cast.staff)
    response = _post(
        client, tender, "aarhus", **{f"volume_{lot1.pk}": "1.000", f"none_{lot2.pk}": "on"}
    )
    assert response.status_code == 302
    page = client.get(_url(tender, "aarhus")).content.decode()
    assert "Svaret for Aarhus er gemt." in page
    assert "Jeres svar er gemt." not in page


# --- reopening: the secretariat's form after the deadline ------------------------------------


def _past_deadline(tender) -> None:
    tender.volume_deadline = timezone.now() - timedelta(hours=1)
    tender.save()


def test_the_secretariat_sees_the_reopen_form_after_the_deadline(cast, collecting) -> None:
    tender, *_rest = collecting
    before = client_for(cast.staff).get(_url(tender)).content.decode()
    assert "Genåbn svaret" not in before and "Reopen the answer" not in before
    _past_deadline(tender)
    after = client_for(cast.staff).get(_url(tender)).content.decode()
    assert reverse("tenders:reopen", args=[tender.reference, "odense"]) in after
    officer = client_for(cast.officer).get(_url(tender)).content.decode()
    assert reverse("tenders:reopen", args=[tender.reference, "odense"]) not in officer


# --- live pooling: what it says about bound members ------------------------------------------


def _live(cast, tender) -> str:
    return (
        client_for(cast.staff)
        .get(reverse("tenders:live", args=[tender.reference]))
        .content.decode()
    )


def test_with_nobody_bound_the_page_does_not_claim_every_bound_member_answered(
    cast, collecting
) -> None:
    tender, *_rest = collecting
    text = _live(cast, tender)
    assert "Alle forpligtede medlemmer har svaret" not in text
    assert "Intet medlem er bundet af sin forpligtelse til at deltage i dette udbud." in text


def test_bound_members_that_have_not_answered_are_named(cast, collecting) -> None:
    tender, _odense, _aarhus, lot1, _lot2 = collecting
    year = timezone.localtime(tender.volume_deadline).year
    Commitment.objects.create(
        member=cast.odense, start_year=year - 1, end_year=year + 3, binding_procedures=["open"]
    )
    text = _live(cast, tender)
    assert "<li>Odense</li>" in text
    assert "Alle forpligtede medlemmer har svaret" not in text
    odense = Participation.objects.get(tender=tender, member=cast.odense)
    participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=1,
        volumes={lot1.pk: LotVolume(Decimal(1000))},
    )  # fmt: skip
    assert "Alle forpligtede medlemmer har svaret." in _live(cast, tender)


def test_the_commitment_notice_speaks_to_the_member_and_of_it_to_the_secretariat(
    cast, collecting
) -> None:
    tender, *_rest = collecting
    year = timezone.localtime(tender.volume_deadline).year
    Commitment.objects.create(
        member=cast.odense, start_year=year - 1, end_year=year + 3, binding_procedures=["open"]
    )
    officer = client_for(cast.officer).get(_url(tender)).content.decode()
    assert "Jeres forpligtelse" in officer
    staff = client_for(cast.staff).get(_url(tender)).content.decode()
    assert "Jeres forpligtelse" not in staff
    assert f"Forpligtelsen {year - 1}–{year + 3} for Odense" in staff
