"""Reading the audit trail written by django-pghistory's triggers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pghistory.core
import pghistory.models
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from accounts.models import User


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class AuditEvent:
    when: datetime
    action: str  # insert / update / delete
    model: type[models.Model] | None
    object_id: str
    user: User | None
    source: str
    url: str
    changes: list[Change]
    data: dict[str, Any]

    @property
    def history_url(self) -> str:
        if self.model is None or not self.object_id:
            return ""
        meta = self.model._meta
        return reverse("audit:object", args=[meta.app_label, meta.model_name, self.object_id])

    @property
    def object_label(self) -> str:
        """A readable name for the object as it was at the event."""
        for key in ("name", "title", "email", "reference", "code"):
            if self.data.get(key):
                return str(self.data[key])
        return f"#{self.object_id}"

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name) if self.model else ""


# Bookkeeping columns that say nothing a reader of the trail needs.
IGNORED_FIELDS = {"id", "created_at", "updated_at"}


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _to_events(rows: list[pghistory.models.Events]) -> list[AuditEvent]:
    user_ids = {
        (row.pgh_context or {}).get("user") for row in rows if (row.pgh_context or {}).get("user")
    }
    users = {str(u.pk): u for u in User.objects.filter(pk__in=user_ids)}
    events = []
    for row in rows:
        context = row.pgh_context or {}
        try:
            model = apps.get_model(row.pgh_obj_model)
        except (LookupError, ValueError):
            model = None
        if row.pgh_label == "insert":
            # A new object: show the values it was created with.
            diff = {name: (None, value) for name, value in (row.pgh_data or {}).items()}
        else:
            diff = row.pgh_diff or {}
        changes = [
            Change(_field_label(model, name), values[0], values[1])
            for name, values in diff.items()
            if name not in IGNORED_FIELDS
            and (values[0] not in ("", None) or values[1] not in ("", None))
        ]
        events.append(
            AuditEvent(
                when=row.pgh_created_at,
                action=row.pgh_label,
                model=model,
                object_id=row.pgh_obj_id or "",
                user=users.get(str(context.get("user"))),
                source=context.get("source", "") or ("job" if context.get("job") else ""),
                url=context.get("url", ""),
                changes=changes,
                data=row.pgh_data or {},
            )
        )
    return events


def events_for_object(model: type[models.Model], pk: str) -> list[AuditEvent] | None:
    """All events of one object, newest first; None if the model is not audited."""
    event_models = [
        m
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and getattr(m, "pgh_tracked_model", None) is model
    ]
    if not event_models:
        return None
    rows = list(
        pghistory.models.Events.objects.across(*event_models)
        .filter(pgh_obj_id=str(pk))
        .order_by("-pgh_created_at", "-pgh_id")[:500]
    )
    return _to_events(rows)


def _event_models() -> list[type[pghistory.models.Event]]:
    """Every event model the triggers write to (one table per audited model)."""
    return pghistory.core.event_models()


class _LazyEvents:
    """A sliceable sequence of the latest events across every audited model (for Paginator).

    pghistory's `Events` computes each event's diff against the previous event of its object
    for every row it reads; ordered across all tables and then limited, that is every event in
    the trail (1.2 s for a thousand). So a page is found first from the event tables' own
    columns (time and id), and `Events` computes the diffs of that page's events only.
    """

    def __init__(self) -> None:
        self.models = {m._meta.label: m for m in _event_models()}

    def _union(self, columns: str) -> str:
        # Table names from the models' own meta, quoted; the labels are parameters.
        return " UNION ALL ".join(
            f"SELECT %s AS label, {columns} FROM {connection.ops.quote_name(m._meta.db_table)}"  # noqa: S608
            for m in self.models.values()
        )

    def _params(self) -> list[str]:
        return list(self.models)

    def count(self) -> int:
        if not self.models:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(SUM(n), 0) FROM ({self._union('COUNT(*) AS n')}) counts",  # noqa: S608
                self._params(),
            )
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[AuditEvent]:
        if not isinstance(index, slice) or index.step is not None or not self.models:
            raise TypeError("only a plain slice of the latest events")
        start = index.start or 0
        limit = None if index.stop is None else max(index.stop - start, 0)  # NULL: no limit
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT label, pgh_id FROM ({self._union('pgh_id, pgh_created_at')}) events "  # noqa: S608
                "ORDER BY pgh_created_at DESC, pgh_id DESC, label LIMIT %s OFFSET %s",
                [*self._params(), limit, start],
            )
            keys = cursor.fetchall()
        if not keys:
            return []
        slugs = [f"{label}:{pgh_id}" for label, pgh_id in keys]
        rows = {
            row.pgh_slug: row
            for row in pghistory.models.Events.objects.across(
                *{self.models[label] for label, _pgh_id in keys}
            ).filter(pgh_slug__in=slugs)
        }
        return _to_events([rows[slug] for slug in slugs if slug in rows])


def recent_events() -> _LazyEvents:
    return _LazyEvents()
