"""Read-only report queries to a read replica (off unless `REPORTS_DATABASE_URL` is set).

A report reads a great deal and writes nothing; on a national data set it is what loads the
primary most. With a replica configured (`REPORTS_REPLICA`, and the `reports` database alias made
from `REPORTS_DATABASE_URL` in settings), the reads inside `reports_replica()` go there; every write,
and every read outside such a block, stays on the primary, so a page never reads its own write
from a replica that may lag behind. The replica connects as the application role through the
same backend (consortium/db), so row-level security holds there too. Without the alias the block
changes nothing.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

REPORTS = "reports"

_reading_reports: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_reports", default=False
)


def replica_configured() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "REPORTS_REPLICA", False)) and REPORTS in settings.DATABASES


@contextmanager
def reports_replica() -> Iterator[None]:
    """Within the block, reads go to the reports replica when one is configured."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reads_reports_replica[F: Callable[..., Any]](view: F) -> F:
    """A view that only reads report figures: its reads go to the replica (when configured)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reports_replica():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReportsReplicaRouter:
    """DATABASE_ROUTERS entry: reads inside `reports_replica()` go to the replica."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured():
            return REPORTS
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None  # always the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPORTS  # a replica follows the primary's schema
