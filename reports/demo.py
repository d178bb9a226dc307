"""Demo board meetings: one past with the pack made for it, one coming up (its pack not yet due)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import BoardMeeting, ReportPack
from .periods import parse_period
from .services import board_meeting_save, report_pack_create


def _quarter_before(day: datetime.date) -> str:
    quarter = (day.month - 1) // 3  # the quarter before the day's own, 0 = Q4 of last year
    return f"{day.year}-Q{quarter}" if quarter else f"{day.year - 1}-Q4"


def _meeting(date: datetime.date, period: str) -> BoardMeeting:
    label = parse_period(period).label
    meeting = BoardMeeting.objects.filter(date=date).first() or BoardMeeting(date=date)
    meeting.title, meeting.period = f"Bestyrelsesmøde – {label}", period
    return board_meeting_save(meeting=meeting)


def seed() -> list[BoardMeeting]:
    """Create or refresh the demo meetings; the past one gets its pack once."""
    today = timezone.localdate()
    past_day = today - datetime.timedelta(days=28)
    past = _meeting(past_day, _quarter_before(past_day))
    upcoming = _meeting(today + datetime.timedelta(days=21), str(today.year))
    if not ReportPack.objects.filter(meeting=past).exists():
        report_pack_create(period=parse_period(past.period), user=None, meeting=past)
    return [past, upcoming]
