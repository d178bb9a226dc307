"""The iCalendar feed: RFC 5545 text, the deadlines that concern each user, and its secret address."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tenders.ical import CalendarEvent, build_calendar
from tenders.models import Milestone, Participation, TenderStatus
from tenders.schedule import calendar_feed_token
from tests.conftest import client_for

from .factories import ParticipationFactory, TenderFactory

CPH = ZoneInfo("Europe/Copenhagen")


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _calendar(**fields: object) -> str:
    event = CalendarEvent(
        uid="milestone-1@12by-portal", start=datetime(2026, 3, 4, 12, tzinfo=CPH), **fields
    )
    return build_calendar([event], name="Frister", now=datetime(2026, 1, 1, tzinfo=UTC))


def test_text_values_are_escaped() -> None:
    lines = unfold(_calendar(summary="a,b;c\\d\ne"))
    assert "SUMMARY:a\\,b\\;c\\\\d\\ne" in lines


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    summary = "æøå Sønderborg " * 20
    text = _calendar(summary=summary)
    raw = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw)
    assert any(line.startswith(" ") for line in raw)
    assert f"SUMMARY:{summary}" in unfold(text)


def test_calendar_structure_and_crlf() -> None:
    event = CalendarEvent(
        uid="milestone-1@12by-portal",
        start=datetime(2026, 3, 4, 12, tzinfo=CPH),
        summary="2026-014 Tilbudsfrist: Kontorartikler, papir",
        url="http://testserver/tenders/2026-014/timeline/",
    )
    text = build_calendar([event], name="Frister", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[:3] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//12-by Gruppen Indkøbscentral//Indkøbsportal//DA",
    ]
    assert "DTSTART:20260304T110000Z" in lines  # 12:00 in Copenhagen is 11:00 UTC in March
    assert "DTSTAMP:20260101T000000Z" in lines
    assert "SUMMARY:2026-014 Tilbudsfrist: Kontorartikler\\, papir" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    assert lines[-2] == "END:VCALENDAR"


@pytest.fixture
def deadlines(cast):
    joined = TenderFactory(reference="2026-050", title="Joined", status=TenderStatus.PUBLISHED)
    invited = TenderFactory(
        reference="2026-051", title="Invited", status=TenderStatus.VOLUME_COLLECTION
    )
    other = TenderFactory(reference="2026-052", title="Other", status=TenderStatus.PREPARATION)
    ParticipationFactory(tender=joined, member=cast.odense)
    ParticipationFactory(tender=invited, member=cast.odense, answer=Participation.Answer.PENDING)
    ParticipationFactory(tender=other, member=cast.aarhus)
    due = datetime(2030, 5, 1, 12, tzinfo=CPH)
    for tender in (joined, invited, other):
        for kind in ("volume_deadline", "bid_deadline", "contract_start"):
            Milestone.objects.create(tender=tender, kind=kind, due=due)
    return joined, invited, other


def feed(user) -> str:
    response = client_for(None).get(
        reverse("tender_timeline:calendar_feed", args=[calendar_feed_token(user)])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return "\n".join(unfold(response.content.decode()))


@pytest.mark.django_db
def test_officer_feed_has_own_tenders_and_invitations_only(cast, deadlines) -> None:
    text = feed(cast.officer)
    assert (
        text.count("BEGIN:VEVENT") == 4
    )  # all three of Joined, the participation deadline of Invited
    assert "2026-050" in text and "2026-051" in text and "2026-052" not in text
    assert "URL:http://testserver/tenders/2026-050/timeline/" in text


@pytest.mark.django_db
def test_secretariat_and_board_feeds(cast, deadlines) -> None:
    assert feed(cast.staff).count("BEGIN:VEVENT") == 9
    board = feed(cast.board_member)
    assert board.count("BEGIN:VEVENT") == 3  # contract starts only of these kinds
    assert "Tilbudsfrist" not in board and "Bid deadline" not in board


@pytest.mark.django_db
def test_feed_address_is_secret_and_can_be_replaced(cast, deadlines) -> None:
    old = calendar_feed_token(cast.officer)
    path = reverse("tender_timeline:calendar_feed", args=[old])
    assert client_for(None).get(path).status_code == 200
    assert client_for(None).get(path.replace(old, old[:-2] + "xx")).status_code == 404
    assert (
        client_for(None).get(reverse("tender_timeline:calendar_feed", args=["1.abc"])).status_code
        == 404
    )

    page = client_for(cast.officer).get(reverse("tender_timeline:calendar")).content.decode()
    assert path in page
    client_for(cast.officer).post(reverse("tender_timeline:calendar_reset"))
    assert client_for(None).get(path).status_code == 404
    assert calendar_feed_token(cast.officer) != old

    cast.officer.is_active = False
    cast.officer.save()
    assert (
        client_for(None)
        .get(reverse("tender_timeline:calendar_feed", args=[calendar_feed_token(cast.officer)]))
        .status_code
        == 404
    )
