"""What other apps may run after stored compliance figures were recomputed, without signals.

Each hook is called as `hook(member_id, first_month, last_month, agreement_id, members)` once
the recompute's transaction has committed, with the scope it recomputed (None: all); after an
agreement changed, `members` are those whose figures under it were recomputed: bound to it now
or holding figures under it before the change. Hooks should be
quick — enqueue a job rather than compute — and must not raise: an exception is logged and the
other hooks still run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

AfterRecomputeHook = Callable[
    [int | None, datetime.date | None, datetime.date | None, int | None, list[int] | None],
    object,
]

AFTER_COMPLIANCE_RECOMPUTE: list[AfterRecomputeHook] = []


def run_after_recompute(
    member_id: int | None,
    first: datetime.date | None,
    last: datetime.date | None,
    agreement_id: int | None,
    members: list[int] | None = None,
) -> None:
    for hook in list(AFTER_COMPLIANCE_RECOMPUTE):
        try:
            hook(member_id, first, last, agreement_id, members)
        except Exception:
            logger.exception("Compliance after-recompute hook %r failed", hook)
