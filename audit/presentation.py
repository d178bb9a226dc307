"""The audit trail in the words the pages use: the one place stored values become text.

The trail keeps raw column values (`status: preparation`, `responsible_id: 7`, a timestamp in
UTC, a storage path); this module shows them as the rest of the portal does, at read time:

* a field by its model field's `verbose_name` (a foreign key without one by its model's), in the
  active language; a column the model no longer has is left out (its name is all we have, and it
  is no word of the portal's);
* a choice by its label (an unknown value as stored);
* a foreign key by the name of the row (`str()`), all rows of a page fetched in one query per
  model; a row that no longer exists reads "(deleted)";
* dates and date-times as `30.11.2026 23:00` in Danish time, booleans as Yes/No, money and
  numbers through `consortium.formatting`, a file by its name without the storage folder;
* lists (array fields, many-to-many ids, JSON lists such as option years) item by item; other JSON
  (column mappings, error lists) by how many entries it holds.
"""

from __future__ import annotations

import contextlib
import datetime
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import dateparse, formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from consortium.formatting import format_money, format_number

from .selectors import IGNORED_FIELDS, AuditEvent, Change

EMPTY = "—"
TEXT_LIMIT = 200  # characters of a long text shown in the trail

# Decimal fields with two places are money, except those that hold a quantity, a weight in
# percent or a price index.
_NOT_MONEY = re.compile(r"quantity|weight|level|rate|percent")
# Integer fields that hold a year are written without a thousands separator.
_YEAR = re.compile(r"(^|_)year$")

# Names of audited fields declared without a verbose_name, kept in the catalogue.
UNNAMED_FIELDS = (gettext_noop("extension"), gettext_noop("file"))

# Where a change came from when no user made it (the `source` of pghistory's context).
SOURCES = {
    "job": lambda: _("background job"),
    "seed_demo": lambda: _("demo data"),
    "import_spend": lambda: _("spend import (command)"),
    "pool_volumes": lambda: _("pooling (command)"),
    "import_municipalities": lambda: _("municipality import (command)"),
}


def source_label(source: str) -> str:
    """Who made a change without a user: a job, a command, or the system."""
    make = SOURCES.get(source)
    return make() if make else _("system")


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The model field behind a stored column (`responsible_id` → `responsible`), or None."""
    if model is None or name in IGNORED_FIELDS or name.endswith("_hash"):
        return None  # bookkeeping, or a secret's hash (the trail never shows those)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) or field.many_to_many else None


def field_label(field: models.Field) -> str:
    """The field's name as forms and pages show it, capitalised, in the active language."""
    label = field.verbose_name
    if field.is_relation and label == field.name.replace("_", " "):
        # No name of its own (e.g. `tender`): the related model's name.
        label = field.related_model._meta.verbose_name
    # A name given as a plain string is still looked up in the catalogue.
    text = _(label) if isinstance(label, str) else str(label)
    return text[:1].upper() + text[1:]


def _related_model(field: models.Field) -> type[models.Model] | None:
    if field.is_relation and field.related_model is not None:
        return field.related_model
    return None


def _required_relations(model: type[models.Model], depth: int = 2) -> list[str]:
    """`select_related` paths of the non-null foreign keys, `depth` levels deep."""
    paths = []
    for field in model._meta.concrete_fields:
        forward = field.many_to_one or field.one_to_one
        if forward and not field.null and field.related_model is not model:
            paths.append(field.name)
            if depth > 1:
                paths += [
                    f"{field.name}__{sub}"
                    for sub in _required_relations(field.related_model, depth - 1)
                ]
    return paths


class Names:
    """The names of the rows foreign keys point at, fetched in one query per model."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                self._wanted[model].add(item)

    def fetch(self) -> None:
        for model, ids in self._wanted.items():
            pk = model._meta.pk
            clean = set()
            for value in ids:
                with contextlib.suppress(ValidationError):  # a malformed id is simply not found
                    clean.add(pk.to_python(value))
            # Names that read required relations (a commitment's member's organisation) come in
            # the same query.
            required = _required_relations(model)
            rows = model._base_manager.filter(pk__in=clean)
            if required:
                rows = rows.select_related(*required)
            for obj in rows:
                self._names[(model, str(obj.pk))] = str(obj)
        self._wanted.clear()

    def name(self, model: type[models.Model], value: Any) -> str:
        return self._names.get((model, str(value)), _("(deleted)"))


def _datetime(value: Any) -> str:
    moment = value if isinstance(value, datetime.datetime) else None
    if moment is None and isinstance(value, str):
        try:
            moment = dateparse.parse_datetime(value)
        except ValueError:
            moment = None
    if moment is None:
        return str(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _date(value: Any) -> str:
    day = value if isinstance(value, datetime.date) else None
    if day is None and isinstance(value, str):
        try:
            day = dateparse.parse_date(value[:10])
        except ValueError:
            day = None
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else str(value)


def _scalar(value: Any) -> str:
    """A JSON value without a field to go by."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return format_number(value, 0 if float(value).is_integer() else 2)
    return str(value)


def _json(value: Any) -> str:
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ", ".join(_scalar(v) for v in value) if value else EMPTY
    if isinstance(value, list | dict):
        if not value:
            return EMPTY
        return ngettext("%(n)s entry", "%(n)s entries", len(value)) % {
            "n": format_number(len(value))
        }
    return _scalar(value)


def format_value(field: models.Field, value: Any, names: Names) -> str:
    """One stored value of `field` as the pages show it."""
    if value is None or value == "":
        return EMPTY
    related = _related_model(field)
    if isinstance(field, ArrayField) or field.many_to_many:
        items = value if isinstance(value, list) else [value]
        if not items:
            return EMPTY
        if related is not None:
            return ", ".join(names.name(related, item) for item in items)
        return ", ".join(format_value(field.base_field, item, names) for item in items)
    if related is not None:
        return names.name(related, value)
    if field.flatchoices:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value in (True, "true", "t") else _("No")
    if isinstance(field, models.DateTimeField):
        return _datetime(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(field, models.FileField):
        return posixpath.basename(str(value))
    if isinstance(field, models.DecimalField):
        if field.decimal_places == 2 and not _NOT_MONEY.search(field.name):
            return format_money(value)
        return format_number(value, field.decimal_places or 0)
    if isinstance(field, models.IntegerField):
        return str(value) if _YEAR.search(field.name) else format_number(value)
    if isinstance(field, models.JSONField):
        return _json(value)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _naming_relations(event: AuditEvent) -> list[tuple[models.Field, Any]]:
    """For an object whose row holds no name (an answer, a link between an agreement and a
    member), the rows it points at that name it: its first two foreign keys with a value. Their
    names are fetched with the page's other names, so naming costs no query of its own."""
    if event.model is None or event.named_in_data:
        return []
    found = []
    for field in event.model._meta.concrete_fields:
        value = event.data.get(field.attname)
        if field.many_to_one and value not in (None, ""):
            found.append((field, value))
    return found[:2]


def describe(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Fill in each event's `changes` in the page's words; returns the events.

    The names of every row the page's foreign keys point at are fetched first, in bulk.
    """
    events = list(events)
    names = Names()
    fields: list[list[tuple[models.Field, Any, Any]]] = []
    for event in events:
        for field, value in _naming_relations(event):
            names.want(field.related_model, value)
        known = []
        for name, (before, after) in event.diff.items():
            field = field_of(event.model, name)
            if field is None:
                continue
            known.append((field, before, after))
            related = _related_model(field)
            if related is not None:
                names.want(related, before)
                names.want(related, after)
        fields.append(known)
    names.fetch()
    for event, known in zip(events, fields, strict=True):
        event.changes = [
            Change(field_label(field), format_value(field, b, names), format_value(field, a, names))
            for field, b, a in known
        ]
        event.changes = [c for c in event.changes if c.before != c.after]
        event.source_label = source_label(event.source)
        event.object_name = " · ".join(
            names.name(field.related_model, value) for field, value in _naming_relations(event)
        )
    return events
