"""Report periods: a year (`2026`), a half-year (`2026-H1`) or a quarter (`2026-Q3`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[HQ])(?P<n>\d))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date  # first day
    end: datetime.date  # first day after

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """`2026`, `1. halvår 2026`, `3. kvartal 2026` — reads well after "Bestyrelsesrapport"."""
        m = _PATTERN.match(self.key)
        assert m
        if not m["kind"]:
            return m["year"]
        if m["kind"] == "H":
            return _("%(n)s. half-year %(year)s") % {"n": m["n"], "year": m["year"]}
        return _("%(n)s. quarter %(year)s") % {"n": m["n"], "year": m["year"]}

    @property
    def short_label(self) -> str:
        """`2026`, `H1 2026`, `K3 2026` — for chart axes."""
        m = _PATTERN.match(self.key)
        assert m
        if not m["kind"]:
            return m["year"]
        if m["kind"] == "H":
            return _("H%(n)s %(year)s") % {"n": m["n"], "year": m["year"]}
        return _("Q%(n)s %(year)s") % {"n": m["n"], "year": m["year"]}

    @property
    def months(self) -> list[datetime.date]:
        months, day = [], self.start
        while day < self.end:
            months.append(day)
            day = _add_months(day, 1)
        return months

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def closing_moment(self) -> datetime.datetime:
        """The period's last instant in Danish time: state-like figures of a past period are the
        state then (a step taken at midnight after it belongs to the next period)."""
        first_after = datetime.datetime.combine(self.end, datetime.time.min)
        return timezone.make_aware(first_after) - datetime.timedelta(microseconds=1)

    def is_over(self, today: datetime.date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())

    def as_of(self, today: datetime.date | None = None) -> datetime.date:
        """The day state-like figures are read at: the period's last day, or today if earlier."""
        return min(self.last_day, today or timezone.localdate())

    def previous(self) -> Period:
        span = len(self.months)
        return Period(
            _key_for(_add_months(self.start, -span), span),
            _add_months(self.start, -span),
            self.start,
        )

    def trend(self, count: int | None = None) -> list[Period]:
        """This period and the ones before it, oldest first: 3 years, or 4 half-years or quarters."""
        count = count or (3 if len(self.months) == 12 else 4)
        periods = [self]
        while len(periods) < count:
            periods.insert(0, periods[0].previous())
        return periods


def _add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _key_for(start: datetime.date, span: int) -> str:
    if span == 12:
        return str(start.year)
    if span == 6:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def parse_period(text: str) -> Period:
    """`2026` → the year, `2026-H2` → July–December, `2026-Q1` → January–March."""
    m = _PATTERN.match((text or "").strip().upper())
    if not m:
        raise PeriodError(
            _("Give the period as a year (2026), half-year (2026-H1) or quarter (2026-Q3).")
        )
    year = int(m["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(_("The year must be between 2000 and 2100."))
    if not m["kind"]:
        start, span = datetime.date(year, 1, 1), 12
    else:
        n = int(m["n"])
        span = 6 if m["kind"] == "H" else 3
        if not 1 <= n <= 12 // span:
            raise PeriodError(_("There is no such half-year or quarter."))
        start = datetime.date(year, (n - 1) * span + 1, 1)
    return Period(_key_for(start, span), start, _add_months(start, span))


def short_label(key: str) -> str:
    """A period's key (`2026-Q3`) as its chart axis label (`K3 2026`)."""
    return parse_period(key).short_label


def current_year_period(today: datetime.date | None = None) -> Period:
    return parse_period(str((today or timezone.localdate()).year))


def period_choices(
    today: datetime.date | None = None, years: tuple[int, ...] = (0, -1)
) -> list[tuple[str, str]]:
    """Periods offered in filters: by default this and last year, their half-years and quarters."""
    year = (today or timezone.localdate()).year
    keys: list[str] = []
    for y in (year + offset for offset in years):
        keys += [str(y), f"{y}-H1", f"{y}-H2"] + [f"{y}-Q{q}" for q in range(1, 5)]
    return [(k, parse_period(k).label) for k in keys]
