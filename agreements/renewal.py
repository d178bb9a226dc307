"""Renewal planning: when the tender for an agreement's successor must start.

The successor must be in force the day after the agreement's current end. Counting back from
that day, with the procedure's statutory time limits from `tenders.timeline` (the same rules that
check a tender's own timeline):

* the contract can start the day after the standstill has ended (klagenævnsloven § 3; none for
  a mini-competition under a framework agreement or below the thresholds);
* the award decision follows the bid deadline after the evaluation time;
* the bid deadline lies at least the minimum period after the contract notice (udbudsloven
  § 57: 30 days, open procedure; § 59–60: 30 days for requests, then the selection of
  candidates, then 25 days for tenders in a restricted procedure or one with negotiation);
* the contract notice is sent after the preparation: needs analysis, volume collection,
  market dialogue and the tender documents.

The law sets no minimum for the dialogue phases of a competitive dialogue, for a
mini-competition's "reasonable" time limit or for below-threshold procedures; there the
preparation time carries the plan. Preparation and evaluation are the secretariat's planning
figures and settings: `AGREEMENTS_RENEWAL_PREPARATION_MONTHS` (months; one number for every
procedure or a mapping per procedure, merged with the defaults below) and
`AGREEMENTS_RENEWAL_EVALUATION_DAYS` (days for evaluating tenders, and for selecting candidates
where the procedure has a request round).

An agreement without a successor tender is planned as its originating tender's procedure, or an
open procedure when it has none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from tenders import timeline as limits
from tenders.models import ProcedureType, TenderStatus

DEFAULT_PROCEDURE = ProcedureType.OPEN

DEFAULT_PREPARATION_MONTHS: dict[str, int] = {
    ProcedureType.OPEN: 6,
    ProcedureType.RESTRICTED: 6,
    ProcedureType.NEGOTIATED: 7,
    ProcedureType.DIALOGUE: 10,  # the dialogue phases have no statutory length
    ProcedureType.MINI_COMPETITION: 2,
    ProcedureType.DPS: 4,
    ProcedureType.BELOW_THRESHOLD: 3,
}
DEFAULT_EVALUATION_DAYS = 30

# A successor tender has started once it has left planning (and was not cancelled).
NOT_STARTED = frozenset({TenderStatus.PLANNED, TenderStatus.CANCELLED})

ONE_DAY = datetime.timedelta(days=1)


def horizon_months() -> int:
    return int(getattr(settings, "AGREEMENTS_RENEWAL_HORIZON_MONTHS", 18))


def horizon_end(today: datetime.date, months: int | None = None) -> datetime.date:
    return today + relativedelta(months=horizon_months() if months is None else months)


def preparation_months(procedure_type: str) -> int:
    configured = getattr(settings, "AGREEMENTS_RENEWAL_PREPARATION_MONTHS", None)
    if isinstance(configured, int):
        return configured
    months = {**DEFAULT_PREPARATION_MONTHS, **(configured or {})}
    return int(months.get(procedure_type, months[DEFAULT_PROCEDURE]))


def evaluation_days() -> int:
    return int(getattr(settings, "AGREEMENTS_RENEWAL_EVALUATION_DAYS", DEFAULT_EVALUATION_DAYS))


@dataclass(frozen=True)
class RenewalTimeline:
    """The latest plan for a successor tender that is in force on `contract_start`."""

    procedure_type: str
    tender_start: datetime.date  # the tender must start (preparation begins) by this day
    publication: datetime.date  # the contract notice is sent
    requests_deadline: datetime.date | None
    bid_deadline: datetime.date
    award_decision: datetime.date
    standstill_end: datetime.date | None
    contract_start: datetime.date


def _forward(procedure: str, publication: datetime.date, evaluation: int) -> RenewalTimeline:
    """The earliest plan from a contract notice sent on `publication` (all by the rules)."""
    points: dict[str, limits.Point] = {limits.Kind.PUBLICATION: limits.Point(publication)}

    def earliest(kind: str) -> datetime.date | None:
        days = [
            limits.earliest_end(rule, points)
            for rule in limits.rules_for(procedure)
            if rule.end == kind
        ]
        known = [day for day in days if day is not None]
        return max(known) if known else None

    requests = earliest(limits.Kind.REQUESTS_DEADLINE)
    opens = publication
    if requests is not None:
        points[limits.Kind.REQUESTS_DEADLINE] = limits.Point(requests)
        opens = requests + datetime.timedelta(days=evaluation)  # candidates selected
        points[limits.Kind.INVITATION] = limits.Point(opens)
    bid = earliest(limits.Kind.BID_DEADLINE) or opens  # no statutory tender period: none planned
    award = bid + datetime.timedelta(days=evaluation)
    standstill = limits.standstill_end(award) if procedure in limits.STANDSTILL_PROCEDURES else None
    return RenewalTimeline(
        procedure_type=procedure,
        tender_start=publication - relativedelta(months=preparation_months(procedure)),
        publication=publication,
        requests_deadline=requests,
        bid_deadline=bid,
        award_decision=award,
        standstill_end=standstill,
        contract_start=(standstill or award) + ONE_DAY,
    )


def renewal_timeline(end: datetime.date, procedure_type: str) -> RenewalTimeline:
    """The latest plan that has the successor in force the day after `end`."""
    target = end + ONE_DAY
    evaluation = evaluation_days()
    # The plan's length hardly depends on the day (weekends and holidays move a limit by a few
    # days), and a later notice never gives an earlier start: estimate, then step to the last
    # notice day that is still in time.
    length = _forward(procedure_type, target, evaluation).contract_start - target
    publication = target - length
    for _step in range(60):
        if _forward(procedure_type, publication, evaluation).contract_start > target:
            publication -= ONE_DAY
        elif _forward(procedure_type, publication + ONE_DAY, evaluation).contract_start <= target:
            publication += ONE_DAY
        else:
            break
    plan = _forward(procedure_type, publication, evaluation)
    return RenewalTimeline(**{**plan.__dict__, "contract_start": target})


def latest_tender_start(end: datetime.date, procedure_type: str) -> datetime.date:
    """The last day the successor tender can start and still be in place after `end`."""
    return renewal_timeline(end, procedure_type).tender_start


@dataclass(frozen=True)
class ProcedurePlan:
    """One procedure's planning figures, for the renewal page."""

    procedure_type: str
    preparation_months: int
    rules: list[limits.Rule]
    evaluation_days: int
    lead_days: int  # from the tender's start to the contract's start, for a typical end


def procedure_plans(reference_end: datetime.date) -> list[ProcedurePlan]:
    plans = []
    for procedure in ProcedureType.values:
        plan = renewal_timeline(reference_end, procedure)
        plans.append(
            ProcedurePlan(
                procedure_type=procedure,
                preparation_months=preparation_months(procedure),
                rules=limits.rules_for(procedure),
                evaluation_days=evaluation_days(),
                lead_days=(plan.contract_start - plan.tender_start).days,
            )
        )
    return plans


def is_late(
    *, today: datetime.date, must_start_by: datetime.date, successor_status: str | None
) -> bool:
    """Late: the latest start has come and no successor tender has started."""
    started = successor_status is not None and successor_status not in NOT_STARTED
    return today >= must_start_by and not started
