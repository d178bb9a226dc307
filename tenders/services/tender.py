"""Writes of a tender's own data: its plain fields and award criteria."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tenders.pooling import percent_text

from ..models import (
    AwardCriterion,
    Tender,
)


def _context(user: User | None, **extra: Any) -> Any:
    return pghistory.context(user=user.pk if user else None, **extra)


def refuse_if_frozen(tender: Tender) -> None:
    """Refuse a direct edit of a published tender's conditions (a corrigendum changes them).

    The status is read from the database under a row lock, so neither a stale object nor a
    publication at the same moment lets an edit through. Call inside a transaction.
    """
    from .. import workflow

    if tender.pk is None:
        return
    current = Tender.objects.select_for_update().filter(pk=tender.pk).first()
    if current is not None:
        workflow.refuse_if_frozen(current)


@transaction.atomic
def tender_save(
    *,
    user: User,
    tender: Tender | None = None,
    fields: Mapping[str, Any],
    additional_cpv: Iterable[Any] | None = None,
    working_group: Iterable[Any] | None = None,
) -> Tender:
    """Create or update a tender's plain data (never its status: see `tender_transition`).

    The participation deadline, bid deadline and expected contract start are milestones of the
    tender's timeline: given here they are written through `schedule.timeline_update`, with the
    same time-limit checks as the timeline page (a refusal is a ValidationError keyed by the
    milestone kind), so the calendar, the documents, the locking and the workflow read one date.
    """
    from ..schedule import DEADLINE_MILESTONES, timeline_update, timeline_with_dates

    if tender is not None:
        refuse_if_frozen(tender)
    tender = tender or Tender()
    dates = {name: fields[name] for name in DEADLINE_MILESTONES if name in fields}
    for name, value in fields.items():
        if name == "status":
            raise ValueError("Use tender_transition to change a tender's status.")
        if name in DEADLINE_MILESTONES:
            continue
        setattr(tender, name, value)
    with _context(user, action="tender_save"):
        tender.full_clean()
        tender.save()
        if additional_cpv is not None:
            tender.additional_cpv.set(additional_cpv)
        if working_group is not None:
            tender.working_group.set(working_group)
        if dates or "procedure_type" in fields:
            # Also when only the procedure changed: its time limits may differ.
            timeline_update(tender=tender, user=user, planned=timeline_with_dates(tender, dates))
    return tender


@dataclass(frozen=True)
class CriterionData:
    name: str
    kind: str
    weight: Decimal
    is_climate: bool = False


@transaction.atomic
def award_criteria_set(
    *, user: User, tender: Tender, criteria: list[CriterionData]
) -> list[AwardCriterion]:
    """Replace the tender's award criteria; the weights must add up to exactly 100 %.

    Refused once the tender is published: then a corrigendum changes them
    (`services.corrigendum_issue`)."""
    refuse_if_frozen(tender)
    return criteria_write(user=user, tender=tender, criteria=criteria)


def criteria_write(
    *, user: User | None, tender: Tender, criteria: list[CriterionData]
) -> list[AwardCriterion]:
    """The write of `award_criteria_set` without the publication guard (for corrigenda)."""
    total = sum((c.weight for c in criteria), Decimal(0))
    if criteria and total != 100:
        raise ValidationError(
            _("The weights must add up to 100 %% (now %(total)s %%).")
            % {"total": percent_text(total)}
        )
    with _context(user, action="award_criteria_set"):
        tender.criteria.all().delete()
        saved = []
        for position, c in enumerate(criteria, start=1):
            criterion = AwardCriterion(
                tender=tender,
                position=position,
                name=c.name,
                kind=c.kind,
                weight=c.weight,
                is_climate=c.is_climate or c.kind == AwardCriterion.Kind.ENVIRONMENT,
            )
            criterion.full_clean()
            criterion.save()
            saved.append(criterion)
        climate = any(c.is_climate for c in saved)
        if tender.climate_flag != climate:
            tender.climate_flag = climate
            tender.save(update_fields=["climate_flag", "updated_at"])
    return saved
