"""What other apps may run after spend lines were added or removed, without signals.

    # agreements/apps.py
    def ready(self) -> None:
        from spend import hooks
        hooks.AFTER_IMPORT.append(recompute_after_spend_import)

Each hook is called as `hook(member_id, first_date, last_date)` once the import's transaction has
committed and only if it added lines; the dates are the range of invoice dates the import touched
(inclusive). Withdrawing an import calls them the same way when it removed lines, with the range
of the removed lines' dates: a hook recomputes what lies in the range, whichever way it changed.
Hooks should be quick — enqueue a job rather than compute — and must not raise: an exception is
logged and the other hooks still run.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

AfterImportHook = Callable[[int, datetime.date, datetime.date], object]

AFTER_IMPORT: list[AfterImportHook] = []


def run_after_import(member_id: int, first_date: datetime.date, last_date: datetime.date) -> None:
    """Call every registered hook; one failing hook does not stop the others."""
    for hook in list(AFTER_IMPORT):
        try:
            hook(member_id, first_date, last_date)
        except Exception:
            logger.exception("Spend after-import hook %r failed for member %s", hook, member_id)
