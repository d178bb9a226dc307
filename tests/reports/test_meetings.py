"""Board meetings: the secretariat enters them; a pack is made ahead of each one."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from reports import demo
from reports.models import BoardMeeting, ReportPack
from tests.conftest import client_for


def test_secretariat_creates_edits_and_deletes_a_board_meeting(cast) -> None:
    client = client_for(cast.staff)
    response = client.post(
        reverse("reports:meeting_new"),
        {"date": "2026-12-03", "title": "Bestyrelsesmøde december", "period": "2026-Q3"},
    )
    assert response.status_code == 302
    meeting = BoardMeeting.objects.get()
    assert (meeting.date, meeting.period) == (datetime.date(2026, 12, 3), "2026-Q3")

    listing = client.get(reverse("reports:meeting_list")).content.decode()
    assert "Bestyrelsesmøde december" in listing and "03.12.2026" in listing
    assert "3. kvartal 2026" in listing

    edit = reverse("reports:meeting_edit", args=[meeting.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"date": "2026-12-10", "title": "Bestyrelsesmøde december", "period": "2026"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.period) == (datetime.date(2026, 12, 10), "2026")

    assert client.post(reverse("reports:meeting_delete", args=[meeting.pk])).status_code == 302
    assert not BoardMeeting.objects.exists()


def test_meeting_needs_a_report_period_and_its_own_date(cast) -> None:
    BoardMeeting.objects.create(date=datetime.date(2026, 12, 3), title="Møde", period="2026")
    client = client_for(cast.staff)
    response = client.post(
        reverse("reports:meeting_new"), {"date": "2026-12-04", "title": "Møde", "period": "2026-Q7"}
    )
    assert response.status_code == 400 and BoardMeeting.objects.count() == 1
    response = client.post(
        reverse("reports:meeting_new"), {"date": "2026-12-03", "title": "Møde", "period": "2026"}
    )
    assert response.status_code == 400 and BoardMeeting.objects.count() == 1


def test_board_sees_the_meetings_and_their_packs_but_cannot_change_them(cast) -> None:
    meeting = BoardMeeting.objects.create(
        date=datetime.date(2026, 12, 3), title="Bestyrelsesmøde", period="2026"
    )
    page = client_for(cast.board_member).get(reverse("reports:meeting_list")).content.decode()
    assert "Bestyrelsesmøde" in page
    assert reverse("reports:meeting_edit", args=[meeting.pk]) not in page
    assert reverse("reports:meeting_new") not in page


def test_board_meetings_and_packs_are_in_the_admin() -> None:
    assert BoardMeeting in admin.site._registry and ReportPack in admin.site._registry


@pytest.mark.django_db
def test_demo_has_a_past_meeting_with_its_pack_and_an_upcoming_one(cast) -> None:
    for _ in range(2):  # idempotent
        demo.seed()
    today = timezone.localdate()
    past = BoardMeeting.objects.filter(date__lt=today)
    upcoming = BoardMeeting.objects.filter(date__gte=today)
    assert past.count() == 1 and upcoming.count() == 1
    assert ReportPack.objects.filter(meeting=past.get()).count() == 1
    assert not ReportPack.objects.filter(meeting=upcoming.get()).exists()
