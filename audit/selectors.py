"""Reading the audit trail written by django-pghistory's triggers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pghistory.models
from django.apps import apps
from django.db import models
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


class _LazyEvents:
    """A sliceable sequence of the latest events across every audited model (for Paginator)."""

    def __init__(self) -> None:
        self.qs = pghistory.models.Events.objects.all().order_by("-pgh_created_at")

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[AuditEvent]:
        return _to_events(list(self.qs[index]))


def recent_events() -> _LazyEvents:
    return _LazyEvents()
