"""What other apps may run after stored compliance figures were recomputed, without signals.

Each hook is called as `hook(recomputed)` once the recompute's transaction has committed, with
the scope it recomputed (`Recomputed`). Hooks should be quick — enqueue a job rather than
compute — and must not raise: an exception is logged and the other hooks still run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recomputed:
    """The scope of a compliance recompute; None: all.

    `members`, after an agreement changed: those whose figures under it were recomputed, bound
    to it now or holding figures under it before the change."""

    member_id: int | None = None
    first: datetime.date | None = None  # first month
    last: datetime.date | None = None  # last month
    agreement_id: int | None = None
    members: list[int] | None = None

    @property
    def after_agreement_change(self) -> bool:
        return self.agreement_id is not None and self.member_id is None


AfterRecomputeHook = Callable[[Recomputed], object]

AFTER_COMPLIANCE_RECOMPUTE: list[AfterRecomputeHook] = []


def run_after_recompute(recomputed: Recomputed) -> None:
    for hook in list(AFTER_COMPLIANCE_RECOMPUTE):
        try:
            hook(recomputed)
        except Exception:
            logger.exception("Compliance after-recompute hook %r failed", hook)
