"""Minimum time limits of a tender's timeline — pure functions, no database.

The rules below are those of Directive 2014/24/EU as implemented in Danish law by the
udbudslov (LOV nr. 1564 af 15/12/2015) and, for the standstill, by lov om Klagenævnet for Udbud
(klagenævnsloven), which implements the Remedies Directive 2007/66/EC. Each rule names its source.

How periods are counted (Regulation (EEC, Euratom) No 1182/71, the *fristberegningsforordning*,
which recital 106 of Directive 2014/24/EU makes applicable):

* a period in days starts on the day after the event (the dispatch of the notice, the
  notification of the award decision) and ends when the last hour of its last day has expired
  (article 3(1) and 3(2)(b));
* when the last day is a Saturday, a Sunday or a public holiday, the period ends when the last
  hour of the following working day has expired (article 3(4)). Danish public holidays come from
  the maintained `holidays` package.

A deadline set by the contracting authority (the bid deadline) must therefore fall on or after
the last day of the minimum period; the standstill ends at the end of its last day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import pairwise

import holidays
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    """Milestone kinds, in the order they happen (values are stored on `Milestone.kind`)."""

    NEEDS_ANALYSIS = "needs_analysis"
    VOLUME_DEADLINE = "volume_deadline"
    PIN = "pin"  # dispatch of a prior information notice (forhåndsmeddelelse)
    PUBLICATION = "publication"  # dispatch of the contract notice (udbudsbekendtgørelse)
    REQUESTS_DEADLINE = "requests_deadline"  # restricted/negotiated: requests to participate
    INVITATION = "invitation"  # restricted/negotiated: dispatch of the invitation to tender
    QUESTIONS_DEADLINE = "questions_deadline"
    BID_DEADLINE = "bid_deadline"
    AWARD_DECISION = "award_decision"  # notification of the award decision to the bidders
    STANDSTILL_END = "standstill_end"
    CONTRACT_START = "contract_start"

    ORDER: tuple[str, ...] = (
        NEEDS_ANALYSIS,
        VOLUME_DEADLINE,
        PIN,
        PUBLICATION,
        REQUESTS_DEADLINE,
        INVITATION,
        QUESTIONS_DEADLINE,
        BID_DEADLINE,
        AWARD_DECISION,
        STANDSTILL_END,
        CONTRACT_START,
    )


# Procedure types (values of tenders.models.ProcedureType; repeated here to stay import-free).
OPEN = "open"
RESTRICTED = "restricted"
NEGOTIATED = "negotiated"
DIALOGUE = "dialogue"
MINI_COMPETITION = "mini_competition"
DPS = "dps"
BELOW_THRESHOLD = "below_threshold"

# Procedures under the directive's standstill; call-offs under a framework agreement are exempt
# (klagenævnsloven § 4, stk. 1, nr. 3; Directive 2007/66/EC art. 2b(c)), and below-threshold
# procedures have no statutory standstill.
STANDSTILL_PROCEDURES = frozenset({OPEN, RESTRICTED, NEGOTIATED, DIALOGUE, DPS})

# Answers to bidders' questions must be given no later than 6 days before the bid deadline, or the
# deadline must be extended (udbudsloven § 93, stk. 4, nr. 1; Directive 2014/24/EU art. 47(3)(a)).
ANSWER_DAYS_BEFORE_BID_DEADLINE = 6


@dataclass(frozen=True)
class Point:
    """A milestone as the rules see it: its local calendar date and how it was done."""

    day: date
    electronic: bool = True


Timeline = Mapping[str, Point]


@cache
def _danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in _danish_holidays(day.year)


def holiday_name(day: date) -> str:
    return _danish_holidays(day.year).get(day, "")


def period_end(start: date, days: int) -> date:
    """Last day of a period of `days` counted from the day after `start`, moved past
    Saturdays, Sundays and public holidays to the next working day (Reg. 1182/71 art. 3)."""
    end = start + timedelta(days=days)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end


def standstill_end(notified_on: date, *, electronic: bool = True) -> date:
    """Last day of the standstill after notifying the award decision on `notified_on`.

    10 calendar days from the day after electronic notification, 15 when sent by other means
    (letter) (klagenævnsloven § 3, stk. 1; Directive 2007/66/EC art. 2a(2)); the contract may be
    concluded from the day after this date.
    """
    return period_end(notified_on, 10 if electronic else 15)


@dataclass(frozen=True)
class Rule:
    """A minimum time limit between two milestones, with the law it comes from."""

    code: str
    procedures: frozenset[str]
    start: str
    end: str
    days: Callable[[Timeline], int]
    source: str
    text: str | Promise
    applies: Callable[[Timeline], bool] = lambda t: True


def _open_days(t: Timeline) -> int:
    pin = t.get(Kind.PIN)
    publication = t.get(Kind.PUBLICATION)
    # A prior information notice shortens the limit to 15 days when it was sent 35 days to 12
    # months before the contract notice (udbudsloven § 57, stk. 3; directive art. 27(2)).
    if pin and publication and 35 <= (publication.day - pin.day).days <= 365:
        return 15
    bid = t.get(Kind.BID_DEADLINE)
    return 30 if (bid is None or bid.electronic) else 35


def _restricted_tender_days(t: Timeline) -> int:
    bid = t.get(Kind.BID_DEADLINE)
    return 25 if (bid is None or bid.electronic) else 30


RULES: tuple[Rule, ...] = (
    Rule(
        code="open_bid_deadline",
        procedures=frozenset({OPEN}),
        start=Kind.PUBLICATION,
        end=Kind.BID_DEADLINE,
        days=_open_days,
        source="Udbudsloven § 57, stk. 2–4; direktiv 2014/24/EU art. 27, stk. 1, 2 og 4",
        text=_(
            "Open procedure: at least 35 days from the day after dispatch of the contract "
            "notice; 30 days when tenders are submitted electronically (the Danish norm); "
            "15 days after a prior information notice sent 35 days to 12 months before."
        ),
    ),
    Rule(
        code="requests_deadline",
        procedures=frozenset({RESTRICTED, NEGOTIATED, DIALOGUE}),
        start=Kind.PUBLICATION,
        end=Kind.REQUESTS_DEADLINE,
        days=lambda t: 30,
        source="Udbudsloven § 59, stk. 2; direktiv 2014/24/EU art. 28, stk. 1, art. 29, stk. 1, og art. 30, stk. 1",
        text=_(
            "Restricted procedure (and negotiation, dialogue): requests to participate at "
            "least 30 days from the day after dispatch of the contract notice."
        ),
    ),
    Rule(
        code="restricted_bid_deadline",
        procedures=frozenset({RESTRICTED, NEGOTIATED}),
        start=Kind.INVITATION,
        end=Kind.BID_DEADLINE,
        days=_restricted_tender_days,
        source="Udbudsloven § 60, stk. 2 og 4; direktiv 2014/24/EU art. 28, stk. 2 og 5",
        text=_(
            "Restricted procedure: tenders at least 30 days from the day after dispatch of "
            "the invitation to tender; 25 days when tenders are submitted electronically."
        ),
    ),
    Rule(
        code="standstill",
        procedures=STANDSTILL_PROCEDURES,
        start=Kind.AWARD_DECISION,
        end=Kind.STANDSTILL_END,
        days=lambda t: 10 if t[Kind.AWARD_DECISION].electronic else 15,
        source="Klagenævnsloven § 3, stk. 1; direktiv 2007/66/EF art. 2a, stk. 2; forordning 1182/71 art. 3, stk. 4",
        text=_(
            "Standstill: 10 calendar days from the day after electronic notification of the "
            "award decision (15 days by letter); when the last day is a Saturday, Sunday or "
            "public holiday, it runs to the end of the next working day."
        ),
    ),
)


@dataclass(frozen=True)
class Finding:
    """One problem in a timeline, tied to the milestone that must move."""

    kind: str
    message: str
    rule: Rule | None = None
    earliest: date | None = None

    @property
    def source(self) -> str:
        return self.rule.source if self.rule else ""


def rules_for(procedure: str) -> list[Rule]:
    return [rule for rule in RULES if procedure in rule.procedures]


def earliest_end(rule: Rule, timeline: Timeline) -> date | None:
    """The first allowed date of `rule.end`, or None when the rule's start is not planned."""
    start = timeline.get(rule.start)
    if start is None or not rule.applies(timeline):
        return None
    return period_end(start.day, rule.days(timeline))


def check_timeline(procedure: str, timeline: Timeline) -> list[Finding]:
    """Every breach of the order of milestones and of the procedure's minimum time limits."""
    from django.utils.formats import date_format

    findings: list[Finding] = []
    # The steps of the procedure follow one another. A prior information notice is not one of
    # them: it is usually sent months ahead, often while the members are still answering, so it
    # only has to come before the contract notice (udbudsloven § 57, stk. 3; the 35-day to
    # 12-month window is a separate question that only decides whether it shortens a limit).
    planned = [kind for kind in Kind.ORDER if kind in timeline and kind != Kind.PIN]
    for before, after in pairwise(planned):
        if timeline[after].day < timeline[before].day:
            findings.append(
                Finding(after, str(_("This date is earlier than the milestone before it.")))
            )
    pin = timeline.get(Kind.PIN)
    later = next(
        (timeline[k] for k in Kind.ORDER[Kind.ORDER.index(Kind.PIN) + 1 :] if k in timeline), None
    )
    if pin and later and later.day < pin.day:
        findings.append(
            Finding(
                Kind.PIN,
                str(_("A prior information notice must be sent before the contract notice.")),
            )
        )

    for rule in rules_for(procedure):
        end = timeline.get(rule.end)
        earliest = earliest_end(rule, timeline)
        if end is None or earliest is None or end.day >= earliest:
            continue
        message = _(
            "At least %(days)s days are required: the earliest allowed date is %(date)s."
        ) % {
            "days": rule.days(timeline),
            "date": date_format(earliest, "DATE_FORMAT"),
        }
        findings.append(Finding(rule.end, str(message), rule, earliest))

    questions, bid = timeline.get(Kind.QUESTIONS_DEADLINE), timeline.get(Kind.BID_DEADLINE)
    if questions and bid:
        latest = bid.day - timedelta(days=ANSWER_DAYS_BEFORE_BID_DEADLINE)
        if questions.day > latest:
            message = _(
                "Questions must close early enough to answer them at least 6 days before the "
                "bid deadline (udbudsloven § 93, stk. 4): at the latest %(date)s."
            ) % {"date": date_format(latest, "DATE_FORMAT")}
            findings.append(Finding(Kind.QUESTIONS_DEADLINE, str(message)))

    award, start = timeline.get(Kind.AWARD_DECISION), timeline.get(Kind.CONTRACT_START)
    if award and start and procedure in STANDSTILL_PROCEDURES:
        last = standstill_end(award.day, electronic=award.electronic)
        if start.day <= last:
            message = _("The contract cannot start before the standstill has ended (%(date)s).") % {
                "date": date_format(last, "DATE_FORMAT")
            }
            findings.append(Finding(Kind.CONTRACT_START, str(message)))
    return findings


def suggested_dates(procedure: str, timeline: Timeline) -> dict[str, date]:
    """Earliest allowed date per milestone kind, for the form's hints."""
    result: dict[str, date] = {}
    for rule in rules_for(procedure):
        earliest = earliest_end(rule, timeline)
        if earliest is not None:
            result[rule.end] = earliest
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
