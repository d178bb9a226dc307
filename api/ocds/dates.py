"""Dates and times as OCDS publishes them: RFC 3339 in UTC.

OCDS has no plain dates; a period runs from one instant to another. A calendar day of the
portal (an agreement's start, its last day) is a Danish day, so it is turned into an instant in
Europe/Copenhagen: a start date into the first second of the day, an end date into the last
second (23:59:59) of its last day, so that a period ending 31 December 2030 ends at
2030-12-31T22:59:59Z (CET) and one ending 30 June 2030 at 2030-06-30T21:59:59Z (CEST). The
zone database decides which offset applies, so the days the clocks change come out right.
Every date the OCDS publication contains goes through `ocds_datetime`.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
_END_OF_DAY = datetime.time(23, 59, 59)


def ocds_datetime(
    value: datetime.datetime | datetime.date | None, *, end_of_day: bool = False
) -> str | None:
    """`value` as an OCDS date-time in UTC (`2030-12-31T22:59:59Z`).

    A datetime is the instant it names (`end_of_day` does not apply). A date is a Danish
    calendar day: its first second, or its last second with `end_of_day=True` (for the end of a
    period, whose last day is included).
    """
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        moment = _END_OF_DAY if end_of_day else datetime.time()
        value = datetime.datetime.combine(value, moment, tzinfo=DANISH_TIME)
    elif value.tzinfo is None:
        raise ValueError("a naive datetime has no place in OCDS: give it a time zone")
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
