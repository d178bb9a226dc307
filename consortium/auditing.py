"""The one way a domain model joins the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pghistory

M = TypeVar("M")


def audited(*, exclude: list[str] | None = None) -> Callable[[M], M]:
    """Record every insert, update and delete of the decorated model, with who and from where.

    Events are written by PostgreSQL triggers (django-pghistory), so bulk updates, raw SQL and
    changes made by Celery tasks are captured as well as those made through the ORM. The acting
    user comes from the request (pghistory's middleware) or from `pghistory.context(user=…)` in
    tasks and commands.
    """
    return pghistory.track(
        pghistory.InsertEvent(),
        # Only real changes: a save that merely bumps updated_at is not an event.
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(),
        exclude=exclude,
    )
