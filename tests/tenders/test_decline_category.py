"""A decline names its category — what the board counts — beside the member's own words."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenders.models import DeclineCategory, Participation, ParticipationEvent, TenderStatus
from tenders.services import LotVolume, participation_answer
from tests.conftest import client_for

from .conftest import invite, make_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def collecting(cast):
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    odense, _aarhus = invite(tender, [cast.odense, cast.aarhus])
    return tender, odense


def test_a_decline_keeps_its_category_and_the_audit_trail_records_it(cast, collecting) -> None:
    _tender, odense = collecting
    saved = participation_answer(
        participation=odense, user=cast.officer, answer="decline", version=1,
        decline_category=DeclineCategory.BUDGET, decline_reason="Budgettet er skåret ned",
    )  # fmt: skip
    assert (saved.decline_category, saved.decline_reason) == ("budget", "Budgettet er skåret ned")
    assert saved.get_decline_category_display() == "Budget og økonomi"
    event = ParticipationEvent.objects.filter(pgh_obj=odense).latest("pgh_id")
    assert event.decline_category == "budget"
    assert event.pgh_context.metadata["user"] == cast.officer.pk


def test_an_unknown_category_is_refused_in_danish(cast, collecting) -> None:
    _tender, odense = collecting
    with pytest.raises(ValidationError) as exc:
        participation_answer(
            participation=odense, user=cast.officer, answer="decline", version=1,
            decline_category="cheaper_elsewhere", decline_reason="x",
        )  # fmt: skip
    assert exc.value.message_dict == {
        "decline_category": ["Vælg, hvorfor kommunen fravælger udbuddet."]
    }
    assert Participation.objects.get(pk=odense.pk).answer == "pending"


def test_participating_afterwards_clears_the_category(cast, collecting) -> None:
    tender, odense = collecting
    participation_answer(
        participation=odense, user=cast.officer, answer="decline", version=1,
        decline_category=DeclineCategory.NO_NEED, decline_reason="Intet behov",
    )  # fmt: skip
    lots = {lot.pk: LotVolume(Decimal(1000)) for lot in tender.lots.all()}
    saved = participation_answer(
        participation=odense, user=cast.officer, answer="participate", version=2, volumes=lots
    )
    assert (saved.decline_category, saved.decline_reason) == ("", "")


def test_the_page_asks_for_the_category_and_refuses_a_bad_one(cast, collecting) -> None:
    tender, odense = collecting
    url = reverse("tenders:participation", args=[tender.reference, "odense"])
    client = client_for(cast.officer)
    page = client.get(url).content.decode()
    assert 'name="decline_category"' in page and "Dækket af kommunens egen aftale" in page
    form = {"answer": "decline", "decline_reason": "Egen aftale", "version": 1}
    missing = client.post(url, form)
    assert missing.status_code == 400
    assert "Vælg, hvorfor kommunen fravælger udbuddet." in missing.content.decode()
    bad = client.post(url, {**form, "decline_category": "cheaper"})
    assert bad.status_code == 400
    assert "Vælg en af de viste årsager." in bad.content.decode()
    assert client.post(url, {**form, "decline_category": "own_agreement"}).status_code == 302
    assert Participation.objects.get(pk=odense.pk).decline_category == "own_agreement"
    shown = client.get(url).content.decode()
    assert "Dækket af kommunens egen aftale" in shown


def test_the_migration_sets_earlier_declines_to_other(cast, collecting) -> None:
    tender, odense = collecting
    Participation.objects.filter(pk=odense.pk).update(answer="decline", decline_reason="Gammel")
    aarhus = Participation.objects.exclude(pk=odense.pk).get(tender=tender)
    migration = importlib.import_module("tenders.migrations.0012_decline_category")
    migration.declines_are_other(apps, None)
    assert Participation.objects.get(pk=odense.pk).decline_category == DeclineCategory.OTHER
    assert Participation.objects.get(pk=aarhus.pk).decline_category == ""  # not a decline
