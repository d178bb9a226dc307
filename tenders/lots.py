"""Writes for a tender's lots and their price schedule lines (tilbudsliste)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from .models import LineItem, Lot, Tender, TenderStatus
from .services import _context

# Lots are added and removed only while nobody has been asked about them yet: from volume
# collection on, every member's answer and declarations are given for the lots that exist.
LOTS_CHANGEABLE = (TenderStatus.PLANNED, TenderStatus.NEEDS_ANALYSIS)


def lots_changeable(tender: Tender) -> bool:
    return tender.status in LOTS_CHANGEABLE


@transaction.atomic
def lot_save(*, user: User, tender: Tender, lot: Lot | None = None, **fields: Any) -> Lot:
    """Add a lot (only before volume collection) or change an existing lot's texts."""
    if lot is None and not lots_changeable(tender):
        raise ValidationError(
            _(
                "Lots can only be added before volume collection begins: the members have "
                "already been asked to declare volumes for the lots as they are."
            )
        )
    lot = lot or Lot(tender=tender)
    for name, value in fields.items():
        setattr(lot, name, value)
    with _context(user, action="lot_save"):
        lot.full_clean()
        lot.save()
    return lot


@transaction.atomic
def lot_delete(*, user: User, lot: Lot) -> None:
    """Remove a lot and its price schedule lines (only before volume collection)."""
    if not lots_changeable(lot.tender):
        raise ValidationError(_("Lots can only be removed before volume collection begins."))
    with _context(user, action="lot_delete", lot=lot.number):
        lot.delete()


@transaction.atomic
def line_item_save(
    *, user: User, lot: Lot, item: LineItem | None = None, **fields: Any
) -> LineItem:
    item = item or LineItem(lot=lot)
    for name, value in fields.items():
        setattr(item, name, value)
    with _context(user, action="line_item_save"):
        item.full_clean()
        item.save()
    return item


@transaction.atomic
def line_items_replace(*, user: User, lot: Lot, items: list[Mapping[str, Any]]) -> list[LineItem]:
    """Make the lot's price schedule lines exactly `items` (number, description, unit, quantity)."""
    numbers = [item["number"] for item in items]
    if len(numbers) != len(set(numbers)):
        raise ValidationError(_("Two lines have the same number."))
    with _context(user, action="line_items_replace"):
        lot.line_items.exclude(number__in=numbers).delete()
        existing = {i.number: i for i in lot.line_items.all()}
        saved = []
        for item in items:
            line = existing.get(item["number"]) or LineItem(lot=lot, number=item["number"])
            line.description = item["description"]
            line.unit = item["unit"]
            line.quantity = item.get("quantity")
            line.full_clean()
            line.save()
            saved.append(line)
    return saved
