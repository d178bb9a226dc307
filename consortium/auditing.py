"""The one way a domain model joins the audit trail."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pghistory
from pghistory import runtime

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


@contextlib.contextmanager
def own_context(**metadata: Any) -> Iterator[None]:
    """Record the enclosed writes under a context of their own, e.g. the portal's own acts.

    `pghistory.context` nested in another (a request's, or a service's with the acting user)
    only adds metadata to that one context, which every event of the request shares: the portal
    recording something in the middle of a user's request would either claim the user's
    name or take it from the user's own events. This swaps in a new context for the block (the
    statement hook installed by the outer context reads the current one per statement) and puts
    the outer one back afterwards.
    """
    outer = getattr(runtime._tracker, "value", None)
    if outer is None:
        with pghistory.context(**metadata):
            yield
        return
    runtime._tracker.value = runtime.Context(id=uuid.uuid4(), metadata=metadata)
    try:
        yield
    finally:
        runtime._tracker.value = outer
