"""Writes for a tender's lots and their price schedule lines (tilbudsliste)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import LineItem, Lot, Tender, TenderStatus
from .services.tender import _context, refuse_if_frozen

# Lots are added and removed only while nobody has been asked about them yet: from volume
# collection on, every member's answer and declarations are given for the lots that exist.
LOTS_CHANGEABLE = (TenderStatus.PLANNED, TenderStatus.NEEDS_ANALYSIS)


def lots_changeable(tender: Tender) -> bool:
    return tender.status in LOTS_CHANGEABLE


@transaction.atomic
def lot_save(
    *,
    user: User,
    tender: Tender,
    lot: Lot | None = None,
    items: Sequence[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Lot:
    """Add a lot (only before volume collection) or change one, with its price schedule lines.

    `items` (number, description, unit, quantity) become the lot's lines exactly; without them
    the lines stay as they are. Everything is checked before anything is written, and all of it
    is written in one transaction, so a refusal leaves the lot and its lines as they were. The
    refusal names every problem at once; a line's are keyed "line_items.<i>.<field>", where i is
    the line's position in `items`.
    """
    refuse_if_frozen(tender)
    if lot is None and not lots_changeable(tender):
        raise ValidationError(
            _(
                "Lots can only be added before volume collection begins: the members have "
                "already been asked to declare volumes for the lots as they are."
            )
        )
    return lot_write(user=user, tender=tender, lot=lot, items=items, **fields)


def lot_write(
    *,
    user: User | None,
    tender: Tender,
    lot: Lot | None,
    items: Sequence[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Lot:
    """The write of `lot_save` without its guards (a corrigendum changes a published lot)."""
    # A fresh copy, locked: the caller's object keeps what was saved if this is refused.
    target = Lot(tender=tender) if lot is None else Lot.objects.select_for_update().get(pk=lot.pk)
    for name, value in fields.items():
        setattr(target, name, value)
    lines = None if items is None else _lines(target, items)
    errors = _lot_problems(target) | _line_problems(lines or [])
    if errors:
        raise ValidationError(errors)
    with _context(user, action="lot_save"):
        target.save()
        if lines is not None:
            target.line_items.exclude(number__in=[line.number for line in lines]).delete()
            for line in lines:
                line.lot = target
                line.save()
    return target


def _lines(lot: Lot, items: Sequence[Mapping[str, Any]]) -> list[LineItem]:
    """The lot's lines as `items` describe them: a line keeps its row when its number stays."""
    existing = {line.number: line for line in lot.line_items.all()} if lot.pk else {}
    lines = []
    for item in items:
        line = existing.pop(item["number"], None) or LineItem(number=item["number"])
        line.description = item["description"]
        line.unit = item["unit"]
        line.quantity = item.get("quantity")
        lines.append(line)
    return lines


def _lot_problems(lot: Lot) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    taken = Lot.objects.filter(tender=lot.tender, number=lot.number).exclude(pk=lot.pk).exists()
    if taken:
        errors["number"] = [
            _("The tender already has a lot number %(number)s.") % {"number": lot.number}
        ]
    try:
        # A number that is taken is answered above, in words about the tender.
        lot.full_clean(validate_constraints=not taken)
    except ValidationError as exc:
        _merge(errors, exc.message_dict)
    return errors


def _line_problems(lines: list[LineItem]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    for index, line in enumerate(lines):
        prefix = f"line_items.{index}."
        if line.number in seen:
            message = _("Another line also has number %(number)s. Give each line its own number.")
            errors[prefix + "number"] = [message % {"number": line.number}]
        seen.add(line.number)
        try:
            # The lot may not be saved yet, and the numbers' uniqueness is answered above.
            line.full_clean(exclude=["lot"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            _merge(errors, {prefix + key: messages for key, messages in exc.message_dict.items()})
    return errors


def _merge(errors: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


@transaction.atomic
def lot_delete(*, user: User, lot: Lot) -> None:
    """Remove a lot and its price schedule lines (only before volume collection)."""
    refuse_if_frozen(lot.tender)
    if not lots_changeable(lot.tender):
        raise ValidationError(_("Lots can only be removed before volume collection begins."))
    with _context(user, action="lot_delete", lot=lot.number):
        lot.delete()
