"""Reading the audit trail written by django-pghistory's triggers.

Every audited model has an event table of its own (a copy of the row per insert, update and
delete, with `pgh_id`, `pgh_created_at`, `pgh_obj_id` and the context: user, url, job, source).
The trail is read here straight from those tables, in two steps:

1. *which* events: for the latest-changes page, each table's newest events before a cursor, by
   its index on (`pgh_created_at`, `pgh_id`) (see migration 0001), merged and cut to one page —
   keyset pagination, so a page costs the same at the start and deep in a trail of any length, and
   no COUNT(*) of the whole trail is ever needed; for one object, its events by `pgh_obj_id`;
2. *what changed*: one query for just those events, each with the previous event of its object
   (index on `pgh_obj_id`, `pgh_id`), diffed here in Python as pghistory diffs them.

The values are raw (as the database stores them); `audit.presentation` turns them into the
words the pages show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pghistory.core
import pghistory.models
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from accounts.models import User

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OBJECT_HISTORY_LIMIT = 500


@dataclass
class Change:
    """One field's change, as the page shows it (filled in by `audit.presentation`)."""

    field: str
    before: str
    after: str


@dataclass
class AuditEvent:
    when: datetime
    action: str  # insert / update / delete
    model: type[models.Model] | None
    object_id: str
    user: User | None
    source: str
    url: str
    # Raw values by column name (as stored): {"status": ("preparation", "published")}.
    diff: dict[str, tuple[Any, Any]]
    data: dict[str, Any]
    key: tuple[str, int] = ("", 0)  # (event model label, pgh_id)
    changes: list[Change] = field(default_factory=list)
    source_label: str = ""  # who made it when no user did (filled in by `audit.presentation`)

    @property
    def history_url(self) -> str:
        if self.model is None or not self.object_id:
            return ""
        meta = self.model._meta
        return reverse("audit:object", args=[meta.app_label, meta.model_name, self.object_id])

    # The object's name today, for objects whose row holds no name (set by `audit.presentation`).
    object_name: str = ""

    @property
    def named_in_data(self) -> str:
        """A name for the object from its row as it was at the event, if the row holds one."""
        for key in ("name", "title", "full_name", "email", "reference", "original_name", "code"):
            if self.data.get(key):
                return str(self.data[key])
        return ""

    @property
    def object_label(self) -> str:
        """A readable name for the object."""
        return self.named_in_data or self.object_name or f"#{self.object_id}"

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name) if self.model else ""


@dataclass(frozen=True)
class Cursor:
    """Where a page of the latest changes ends: the last event's time, id and event model."""

    when: datetime
    pgh_id: int
    label: str

    def encode(self) -> str:
        micros = (self.when - EPOCH) // timedelta(microseconds=1)
        return f"{micros}_{self.pgh_id}_{self.label}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor of a `before=` parameter; None for a missing or malformed one."""
        try:
            micros, pgh_id, label = (text or "").split("_", 2)
            when = EPOCH + timedelta(microseconds=int(micros))
            return cls(when=when, pgh_id=int(pgh_id), label=label)
        except (ValueError, OverflowError, OSError):
            return None


@dataclass
class EventPage:
    events: list[AuditEvent]
    next_cursor: Cursor | None  # None: this is the last page


# Bookkeeping columns that say nothing a reader of the trail needs.
IGNORED_FIELDS = {"id", "created_at", "updated_at"}


def event_models() -> dict[str, type[pghistory.models.Event]]:
    """Every event model the triggers write to (one table per audited model), by label."""
    return {m._meta.label: m for m in pghistory.core.event_models()}


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _has_object(model: type[pghistory.models.Event]) -> bool:
    return hasattr(model, "pgh_obj_id")


def _diff(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    """pghistory's diff: the columns whose value differs from the object's previous event."""
    if previous is None:
        return {}
    return {
        key: (previous[key], value)
        for key, value in current.items()
        if key in previous and previous[key] != value
    }


def _rows_to_events(
    rows: list[tuple[Any, ...]], models_by_label: dict[str, Any]
) -> list[AuditEvent]:
    """Events from rows of (label, pgh_id, created, pgh_label, obj_id, data, previous, context)."""

    def loads(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    parsed = [
        (label, pgh_id, when, action, obj_id, loads(data), loads(previous), loads(context) or {})
        for label, pgh_id, when, action, obj_id, data, previous, context in rows
    ]
    user_ids = {str(c["user"]) for *_, c in parsed if str(c.get("user") or "").isdigit()}
    users = {str(u.pk): u for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    events = []
    for label, pgh_id, when, action, obj_id, data, previous, context in parsed:
        data = {k: v for k, v in (data or {}).items() if not k.startswith("pgh_")}
        if previous is not None:
            previous = {k: v for k, v in previous.items() if not k.startswith("pgh_")}
        if action == "insert":
            # A new object: show the values it was created with.
            diff = {name: (None, value) for name, value in data.items()}
        else:
            diff = _diff(data, previous)
        diff = {
            name: values
            for name, values in diff.items()
            if name not in IGNORED_FIELDS
            and (values[0] not in ("", None) or values[1] not in ("", None))
        }
        event_model = models_by_label.get(label)
        events.append(
            AuditEvent(
                when=when,
                action=action,
                model=getattr(event_model, "pgh_tracked_model", None),
                object_id="" if obj_id is None else str(obj_id),
                user=users.get(str(context.get("user"))),
                source=context.get("source", "") or ("job" if context.get("job") else ""),
                url=context.get("url", ""),
                diff=diff,
                data=data,
                key=(label, pgh_id),
            )
        )
    return events


def _details_select(model: type[pghistory.models.Event], where: str) -> str:
    """One event table's events with their previous event and context (for `_rows_to_events`)."""
    table = _table(model)
    if _has_object(model):
        obj_id = "e.pgh_obj_id::text"
        previous = (
            f"(SELECT row_to_json(p) FROM {table} p WHERE p.pgh_obj_id = e.pgh_obj_id "  # noqa: S608
            "AND p.pgh_id < e.pgh_id ORDER BY p.pgh_id DESC LIMIT 1)"
        )
    else:
        obj_id, previous = "NULL::text", "NULL::json"
    return (
        f"SELECT %s::text AS label, e.pgh_id, e.pgh_created_at, e.pgh_label, {obj_id}, "  # noqa: S608
        f"row_to_json(e) AS data, {previous} AS previous, c.metadata AS context "
        f"FROM {table} e LEFT JOIN pghistory_context c ON c.id = e.pgh_context_id WHERE {where}"
    )


def _events_by_key(keys: list[tuple[str, int]]) -> list[AuditEvent]:
    """The events named by (event model label, pgh_id), in that order, with their changes."""
    models_by_label = event_models()
    ids: dict[str, list[int]] = {}
    for label, pgh_id in keys:
        if label in models_by_label:
            ids.setdefault(label, []).append(pgh_id)
    if not ids:
        return []
    sql = " UNION ALL ".join(
        _details_select(models_by_label[label], "e.pgh_id = ANY(%s)") for label in ids
    )
    params: list[Any] = []
    for label, pgh_ids in ids.items():
        params += [label, pgh_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_key = {(event.key): event for event in _rows_to_events(rows, models_by_label)}
    return [by_key[key] for key in keys if key in by_key]


def latest_events(before: Cursor | None = None, limit: int = PAGE_SIZE) -> EventPage:
    """One page of the latest events across every audited model, newest first.

    Ordered by time, then `pgh_id`, then event model (all descending); `before` continues after
    the last event of the previous page. Each table gives at most `limit + 1` rows by its index,
    so a page reads a few hundred index entries however long the trail is.
    """
    models_by_label = event_models()
    if not models_by_label:
        return EventPage([], None)
    branches, params = [], []
    for label, model in models_by_label.items():
        where = ""
        if before is not None:
            # Rows after the cursor in (time, id, label) descending order; within one table the
            # label is constant, so the comparison of (time, id) decides and can use the index.
            operator = "<=" if label < before.label else "<"
            where = f"WHERE (pgh_created_at, pgh_id) {operator} (%s, %s)"
        branches.append(
            f"(SELECT %s::text AS label, pgh_id, pgh_created_at FROM {_table(model)} {where} "  # noqa: S608
            "ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT %s)"
        )
        params += [label, *((before.when, before.pgh_id) if before else ()), limit + 1]
    sql = (
        " UNION ALL ".join(branches) + " ORDER BY pgh_created_at DESC, pgh_id DESC, label DESC "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit + 1])
        found = cursor.fetchall()
    page, more = found[:limit], len(found) > limit
    events = _events_by_key([(label, pgh_id) for label, pgh_id, _when in page])
    next_cursor = None
    if more and page:
        label, pgh_id, when = page[-1]
        next_cursor = Cursor(when=when, pgh_id=pgh_id, label=label)
    return EventPage(events, next_cursor)


def events_for_object(model: type[models.Model], pk: str) -> list[AuditEvent] | None:
    """All events of one object, newest first (at most 500); None if the model is not audited."""
    tracking = {
        label: m
        for label, m in event_models().items()
        if getattr(m, "pgh_tracked_model", None) is model and _has_object(m)
    }
    if not tracking:
        return None
    try:
        obj_id = model._meta.pk.to_python(pk)
    except ValidationError:
        return []
    sql = (
        " UNION ALL ".join(_details_select(m, "e.pgh_obj_id = %s") for m in tracking.values())
        + " ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT %s"
    )
    params: list[Any] = []
    for label in tracking:
        params += [label, obj_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, OBJECT_HISTORY_LIMIT])
        rows = cursor.fetchall()
    return _rows_to_events(rows, tracking)
