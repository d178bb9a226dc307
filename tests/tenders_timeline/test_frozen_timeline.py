"""After publication the published dates (up to the bid deadline) change only through a
corrigendum; the later milestones (award decision, standstill, contract start) stay editable."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tenders.models import Milestone, MilestoneKind, TenderStatus
from tests.conftest import client_for

from .factories import TenderFactory

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")

TIMELINE = {
    "volume_deadline": "2026-01-15T12:00",
    "publication": "2026-02-02T09:00",
    "questions_deadline": "2026-02-20T12:00",
    "bid_deadline": "2026-03-05T12:00",
    "bid_deadline_electronic": "on",
    "award_decision": "2026-04-15T10:00",
    "award_decision_electronic": "on",
    "standstill_end": "2026-04-27T23:59",
    "contract_start": "2026-05-01T00:00",
}


def url(reference: str) -> str:
    return reverse("tender_timeline:timeline", args=[reference])


@pytest.fixture
def published(cast):
    tender = TenderFactory(reference="2026-021")
    assert client_for(cast.staff).post(url(tender.reference), TIMELINE).status_code == 302
    tender.refresh_from_db()
    tender.status = TenderStatus.PUBLISHED
    tender.save()
    return tender


def test_the_bid_deadline_of_a_published_tender_is_refused_on_the_timeline(cast, published):
    response = client_for(cast.staff).post(
        url(published.reference), {**TIMELINE, "bid_deadline": "2026-03-12T12:00"}
    )
    assert response.status_code == 400
    assert "rettelsesblad" in response.content.decode()
    published.refresh_from_db()
    assert published.bid_deadline == datetime(2026, 3, 5, 12, tzinfo=CPH)
    bid = Milestone.objects.get(tender=published, kind=MilestoneKind.BID_DEADLINE)
    assert bid.due == datetime(2026, 3, 5, 12, tzinfo=CPH)


def test_urgency_of_a_published_tender_is_refused_on_the_timeline(cast, published):
    response = client_for(cast.staff).post(
        url(published.reference), {**TIMELINE, "urgency_reason": "Akut behov"}
    )
    assert response.status_code == 400
    published.refresh_from_db()
    assert published.urgency_reason == ""


def test_later_milestones_of_a_published_tender_stay_editable(cast, published):
    response = client_for(cast.staff).post(
        url(published.reference),
        {
            **TIMELINE,
            "award_decision": "2026-04-22T10:00",
            "standstill_end": "2026-05-04T23:59",
            "contract_start": "2026-05-06T00:00",
        },
    )
    assert response.status_code == 302
    award = Milestone.objects.get(tender=published, kind=MilestoneKind.AWARD_DECISION)
    assert award.due == datetime(2026, 4, 22, 10, tzinfo=CPH)


def test_before_publication_the_bid_deadline_moves_freely(cast):
    tender = TenderFactory(reference="2026-022", status=TenderStatus.PREPARATION)
    client_for(cast.staff).post(url(tender.reference), TIMELINE)
    response = client_for(cast.staff).post(
        url(tender.reference), {**TIMELINE, "bid_deadline": "2026-03-12T12:00"}
    )
    assert response.status_code == 302
