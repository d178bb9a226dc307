"""What the figure modules share: one computation per page or pack, `KeyFigure`, members."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import Member

from ..periods import Period

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("reports_figures_memo", default=None)


@contextmanager
def one_computation() -> Iterator[None]:
    """Within the block each figure is computed once: a pack or a dashboard asks for the same
    table several times (a section, a key figure, the trend), and the answers must agree."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


# The figures read the clock through the day and the participation deadlines passed (the
# answers to a tender count once its deadline has passed): what a kept figure depends on.
DEADLINES_CLOCK = (
    "(SELECT max(volume_deadline) FROM tenders_tender WHERE volume_deadline <= %(now)s)"
)


def _memoised[F: Callable[..., Any]](fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _memo.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (fn.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class KeyFigure:
    slug: str
    label: str
    value: Any
    kind: str  # "kr", "number", "percent"
    previous: Any = None


def _membership(start: datetime.date, end: datetime.date) -> Q:
    """Members at some time in start ≤ day < end, by their joined and left dates."""
    return (
        (Q(joined_on__isnull=True) | Q(joined_on__lt=end))
        & (Q(left_on__isnull=True) | Q(left_on__gt=start))
        & ~Q(status=Member.Status.CANDIDATE)
        # A former member without a date of leaving cannot be placed in time: left out.
        & ~Q(status=Member.Status.FORMER, left_on__isnull=True)
    )


@_memoised
def _members(period: Period) -> list[Member]:
    """The members during the period (also those that joined or left in it)."""
    return list(
        Member.objects.filter(_membership(period.start, period.end))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _member_count_at(day: datetime.date) -> int:
    return Member.objects.filter(_membership(day, day + datetime.timedelta(days=1))).count()


def _as_of_note(period: Period, today: datetime.date | None = None) -> str:
    return _("As of %(date)s.") % {"date": date_format(period.as_of(today), "SHORT_DATE_FORMAT")}
