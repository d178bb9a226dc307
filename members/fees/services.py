"""Writes for fee models, fees and statements, and outdating stored fees when their inputs change."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Fee,
    FeeModel,
    FeeStatement,
    Member,
    Municipality,
)
from .selectors import FeeTable, fee_payers, fee_table
from .split import FeeError, FeeSplit, fee_split

# --- outdated fees -------------------------------------------------------------------------------
#
# Stored fees are a snapshot of the fee model, the population figures of its population year and
# who was a member in its budget year. Whenever one of these changes, the affected fee models lose
# their `calculated_at`: their fees stay visible but are marked outdated, and no statement is made
# from them until they are calculated again.


def fee_models_outdate(fee_models: QuerySet[FeeModel]) -> int:
    """Mark the stored fees of the calculated `fee_models` as outdated."""
    return fee_models.filter(calculated_at__isnull=False).update(
        calculated_at=None, updated_at=timezone.now()
    )


def fee_models_outdate_for_members(*members: Member) -> None:
    """Outdate the calculated years in which any of `members` pays (its population changed)."""
    calculated = FeeModel.objects.filter(calculated_at__isnull=False)
    years = [fm.year for fm in calculated if any(m.is_member_in(fm.year) for m in members)]
    fee_models_outdate(FeeModel.objects.filter(year__in=years))


def fee_models_outdate_for_population(municipality: Municipality, year: int) -> None:
    # A municipality without a member pays nothing, so its figures change no fee.
    if municipality.member_id is not None:
        fee_models_outdate(FeeModel.objects.filter(population_year=year))


def fee_statements_refusal(fee_model: FeeModel) -> str | None:
    """Why no statements may be made from the stored fees now (None when they may)."""
    if fee_model.calculated_at is not None:
        return None
    if Fee.objects.filter(fee_model=fee_model).exists():
        return _(
            "The fees for %(year)s are outdated: the fee model, population figures or memberships "
            "changed after they were calculated. Calculate the fees again before making "
            "statements."
        ) % {"year": fee_model.year}
    return _("The fees for %(year)s have not been calculated.") % {"year": fee_model.year}


# --- fee models, fees and statements -------------------------------------------------------------


@transaction.atomic
def fee_model_save(*, fee_model: FeeModel) -> FeeModel:
    """Create or update a fee model; a change to what the split reads outdates its stored fees."""
    fee_model.full_clean()
    if fee_model.pk is not None:
        before = (
            FeeModel.objects.select_for_update()
            .filter(pk=fee_model.pk)
            .values(*FeeModel.INPUT_FIELDS)
            .first()
        )
        if before and any(before[f] != getattr(fee_model, f) for f in FeeModel.INPUT_FIELDS):
            fee_model.calculated_at = None
    fee_model.save()
    return fee_model


def fee_model_split(*, fee_model: FeeModel) -> tuple[FeeSplit, dict[str, Member]]:
    """The split for a fee model from current members and population figures (no writes)."""
    payers, by_key, missing = fee_payers(
        year=fee_model.year, population_year=fee_model.population_year
    )
    if missing:
        raise ValidationError(
            _("No population figure for %(year)s for: %(members)s.")
            % {"year": fee_model.population_year, "members": ", ".join(missing)}
        )
    try:
        split = fee_split(
            budget=fee_model.budget,
            base_share=fee_model.base_share,
            minimum=fee_model.minimum_fee,
            payers=payers,
        )
    except FeeError as exc:
        # The split's messages are already in the user's language (gettext in members.fees).
        if exc.code == "no_payers":
            message = _("There are no paying members in %(year)s.") % {"year": fee_model.year}
        elif exc.code == "minimum_too_high":
            message = str(exc)
        else:
            message = _("The fees cannot be calculated: %(error)s") % {"error": exc}
        raise ValidationError(message, code=exc.code) from exc
    return split, by_key


@transaction.atomic
def fees_calculate(*, fee_model: FeeModel) -> list[Fee]:
    """Store each paying member's fee for the fee model's year; replaces an earlier calculation."""
    split, by_key = fee_model_split(fee_model=fee_model)
    fees = []
    for line in split.lines:
        fee, _created = Fee.objects.update_or_create(
            fee_model=fee_model,
            member=by_key[line.key],
            defaults={
                "population": line.population,
                "base": line.base,
                "population_part": line.population_part,
                "amount": line.fee,
                "at_minimum": line.at_minimum,
            },
        )
        fees.append(fee)
    Fee.objects.filter(fee_model=fee_model).exclude(pk__in=[f.pk for f in fees]).delete()
    fee_model.calculated_at = timezone.now()
    fee_model.save(update_fields=["calculated_at", "updated_at"])
    assert sum((f.amount for f in fees), Decimal(0)) == fee_model.budget
    return fees


def fee_statement_render(
    *, fee: Fee, job_id: uuid.UUID | str | None, table: FeeTable | None = None
) -> FeeStatement:
    """Render one member's fee statement PDF and keep it (a redelivered job replaces its own).

    `table` is the year's fee table when several statements are rendered from one reading.
    """
    # Imported when needed: WeasyPrint is heavy to load, and tests replace the renderer.
    from consortium.pdf import render_pdf

    from .selectors import fee_statement_context

    context = fee_statement_context(fee, table)
    pdf = render_pdf("members/pdf/fee_statement.html", context)
    with transaction.atomic():
        statement = (
            FeeStatement.objects.filter(job_id=job_id, member=fee.member).first()
            if job_id
            else None
        )
        statement = statement or FeeStatement(
            member=fee.member, year=fee.fee_model.year, job_id=job_id
        )
        statement.amount = fee.amount
        if statement.pdf:
            statement.pdf.delete(save=False)
        statement.pdf.save(statement.filename, ContentFile(pdf), save=False)
        statement.full_clean()
        statement.save()
    return statement


def fee_statements_render(
    *,
    fee_model: FeeModel,
    member_ids: list[int] | None,
    job_id: uuid.UUID | str | None,
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
) -> list[FeeStatement]:
    """Render the statements of the given members (all who pay, if None) for a calculated year.

    Refused while the stored fees are outdated or not calculated. The year's fee table is read
    once and shared by every statement.
    """
    refusal = fee_statements_refusal(fee_model)
    if refusal:
        raise ValidationError(refusal, code="fees_not_current")
    table = fee_table(fee_model)
    wanted = None if member_ids is None else set(member_ids)
    fees = [f for f in table.fees if wanted is None or f.member_id in wanted]
    statements = []
    for done, fee in enumerate(fees):
        progress(done, len(fees), fee.member.name)
        statements.append(fee_statement_render(fee=fee, job_id=job_id, table=table))
    return statements
