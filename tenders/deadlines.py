"""The deadline calculator (fristberegner): the earliest lawful dates for a procedure and its
dates, with the rule behind each — pure functions over tenders/time_limits.py, the same rules the
tender timeline is checked against. The `deadlines` command and the calculator page both call
these; neither passes anything but dates and flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import time_limits as limits
from .periods import holiday_reading, pin_counts

# The procedures the calculator knows, by the name used on the command line and in forms.
PROCEDURES: dict[str, str] = {
    "open": limits.OPEN,
    "restricted": limits.RESTRICTED,
    "negotiated": limits.NEGOTIATED,
    "dps": limits.DPS,
}


class CalculatorError(ValueError):
    """Input the calculator cannot work with; the message says what to change (Danish)."""


@dataclass(frozen=True)
class RuleUsed:
    """One limit applied: which provision, how many days, from which day to which."""

    milestone: str  # "request_deadline", "tender_deadline" or "standstill"
    rule: str
    days: int
    reason: str
    start: date
    last_day: date

    def as_json(self) -> dict[str, Any]:
        return {
            "milestone": self.milestone,
            "rule": self.rule,
            "days": self.days,
            "reason": self.reason,
            "from": self.start.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


def _used(milestone: str, outcome: limits.Outcome) -> RuleUsed:
    return RuleUsed(
        milestone,
        outcome.limit.source,
        outcome.limit.days,
        str(outcome.limit.reason),
        outcome.start,
        outcome.last_day,
    )


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class TenderDeadlines:
    earliest_request_deadline: date | None
    earliest_tender_deadline: date
    rules: list[RuleUsed]
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        request = self.earliest_request_deadline
        return {
            "earliest_request_deadline": request.isoformat() if request else None,
            "earliest_tender_deadline": self.earliest_tender_deadline.isoformat(),
            "rules": [rule.as_json() for rule in self.rules],
        }

    def lines(self) -> list[str]:
        result = []
        if self.earliest_request_deadline:
            result.append(
                _("Earliest deadline for requests to participate: %(date)s at 00:00")
                % {"date": _day(self.earliest_request_deadline)}
            )
        result.append(
            _("Earliest bid deadline: %(date)s at 00:00")
            % {"date": _day(self.earliest_tender_deadline)}
        )
        return [*result, *[rule_text(rule) for rule in self.rules], *self.notes, reading_text()]


def rule_text(rule: RuleUsed) -> str:
    return _(
        "%(rule)s: %(days)s days from the day after %(start)s (%(reason)s); the period ends at "
        "the end of %(last)s."
    ) % {
        "rule": rule.rule,
        "days": rule.days,
        "start": _day(rule.start),
        "reason": rule.reason,
        "last": _day(rule.last_day),
    }


def tender_deadlines(
    *,
    procedure: str,
    dispatch: date,
    pin: date | None = None,
    urgent: bool = False,
    electronic: bool = True,
    agreed: bool = False,
    invitation: date | None = None,
    state_authority: bool = False,
) -> TenderDeadlines:
    """The earliest deadlines for requests and tenders after a contract notice sent on
    `dispatch` (and, with a request phase, an invitation to tender sent on `invitation`)."""
    kind = PROCEDURES.get(procedure)
    if kind is None:
        raise CalculatorError(
            _("Unknown procedure “%(procedure)s”: choose one of %(choices)s.")
            % {"procedure": procedure, "choices": ", ".join(PROCEDURES)}
        )
    has_requests = kind in limits.REQUEST_PROCEDURES
    if has_requests and invitation is None:
        raise CalculatorError(
            _(
                "This procedure has a request phase: give the date the invitation to tender is "
                "sent, from which the bid deadline is counted."
            )
        )
    if pin is not None and pin >= dispatch:
        raise CalculatorError(
            _("The prior information notice must be sent before the contract notice.")
        )
    K = limits.Kind
    timeline: dict[str, limits.Point] = {
        K.PUBLICATION: limits.Point(dispatch),
        # Only its way of submission matters here: it decides the electronic reduction.
        K.BID_DEADLINE: limits.Point(dispatch, electronic),
    }
    if pin is not None:
        timeline[K.PIN] = limits.Point(pin)
    circumstances = limits.Circumstances(
        urgent=urgent, agreed=agreed, state_authority=state_authority
    )
    notes: list[str] = []
    if pin is not None and not pin_counts(pin, dispatch):
        notes.append(
            _(
                "The prior information notice does not shorten the limits: it must be sent at "
                "least 35 days and at most 12 months before the contract notice."
            )
        )

    used: list[RuleUsed] = []
    request_deadline = None
    rules = limits.rules_for(kind)
    for rule in rules:
        if rule.end != K.REQUESTS_DEADLINE:
            continue
        outcome = limits.apply_rule(rule, timeline, circumstances)
        if outcome:
            request_deadline = outcome.earliest
            used.append(_used("request_deadline", outcome))
    if has_requests:
        assert invitation is not None and request_deadline is not None
        if invitation < request_deadline:
            raise CalculatorError(
                _(
                    "The invitation to tender is sent after the deadline for requests to "
                    "participate: at the earliest on %(date)s."
                )
                % {"date": _day(request_deadline)}
            )
        timeline[K.INVITATION] = limits.Point(invitation)
    tender_deadline = None
    for rule in rules:
        if rule.end != K.BID_DEADLINE:
            continue
        outcome = limits.apply_rule(rule, timeline, circumstances)
        if outcome:
            tender_deadline = outcome.earliest
            used.append(_used("tender_deadline", outcome))
    assert tender_deadline is not None
    if agreed and kind not in (limits.RESTRICTED, limits.NEGOTIATED):
        notes.append(_("An agreed bid deadline applies only after a request phase; ignored."))
    if urgent and kind == limits.DPS:
        notes.append(_("Urgency does not shorten the limits of a dynamic purchasing system."))
    return TenderDeadlines(request_deadline, tender_deadline, used, notes)


@dataclass(frozen=True)
class StandstillDeadlines:
    last_day: date
    contract_from: date
    rules: list[RuleUsed]

    def as_json(self) -> dict[str, Any]:
        return {
            "last_day": self.last_day.isoformat(),
            "contract_from": self.contract_from.isoformat(),
            "rules": [rule.as_json() for rule in self.rules],
        }

    def lines(self) -> list[str]:
        return [
            _("Last day of the standstill: %(date)s") % {"date": _day(self.last_day)},
            _("The contract may be concluded from: %(date)s") % {"date": _day(self.contract_from)},
            *[rule_text(rule) for rule in self.rules],
            reading_text(),
        ]


def standstill_deadlines(*, notified: date, letter: bool = False) -> StandstillDeadlines:
    """The standstill after notifying the award decision on `notified` (by letter: 15 days)."""
    K = limits.Kind
    standstill = next(rule for rule in limits.RULES if rule.end == K.STANDSTILL_END)
    outcome = limits.apply_rule(standstill, {K.AWARD_DECISION: limits.Point(notified, not letter)})
    assert outcome is not None
    return StandstillDeadlines(
        outcome.last_day,
        outcome.last_day + timedelta(days=1),
        [_used("standstill", outcome)],
    )


@dataclass(frozen=True)
class AnswerDeadline:
    last_answer_day: date
    bid_deadline: date

    def as_json(self) -> dict[str, Any]:
        return {"last_answer_day": self.last_answer_day.isoformat()}

    def lines(self) -> list[str]:
        return [
            _("Last day to send answers to questions: %(date)s")
            % {"date": _day(self.last_answer_day)},
            _(
                "%(rule)s: the bidders must have 6 full days after the answers; the day of the "
                "bid deadline (%(deadline)s) is not a full day."
            )
            % {"rule": limits.ANSWERS_SOURCE, "deadline": _day(self.bid_deadline)},
        ]


def questions_deadline(*, bid_deadline: date) -> AnswerDeadline:
    """The last day answers to questions may be sent before a bid deadline on `bid_deadline`."""
    return AnswerDeadline(limits.last_answer_day(bid_deadline), bid_deadline)


def reading_text() -> str:
    """Which days the calculation treats as holidays, in words."""
    if holiday_reading() == "strict":
        return _(
            "Holidays: only the Danish public holidays move the end of a period (the strict "
            "reading); Grundlovsdag, 24 and 31 December count as working days."
        )
    return _(
        "Holidays: besides the Danish public holidays, Grundlovsdag (5 June), 24 and 31 December "
        "count as non-working days (the safe reading), so no period ends a day too early."
    )
