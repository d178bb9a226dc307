"""Counting periods in days: working days, Danish holidays and calendar months — pure functions.

Regulation (EEC, Euratom) No 1182/71 (the *fristberegningsforordning*, applied to procurement by
recital 106 of Directive 2014/24/EU):

* a period in days starts on the day after the event (art. 3(1)) and ends when the last hour of
  its last day has expired (art. 3(2)(b)) — so a deadline that must come after a period of N
  days can lawfully be set at the earliest at the start of day N + 1, never at noon on day N;
* when the last day is a Saturday, a Sunday or a public holiday, the period ends when the last
  hour of the following working day has expired (art. 3(4)).

Which days are not working days (art. 3(4) leaves it to each member state's list of holidays):
the Danish public holidays (from the maintained `holidays` package) in every reading. Grundlovsdag
(5 June), juleaftensdag (24 December) and nytårsaftensdag (31 December) are not public holidays,
but most public offices are closed on them. The *safe* reading (the default) also treats them as
non-working days: it can only make a period end later, and a contract signed one day too early
after the standstill can be declared without effect (klagenævnsloven § 17, stk. 1, nr. 2), while
a contract signed one day late costs nothing. The *strict* reading counts only the public
holidays. The setting `TENDERS_HOLIDAY_READING` ("safe" or "strict") chooses.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

SAFE = "safe"
STRICT = "strict"
READINGS = (SAFE, STRICT)

# Days the safe reading adds to the public holidays: (month, day) → Danish name.
CLOSED_DAYS: dict[tuple[int, int], str] = {
    (6, 5): "Grundlovsdag",
    (12, 24): "Juleaftensdag",
    (12, 31): "Nytårsaftensdag",
}


def holiday_reading() -> str:
    """The reading in force: settings.TENDERS_HOLIDAY_READING, "safe" unless set to "strict"."""
    from django.conf import settings

    reading = getattr(settings, "TENDERS_HOLIDAY_READING", SAFE)
    return reading if reading in READINGS else SAFE


@cache
def _danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def holiday_name(day: date, *, reading: str | None = None) -> str:
    """The name of the holiday or closed day `day` is ("" when it is neither)."""
    name = _danish_holidays(day.year).get(day, "")
    if not name and (reading or holiday_reading()) == SAFE:
        name = CLOSED_DAYS.get((day.month, day.day), "")
    return name


def is_working_day(day: date, *, reading: str | None = None) -> bool:
    """Monday to Friday and neither a Danish public holiday nor (safe reading) a closed day."""
    return day.weekday() < 5 and not holiday_name(day, reading=reading)


def period_end(start: date, days: int, *, reading: str | None = None) -> date:
    """Last day of a period of `days` counted from the day after `start`, moved past
    Saturdays, Sundays and holidays to the next working day (Reg. 1182/71 art. 3(1) and (4))."""
    end = start + timedelta(days=days)
    while not is_working_day(end, reading=reading):
        end += timedelta(days=1)
    return end


def period_expiry(start: date, days: int, *, reading: str | None = None) -> datetime:
    """The moment (Danish local time, naive) a period of `days` after `start` has expired: the
    end of its last day, i.e. 00:00 of the day after (Reg. 1182/71 art. 3(2)(b))."""
    last = period_end(start, days, reading=reading)
    return datetime.combine(last + timedelta(days=1), time())


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# A prior information notice shortens the tender period when it was sent at least 35 days and at
# most 12 months before the contract notice (udbudsloven § 57, stk. 3, nr. 2 and § 60, stk. 3,
# nr. 2; directive art. 27(2)(b) and 28(3)(b)). The 12 months are calendar months.
PIN_MIN_DAYS = 35
PIN_MAX_MONTHS = 12


def pin_counts(pin: date | None, notice: date | None) -> bool:
    """Whether a prior information notice sent on `pin` may shorten the limits of a contract
    notice sent on `notice`."""
    if pin is None or notice is None:
        return False
    return (notice - pin).days >= PIN_MIN_DAYS and pin >= add_months(notice, -PIN_MAX_MONTHS)
