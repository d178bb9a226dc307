"""The tender deadlines as an iCalendar feed (RFC 5545), written with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar

PRODID = "-//12-by Gruppen Indkøbscentral//Indkøbsportal//DA"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    summary: str
    description: str = ""
    url: str = ""
    last_modified: datetime | None = None


def build_calendar(events: Iterable[CalendarEvent], *, name: str, now: datetime) -> str:
    """A VCALENDAR of point-in-time events (deadlines), with CRLF line endings."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Copenhagen")
    for event in events:
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", now.astimezone(UTC))
        # A DATE-TIME start without DTEND or DURATION is an event that takes no time: a deadline
        # (RFC 5545 §3.6.1). Times are written in UTC, so no VTIMEZONE is needed.
        vevent.add("dtstart", event.start.astimezone(UTC))
        vevent.add("summary", event.summary)
        if event.description:
            vevent.add("description", event.description)
        if event.url:
            vevent.add("url", event.url)
        if event.last_modified:
            vevent.add("last-modified", event.last_modified.astimezone(UTC))
        vevent.add("transp", "TRANSPARENT")
        calendar.add_component(vevent)
    return calendar.to_ical().decode()
