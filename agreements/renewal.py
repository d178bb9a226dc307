"""Renewal planning: when the tender for an agreement's successor must start.

A successor tender must start early enough to run its procedure — preparation, the time limits
for requests and tenders, evaluation, standstill and the suppliers' implementation — before the
agreement's current end. Until the detailed time-limit rules (tenders/timeline.py) are wired in,
this table gives the lead time in months per procedure type. The figures are deliberately
conservative rules of thumb of the secretariat, not legal minimums:

| procedure | months before the end | why |
|---|---|---|
| open | 9 | 3 preparation + 35 days tendering + evaluation, standstill, 3 implementation |
| restricted | 11 | as open, plus the pre-qualification round (30 days + selection) |
| competitive procedure with negotiation | 12 | as restricted, plus negotiation rounds |
| competitive dialogue | 15 | dialogue phases are long and hard to predict |
| mini-competition | 3 | reopening competition under an existing framework agreement |
| dynamic purchasing system | 6 | setting up the system before the first specific contract |
| below threshold | 4 | advertised national procedure, short time limits |

An agreement without a successor tender is planned as its originating tender's procedure, or an
open procedure when it has none.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings

from tenders.models import ProcedureType, TenderStatus

LEAD_TIME_MONTHS: dict[str, int] = {
    ProcedureType.OPEN: 9,
    ProcedureType.RESTRICTED: 11,
    ProcedureType.NEGOTIATED: 12,
    ProcedureType.DIALOGUE: 15,
    ProcedureType.MINI_COMPETITION: 3,
    ProcedureType.DPS: 6,
    ProcedureType.BELOW_THRESHOLD: 4,
}
DEFAULT_PROCEDURE = ProcedureType.OPEN

# A successor tender has started once it has left planning (and was not cancelled).
NOT_STARTED = frozenset({TenderStatus.PLANNED, TenderStatus.CANCELLED})


def horizon_months() -> int:
    return int(getattr(settings, "AGREEMENTS_RENEWAL_HORIZON_MONTHS", 18))


def horizon_end(today: datetime.date, months: int | None = None) -> datetime.date:
    return today + relativedelta(months=horizon_months() if months is None else months)


def latest_tender_start(end: datetime.date, procedure_type: str) -> datetime.date:
    """The last day the successor tender can start and still be in place at `end`."""
    months = LEAD_TIME_MONTHS.get(procedure_type, LEAD_TIME_MONTHS[DEFAULT_PROCEDURE])
    return end - relativedelta(months=months)


def is_late(
    *, today: datetime.date, must_start_by: datetime.date, successor_status: str | None
) -> bool:
    """Late: the latest start has come and no successor tender has started."""
    started = successor_status is not None and successor_status not in NOT_STARTED
    return today >= must_start_by and not started
