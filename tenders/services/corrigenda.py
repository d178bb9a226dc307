"""Corrigenda (rettelsesblade): the one writer of a published tender's conditions.

`corrigendum_issue` checks and applies the changes (description, bid deadline, award criteria,
lot texts and price schedule lines) together with the numbered corrigendum in one transaction,
records every value before and after, and — once committed — renders the tender documents
again (they then name the corrigenda they include) and tells the participating members.
What a corrigendum may not change (reference, title, procedure type, contract kind, CPV codes,
term, lead, the lots themselves) has no parameter here, so it stays as it was published.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from consortium.emails import queue_email
from consortium.formatting import format_number

from .. import lots as lot_writes
from .. import workflow
from ..models import AwardCriterion, Corrigendum, Participation, Tender
from .documents import documents_render_enqueue
from .tender import CriterionData, _context, criteria_write


@dataclass(frozen=True)
class LotChange:
    """A lot's texts and price schedule lines as the corrigendum has them (None: unchanged)."""

    title: str
    description: str
    items: Sequence[Mapping[str, Any]] | None = None


class _Unchanged:
    pass


UNCHANGED: Any = _Unchanged()


def _weight(value: Decimal) -> str:
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _criteria_text(criteria: Sequence[CriterionData]) -> str:
    """One line per criterion: "Kvalitet og service (kvalitet) 30 %"; the kind is left out where
    the name already says it ("Pris 60 %", not "Pris (pris) 60 %")."""
    kinds = dict(AwardCriterion.Kind.choices)

    def line(c: CriterionData) -> str:
        kind = str(kinds.get(c.kind, c.kind)).lower()
        named = c.name if c.name.strip().lower() == kind else f"{c.name} ({kind})"
        return f"{named} {_weight(c.weight)} %"

    return "\n".join(line(c) for c in criteria)


def _items_text(items: Sequence[Mapping[str, Any]]) -> str:
    def quantity(value: Decimal | None) -> str:
        return "" if value is None else f", {_weight(Decimal(value))}"

    return "\n".join(
        f"{item['number']}. {item['description']} ({item['unit']}{quantity(item.get('quantity'))})"
        for item in items
    )


def _deadline_text(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def _same_criteria(current: Sequence[AwardCriterion], new: Sequence[CriterionData]) -> bool:
    def key(name: str, kind: str, weight: Decimal, climate: bool) -> tuple:
        return (name.strip(), kind, Decimal(weight).normalize(), bool(climate))

    return [key(c.name, c.kind, c.weight, c.is_climate) for c in current] == [
        key(c.name, c.kind, c.weight, c.is_climate or c.kind == AwardCriterion.Kind.ENVIRONMENT)
        for c in new
    ]


def _item_key(item: Mapping[str, Any]) -> tuple:
    quantity = item.get("quantity")
    return (
        int(item["number"]),
        str(item["description"]).strip(),
        str(item["unit"]).strip(),
        None if quantity is None else Decimal(quantity).normalize(),
    )


@transaction.atomic
def corrigendum_issue(
    *,
    user: User,
    tender: Tender,
    reason: str,
    summary: str,
    description: Any = UNCHANGED,
    bid_deadline: Any = UNCHANGED,
    criteria: Sequence[CriterionData] | None = None,
    lots: Mapping[int, LotChange] | None = None,
    now: datetime.datetime | None = None,
) -> Corrigendum:
    """Issue the tender's next corrigendum with the changes given; refuse if nothing changes.

    Every change is checked as the direct edits check it (weights add up to 100 %, a lot's
    lines whole, the bid deadline against the procedure's minimum time limits); a refusal is a
    ValidationError keyed by the field ("reason", "summary", "description", "bid_deadline",
    "criteria", "lots.<number>.<field>" or "lots.<number>.line_items.<i>.<field>") and writes
    nothing. A later bid deadline must still be in the future.
    """
    now = now or timezone.now()
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    refusals = workflow.corrigendum_errors(tender)
    if refusals:
        raise ValidationError(refusals)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("State why the tender is corrected.")]
    if not summary.strip():
        errors["summary"] = [_("State briefly what the corrigendum changes.")]
    if bid_deadline is not UNCHANGED and bid_deadline != tender.bid_deadline:
        if bid_deadline is None:
            errors["bid_deadline"] = [_("A published tender must keep a bid deadline.")]
        elif bid_deadline <= now:
            errors["bid_deadline"] = [_("The new bid deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)

    changes: list[dict[str, Any]] = []
    with translation.override("da"):
        if description is not UNCHANGED and description.strip() != tender.description.strip():
            changes.append(
                _change("description", _("Description"), tender.description, description)
            )
        if bid_deadline is not UNCHANGED and bid_deadline != tender.bid_deadline:
            changes.append(
                _change(
                    "bid_deadline",
                    _("Bid deadline"),
                    _deadline_text(tender.bid_deadline),
                    _deadline_text(bid_deadline),
                )
            )
        current_criteria = list(tender.criteria.order_by("position", "pk"))
        if criteria is not None and not _same_criteria(current_criteria, criteria):
            before = [
                CriterionData(c.name, c.kind, c.weight, c.is_climate) for c in current_criteria
            ]
            changes.append(
                _change(
                    "criteria",
                    _("Award criteria"),
                    _criteria_text(before),
                    _criteria_text(criteria),
                )
            )
        lot_updates = _lot_changes(tender, lots or {}, changes)

    if not changes:
        raise ValidationError(
            _("The corrigendum changes nothing. Change at least one value, or cancel.")
        )

    with _context(user, action="corrigendum_issue"):
        if any(c["field"] == "description" for c in changes):
            tender.description = description.strip()
            tender.full_clean()
            tender.save(update_fields=["description", "updated_at"])
        if any(c["field"] == "bid_deadline" for c in changes):
            from ..schedule import timeline_update, timeline_with_dates

            timeline_update(
                tender=tender,
                user=user,
                planned=timeline_with_dates(tender, {"bid_deadline": bid_deadline}),
                allow_published_change=True,
            )
        if criteria is not None and any(c["field"] == "criteria" for c in changes):
            try:
                criteria_write(user=user, tender=tender, criteria=list(criteria))
            except ValidationError as exc:
                raise ValidationError({"criteria": exc.messages}) from None
        for lot, change in lot_updates:
            try:
                lot_writes.lot_write(
                    user=user,
                    tender=tender,
                    lot=lot,
                    items=change.items,
                    title=change.title,
                    description=change.description,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {f"lots.{lot.number}.{key}": value for key, value in exc.message_dict.items()}
                ) from None
        number = (tender.corrigenda.aggregate(n=Max("number"))["n"] or 0) + 1
    # Last, so that the audit trail names this action for every change made above (the writes
    # it reuses name their own actions in the same context).
    with _context(user, action="corrigendum_issue", corrigendum=number):
        corrigendum = Corrigendum(
            tender=tender,
            number=number,
            reason=reason.strip(),
            summary=summary.strip(),
            changes=changes,
            created_by=user,
            created_at=now,
        )
        corrigendum.full_clean()
        corrigendum.save()
    # Bidders get documents that include the correction: rendered again in the background
    # (the job starts once this transaction has committed).
    documents_render_enqueue(tender=tender, user=user)
    _notify_members(tender, corrigendum)
    return corrigendum


def _change(field: str, label: str, before: str, after: str, **extra: Any) -> dict[str, Any]:
    return {"field": field, "label": str(label), "before": before, "after": after, **extra}


def _lot_changes(
    tender: Tender, lots: Mapping[int, LotChange], changes: list[dict[str, Any]]
) -> list[tuple[Any, LotChange]]:
    """The lots that change, each with its change; their before/after texts go to `changes`."""
    existing = {lot.number: lot for lot in tender.lots.prefetch_related("line_items")}
    unknown = sorted(set(lots) - set(existing))
    if unknown:
        raise ValidationError(
            _("A corrigendum cannot add lots: the tender has no lot %(number)s.")
            % {"number": unknown[0]}
        )
    updates = []
    for number, change in sorted(lots.items()):
        lot = existing[number]
        labels = {"number": number}
        changed = False
        if change.title.strip() != lot.title:
            changes.append(
                _change(
                    "lot",
                    _("Lot %(number)s: title") % labels,
                    lot.title,
                    change.title.strip(),
                    lot=number,
                )
            )
            changed = True
        if change.description.strip() != lot.description.strip():
            changes.append(
                _change(
                    "lot",
                    _("Lot %(number)s: description") % labels,
                    lot.description,
                    change.description.strip(),
                    lot=number,
                )
            )
            changed = True
        if change.items is not None:
            before = [
                {"number": i.number, "description": i.description, "unit": i.unit,
                 "quantity": i.quantity}
                for i in lot.line_items.all()
            ]  # fmt: skip
            if [_item_key(i) for i in before] != [_item_key(i) for i in change.items]:
                changes.append(
                    _change(
                        "lot",
                        _("Lot %(number)s: price schedule lines") % labels,
                        _items_text(before),
                        _items_text(change.items),
                        lot=number,
                    )
                )
                changed = True
        if changed:
            updates.append((lot, change))
    return updates


def _notify_members(tender: Tender, corrigendum: Corrigendum) -> None:
    """E-mail the users of every participating member (after commit)."""
    members = Participation.objects.filter(tender=tender).participating().values("member_id")
    recipients = User.objects.filter(
        organisation__member__in=members, role__in=[Role.OFFICER, Role.VIEWER], is_active=True
    ).order_by("email")
    path = reverse("tenders:detail", args=[tender.reference]) + "#corrigenda"
    for recipient in recipients:
        language = recipient.language or "da"
        with translation.override(language):
            issued = date_format(timezone.localtime(corrigendum.created_at), "SHORT_DATE_FORMAT")
        queue_email(
            "emails/tender_corrigendum",
            to=[recipient.email],
            context={
                "reference": tender.reference,
                "title": tender.title,
                "number": corrigendum.number,
                "date": issued,
                "summary": corrigendum.summary,
                "reason": corrigendum.reason,
                "path": path,
            },
            language=language,
        )
