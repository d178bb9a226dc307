"""A tender's timeline checked against the minimum time limits — pure functions, no database.

The limits, each with its source, are in tenders/time_limits.py; how periods are counted in
tenders/periods.py. Here: the order of milestones, each limit applied to a planned timeline
(compared as date-times in Danish time), the 6-day rule for answers, the standstill before the
contract start, and the hints of earliest dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.utils.translation import gettext_lazy as _

from .periods import holiday_name, is_working_day, period_end, period_expiry, pin_counts
from .time_limits import (
    ANSWER_DAYS_BEFORE_BID_DEADLINE,
    ANSWERS_SOURCE,
    BELOW_THRESHOLD,
    DIALOGUE,
    DPS,
    MINI_COMPETITION,
    NEGOTIATED,
    NONE,
    OPEN,
    REQUEST_PROCEDURES,
    RESTRICTED,
    RULES,
    STANDSTILL_PROCEDURES,
    STANDSTILL_SOURCE,
    Circumstances,
    Kind,
    Limit,
    Outcome,
    Point,
    Rule,
    Timeline,
    apply_rule,
    earliest_end,
    last_answer_day,
    rules_for,
    standstill_end,
)

__all__ = [
    "ANSWER_DAYS_BEFORE_BID_DEADLINE",
    "BELOW_THRESHOLD",
    "DIALOGUE",
    "DPS",
    "MINI_COMPETITION",
    "NEGOTIATED",
    "OPEN",
    "REQUEST_PROCEDURES",
    "RESTRICTED",
    "RULES",
    "STANDSTILL_PROCEDURES",
    "Circumstances",
    "Kind",
    "Limit",
    "Outcome",
    "Point",
    "Rule",
    "apply_rule",
    "earliest_end",
    "holiday_name",
    "is_working_day",
    "last_answer_day",
    "period_end",
    "period_expiry",
    "pin_counts",
    "rules_for",
    "standstill_end",
]


@dataclass(frozen=True)
class Finding:
    """One problem in a timeline, tied to the milestone that must move."""

    kind: str
    message: str
    rule: Rule | None = None
    earliest: date | None = None
    source_text: str = ""

    @property
    def source(self) -> str:
        return self.source_text or (self.rule.source if self.rule else "")


def check_timeline(
    procedure: str, timeline: Timeline, circumstances: Circumstances = NONE
) -> list[Finding]:
    """Every breach of the order of milestones and of the procedure's minimum time limits."""
    from django.utils.formats import date_format

    findings: list[Finding] = []
    # The steps of the procedure follow one another (as date-times). A prior information notice
    # is not one of them: it is usually sent months ahead, often while the members are still
    # answering, so it only has to come before the contract notice (the 35-day to 12-month
    # window is a separate question that only decides whether it shortens a limit).
    planned = [kind for kind in Kind.ORDER if kind in timeline and kind != Kind.PIN]
    for before, after in pairwise(planned):
        if timeline[after].moment < timeline[before].moment:
            findings.append(
                Finding(after, str(_("This date is earlier than the milestone before it.")))
            )
    pin = timeline.get(Kind.PIN)
    later = next(
        (timeline[k] for k in Kind.ORDER[Kind.ORDER.index(Kind.PIN) + 1 :] if k in timeline), None
    )
    if pin and later and later.moment < pin.moment:
        findings.append(
            Finding(
                Kind.PIN,
                str(_("A prior information notice must be sent before the contract notice.")),
            )
        )

    for rule in rules_for(procedure):
        end = timeline.get(rule.end)
        outcome = apply_rule(rule, timeline, circumstances)
        if end is None or outcome is None:
            continue
        if rule.deadline:
            if end.moment >= outcome.earliest_moment:
                continue
            message = _(
                "At least %(days)s days are required (%(source)s): the period runs to the end "
                "of %(last)s, so the earliest allowed time is %(date)s at 00:00."
            ) % {
                "days": outcome.limit.days,
                "source": outcome.limit.source,
                "last": date_format(outcome.last_day, "DATE_FORMAT"),
                "date": date_format(outcome.earliest, "DATE_FORMAT"),
            }
        else:
            if end.day >= outcome.last_day:
                continue
            message = _(
                "At least %(days)s days are required: the earliest allowed date is %(date)s."
            ) % {
                "days": outcome.limit.days,
                "date": date_format(outcome.earliest, "DATE_FORMAT"),
            }
        findings.append(
            Finding(rule.end, str(message), rule, outcome.earliest, outcome.limit.source)
        )

    questions, bid = timeline.get(Kind.QUESTIONS_DEADLINE), timeline.get(Kind.BID_DEADLINE)
    if questions and bid:
        latest = last_answer_day(bid.day)
        if questions.day > latest:
            message = _(
                "Answers to questions must be sent at least 6 full days before the bid deadline "
                "(udbudsloven § 134, stk. 1, and § 93, stk. 4, no. 1): at the latest on %(date)s."
            ) % {"date": date_format(latest, "DATE_FORMAT")}
            findings.append(
                Finding(Kind.QUESTIONS_DEADLINE, str(message), source_text=ANSWERS_SOURCE)
            )

    award, start = timeline.get(Kind.AWARD_DECISION), timeline.get(Kind.CONTRACT_START)
    if award and start and procedure in STANDSTILL_PROCEDURES:
        last = standstill_end(award.day, electronic=award.electronic)
        if start.day <= last:
            message = _("The contract cannot start before the standstill has ended (%(date)s).") % {
                "date": date_format(last, "DATE_FORMAT")
            }
            findings.append(
                Finding(Kind.CONTRACT_START, str(message), source_text=STANDSTILL_SOURCE)
            )
    return findings


def suggested_dates(
    procedure: str, timeline: Timeline, circumstances: Circumstances = NONE
) -> dict[str, date]:
    """Earliest allowed date per milestone kind, for the form's hints."""
    result: dict[str, date] = {}
    for rule in rules_for(procedure):
        earliest = earliest_end(rule, timeline, circumstances)
        if earliest is not None:
            result[rule.end] = max(earliest, result.get(rule.end, earliest))
    return result


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def quarters(first: tuple[int, int], count: int) -> list[tuple[int, int]]:
    """`count` consecutive (year, quarter) pairs starting at `first`."""
    year, quarter = first
    result = []
    for _i in range(count):
        result.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result
