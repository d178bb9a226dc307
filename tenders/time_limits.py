"""The minimum time limits themselves — pure data and functions, no database.

The rules below are those of Directive 2014/24/EU as implemented in Danish law by the
udbudslov (LOV nr. 1564 af 15/12/2015) and, for the standstill, by lov om Klagenævnet for Udbud
(klagenævnsloven), which implements the Remedies Directive 2007/66/EC. Each limit names its
source. How periods are counted — from the day after the event to the end of the last day, moved
past weekends and holidays — is in tenders/periods.py (Regulation 1182/71).

A deadline set by the contracting authority (requests to participate, tenders) must lie at or
after the moment its minimum period has expired: the end of the period's last day. Milestones are
compared as date-times in Danish time, so a bid deadline at noon on the last day is too early and
one at 00:00 the day after is the earliest lawful one. The standstill end is not a deadline but
the period's last day; the contract may be concluded from the day after.

The same rules serve the tender timeline (tenders/timeline.py, `check_timeline`) and the deadline
calculator (tenders/deadlines.py): both apply them with `apply_rule`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .periods import period_end, period_expiry, pin_counts


class Kind:
    """Milestone kinds, in the order they happen (values are stored on `Milestone.kind`)."""

    NEEDS_ANALYSIS = "needs_analysis"
    VOLUME_DEADLINE = "volume_deadline"
    PIN = "pin"  # dispatch of a prior information notice (forhåndsmeddelelse)
    PUBLICATION = "publication"  # dispatch of the contract notice (udbudsbekendtgørelse)
    REQUESTS_DEADLINE = "requests_deadline"  # restricted/negotiated/DPS: requests to participate
    INVITATION = "invitation"  # restricted/negotiated/DPS: dispatch of the invitation to tender
    QUESTIONS_DEADLINE = "questions_deadline"  # the last day answers to questions may be sent
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


# Procedure types (values of consortium.procurement.ProcedureType; repeated here to stay import-free).
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
# Procedures with a phase of requests to participate before the invitation to tender.
REQUEST_PROCEDURES = frozenset({RESTRICTED, NEGOTIATED, DIALOGUE, DPS})

# Answers to questions (supplementary information) must reach the bidders no later than 6 days
# before the deadline (udbudsloven § 134, stk. 1; otherwise the deadline must be extended,
# § 93, stk. 4, nr. 1; directive art. 47(3)(a)). Counted by Reg. 1182/71 the bidders must have 6
# full days; the day of the deadline is not a full day, so the last day answers may be sent is
# the deadline's date minus 7 (a deadline 28 October: answers by the end of 21 October).
ANSWER_DAYS_BEFORE_BID_DEADLINE = 6
ANSWERS_SOURCE = "Udbudsloven § 134, stk. 1, jf. § 93, stk. 4, nr. 1; direktiv 2014/24/EU art. 47, stk. 3, litra a"


def last_answer_day(bid_deadline: date) -> date:
    """The last day answers to questions may be sent before a bid deadline on `bid_deadline`."""
    return bid_deadline - timedelta(days=ANSWER_DAYS_BEFORE_BID_DEADLINE + 1)


@dataclass(frozen=True)
class Point:
    """A milestone as the rules see it: its local date and time and how it was done.

    `at` is the local time of day; without one the milestone is read as the start of its day.
    """

    day: date
    electronic: bool = True
    at: time | None = None

    @property
    def moment(self) -> datetime:
        """The milestone in Danish local time (naive), for comparing date-times."""
        return datetime.combine(self.day, self.at or time())


Timeline = Mapping[str, Point]


@dataclass(frozen=True)
class Circumstances:
    """What the contracting authority has decided that may shorten a limit.

    `urgent`: an urgent need, duly substantiated, makes the normal limit impracticable (akut
    behov); `agreed`: the tender deadline is fixed by agreement with all selected candidates, who
    get the same time; `state_authority`: the authority is a central government authority, which
    may not agree the deadline (udbudsloven § 60, stk. 5).
    """

    urgent: bool = False
    agreed: bool = False
    state_authority: bool = False


NONE = Circumstances()


def standstill_end(notified_on: date, *, electronic: bool = True) -> date:
    """Last day of the standstill after notifying the award decision on `notified_on`.

    10 calendar days from the day after electronic notification, 15 when sent by other means
    (letter) (klagenævnsloven § 3, stk. 1; Directive 2007/66/EC art. 2a(2)); the contract may be
    concluded from the day after this date.
    """
    return period_end(notified_on, 10 if electronic else 15)


@dataclass(frozen=True)
class Limit:
    """The minimum period a rule requires in one situation, with the provision it rests on."""

    days: int
    source: str
    reason: str | Promise


@dataclass(frozen=True)
class Rule:
    """A minimum time limit between two milestones, with the law it comes from.

    `limit` chooses, from the timeline and the circumstances, the shortest lawful period (and the
    provision that allows it). `deadline`: the end milestone is a deadline that must come after
    the period has expired; otherwise it marks the period's last day (the standstill end).
    """

    code: str
    procedures: frozenset[str]
    start: str
    end: str
    limit: Callable[[Timeline, Circumstances], Limit]
    source: str
    text: str | Promise
    deadline: bool = True

    def days(self, timeline: Timeline, circumstances: Circumstances = NONE) -> int:
        return self.limit(timeline, circumstances).days


def _shortest(options: list[Limit]) -> Limit:
    """The shortest of the lawful limits (the first one named wins a tie)."""
    return min(options, key=lambda limit: limit.days)


def _pin_counts(t: Timeline) -> bool:
    pin, publication = t.get(Kind.PIN), t.get(Kind.PUBLICATION)
    return bool(pin and publication and pin_counts(pin.day, publication.day))


def _electronic(t: Timeline, kind: str) -> bool:
    point = t.get(kind)
    return point is None or point.electronic


def _open_limit(t: Timeline, c: Circumstances) -> Limit:
    if _electronic(t, Kind.BID_DEADLINE):
        options = [
            Limit(
                30,
                "Udbudsloven § 57, stk. 2 og 4; direktiv 2014/24/EU art. 27, stk. 1 og 4",
                _("tenders are submitted electronically"),
            )
        ]
    else:
        options = [
            Limit(
                35,
                "Udbudsloven § 57, stk. 2; direktiv 2014/24/EU art. 27, stk. 1",
                _("tenders are not submitted electronically"),
            )
        ]
    if _pin_counts(t):
        options.append(
            Limit(
                15,
                "Udbudsloven § 57, stk. 3; direktiv 2014/24/EU art. 27, stk. 2",
                _("prior information notice sent 35 days to 12 months before the contract notice"),
            )
        )
    if c.urgent:
        options.append(
            Limit(
                15,
                "Udbudsloven § 57, stk. 5; direktiv 2014/24/EU art. 27, stk. 3",
                _("urgency (urgent need)"),
            )
        )
    return _shortest(options)


def _requests_limit(t: Timeline, c: Circumstances) -> Limit:
    options = [
        Limit(
            30,
            "Udbudsloven § 59, stk. 2; direktiv 2014/24/EU art. 28, stk. 1",
            _("requests to participate"),
        )
    ]
    if c.urgent:
        options.append(
            Limit(
                15,
                "Udbudsloven § 59, stk. 3; direktiv 2014/24/EU art. 28, stk. 6, litra a",
                _("urgency (urgent need)"),
            )
        )
    return _shortest(options)


def _restricted_tender_limit(t: Timeline, c: Circumstances) -> Limit:
    if _electronic(t, Kind.BID_DEADLINE):
        options = [
            Limit(
                25,
                "Udbudsloven § 60, stk. 2 og 4; direktiv 2014/24/EU art. 28, stk. 2 og 5",
                _("tenders are submitted electronically"),
            )
        ]
    else:
        options = [
            Limit(
                30,
                "Udbudsloven § 60, stk. 2; direktiv 2014/24/EU art. 28, stk. 2",
                _("tenders are not submitted electronically"),
            )
        ]
    if _pin_counts(t):
        options.append(
            Limit(
                10,
                "Udbudsloven § 60, stk. 3; direktiv 2014/24/EU art. 28, stk. 3",
                _("prior information notice sent 35 days to 12 months before the contract notice"),
            )
        )
    if c.agreed and not c.state_authority:
        options.append(
            Limit(
                10,
                "Udbudsloven § 60, stk. 5; direktiv 2014/24/EU art. 28, stk. 4",
                _("deadline agreed with all selected candidates (not a state authority)"),
            )
        )
    if c.urgent:
        options.append(
            Limit(
                10,
                "Udbudsloven § 60, stk. 6; direktiv 2014/24/EU art. 28, stk. 6, litra b",
                _("urgency (urgent need)"),
            )
        )
    return _shortest(options)


DPS_REQUESTS_SOURCE = "Direktiv 2014/24/EU art. 34, stk. 2, litra a (udbudslovens regler om dynamiske indkøbssystemer)"
DPS_TENDERS_SOURCE = "Direktiv 2014/24/EU art. 34, stk. 2, litra b (udbudslovens regler om dynamiske indkøbssystemer)"


def _dps_requests_limit(t: Timeline, c: Circumstances) -> Limit:
    # No urgency: the directive allows none for setting up a dynamic purchasing system.
    return Limit(
        30, DPS_REQUESTS_SOURCE, _("requests to participate in a dynamic purchasing system")
    )


def _dps_tender_limit(t: Timeline, c: Circumstances) -> Limit:
    return Limit(10, DPS_TENDERS_SOURCE, _("tenders in a dynamic purchasing system"))


STANDSTILL_SOURCE = "Klagenævnsloven § 3, stk. 1; direktiv 2007/66/EF art. 2a, stk. 2; forordning 1182/71 art. 3, stk. 4"


def _standstill_limit(t: Timeline, c: Circumstances) -> Limit:
    if _electronic(t, Kind.AWARD_DECISION):
        return Limit(10, STANDSTILL_SOURCE, _("award decision notified electronically"))
    return Limit(15, STANDSTILL_SOURCE, _("award decision notified by letter"))


RULES: tuple[Rule, ...] = (
    Rule(
        code="open_bid_deadline",
        procedures=frozenset({OPEN}),
        start=Kind.PUBLICATION,
        end=Kind.BID_DEADLINE,
        limit=_open_limit,
        source="Udbudsloven § 57; direktiv 2014/24/EU art. 27",
        text=_(
            "Open procedure: at least 35 days from the day after dispatch of the contract "
            "notice; 30 days when tenders are submitted electronically (the Danish norm); "
            "15 days after a prior information notice sent 35 days to 12 months before, or in "
            "urgency."
        ),
    ),
    Rule(
        code="requests_deadline",
        procedures=frozenset({RESTRICTED, NEGOTIATED, DIALOGUE}),
        start=Kind.PUBLICATION,
        end=Kind.REQUESTS_DEADLINE,
        limit=_requests_limit,
        source="Udbudsloven § 59, stk. 2 og 3; direktiv 2014/24/EU art. 28, stk. 1 og 6, art. 29, stk. 1, og art. 30, stk. 1",
        text=_(
            "Restricted procedure (and negotiation, dialogue): requests to participate at "
            "least 30 days from the day after dispatch of the contract notice; 15 days in "
            "urgency."
        ),
    ),
    Rule(
        code="restricted_bid_deadline",
        procedures=frozenset({RESTRICTED, NEGOTIATED}),
        start=Kind.INVITATION,
        end=Kind.BID_DEADLINE,
        limit=_restricted_tender_limit,
        source="Udbudsloven § 60, stk. 2–6; direktiv 2014/24/EU art. 28, stk. 2–6, og art. 29, stk. 1",
        text=_(
            "Restricted procedure: tenders at least 30 days from the day after dispatch of "
            "the invitation to tender; 25 days when tenders are submitted electronically; 10 "
            "days after a prior information notice, in urgency, or when a contracting "
            "authority that is not a state authority has agreed the deadline with the "
            "candidates."
        ),
    ),
    Rule(
        code="dps_requests_deadline",
        procedures=frozenset({DPS}),
        start=Kind.PUBLICATION,
        end=Kind.REQUESTS_DEADLINE,
        limit=_dps_requests_limit,
        source=DPS_REQUESTS_SOURCE,
        text=_(
            "Dynamic purchasing system: requests to participate at least 30 days from the day "
            "after dispatch of the contract notice."
        ),
    ),
    Rule(
        code="dps_bid_deadline",
        procedures=frozenset({DPS}),
        start=Kind.INVITATION,
        end=Kind.BID_DEADLINE,
        limit=_dps_tender_limit,
        source=DPS_TENDERS_SOURCE,
        text=_(
            "Dynamic purchasing system: tenders at least 10 days from the day after dispatch "
            "of the invitation to tender."
        ),
    ),
    Rule(
        code="standstill",
        procedures=STANDSTILL_PROCEDURES,
        start=Kind.AWARD_DECISION,
        end=Kind.STANDSTILL_END,
        limit=_standstill_limit,
        source=STANDSTILL_SOURCE,
        text=_(
            "Standstill: 10 calendar days from the day after electronic notification of the "
            "award decision (15 days by letter); when the last day is a Saturday, Sunday or "
            "public holiday, it runs to the end of the next working day."
        ),
        deadline=False,
    ),
)


def rules_for(procedure: str) -> list[Rule]:
    return [rule for rule in RULES if procedure in rule.procedures]


@dataclass(frozen=True)
class Outcome:
    """A rule applied to a timeline: the limit chosen, the period's last day and the first date
    the end milestone may have (the day after the last day for a deadline)."""

    rule: Rule
    limit: Limit
    start: date
    last_day: date
    earliest: date
    earliest_moment: datetime


def apply_rule(
    rule: Rule, timeline: Timeline, circumstances: Circumstances = NONE
) -> Outcome | None:
    """The rule's outcome, or None when the rule's start is not planned."""
    start = timeline.get(rule.start)
    if start is None:
        return None
    limit = rule.limit(timeline, circumstances)
    last = period_end(start.day, limit.days)
    if rule.deadline:
        moment = period_expiry(start.day, limit.days)
        return Outcome(rule, limit, start.day, last, moment.date(), moment)
    return Outcome(rule, limit, start.day, last, last, datetime.combine(last, time()))


def earliest_end(
    rule: Rule, timeline: Timeline, circumstances: Circumstances = NONE
) -> date | None:
    """The first allowed date of `rule.end`, or None when the rule's start is not planned."""
    outcome = apply_rule(rule, timeline, circumstances)
    return outcome.earliest if outcome else None
