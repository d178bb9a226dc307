"""Writes for members, municipalities, contacts, commitments, fee models, fees and statements."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation

from .fees import FeeError, FeeSplit, fee_split
from .importing import RowError, decode, parse_municipalities
from .models import (
    Commitment,
    Contact,
    Fee,
    FeeModel,
    FeeStatement,
    Member,
    Municipality,
    PopulationFigure,
)
from .selectors import fee_payers

# --- members and municipalities -----------------------------------------------------------------


@transaction.atomic
def member_create(
    *,
    name: str,
    slug: str = "",
    status: str = Member.Status.CANDIDATE,
    joined_on: date | None = None,
    notice_given_on: date | None = None,
    left_on: date | None = None,
) -> Member:
    """Create a member and the organisation its users will belong to."""
    organisation = Organisation(
        kind=Organisation.Kind.MEMBER, name=name, slug=slug or slugify(name.replace("ø", "oe"))
    )
    organisation.full_clean()
    organisation.save()
    member = Member(
        organisation=organisation,
        status=status,
        joined_on=joined_on,
        notice_given_on=notice_given_on,
        left_on=left_on,
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, name: str, **fields: Any) -> Member:
    for key, value in fields.items():
        setattr(member, key, value)
    member.full_clean()
    member.save()
    if member.organisation.name != name:
        member.organisation.name = name
        member.organisation.full_clean()
        member.organisation.save()
    return member


@transaction.atomic
def municipality_update(*, municipality: Municipality, **fields: Any) -> Municipality:
    for key, value in fields.items():
        setattr(municipality, key, value)
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def population_set(
    *, municipality: Municipality, year: int, population: int, source: str = ""
) -> PopulationFigure:
    figure, _created = PopulationFigure.objects.update_or_create(
        municipality=municipality,
        year=year,
        defaults={"population": population, "source": source, "is_estimate": False},
    )
    figure.full_clean()
    return figure


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    population_figures: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def municipalities_import(*, data: bytes) -> ImportReport:
    """Create or update municipalities from a CSV file; with any error, nothing is written."""
    parsed = parse_municipalities(decode(data))
    report = ImportReport(errors=list(parsed.errors))
    if report.errors:
        return report
    members = {m.organisation.slug: m for m in Member.objects.select_related("organisation")}
    members |= {m.organisation.name.lower(): m for m in members.values()}
    try:
        with transaction.atomic():
            for row in parsed.rows:
                _import_row(row, parsed.columns, members, report)
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = report.updated = report.population_figures = 0
    return report


CSV_COLUMNS = {
    "code": "kommunekode",
    "name": "kommunenavn",
    "region": "regionskode",
    "cvr": "cvr",
    "gln": "ean",
    "address": "adresse",
}


class _Rollback(Exception):
    pass


def _import_row(
    row: Any, columns: set[str], members: dict[str, Member], report: ImportReport
) -> None:
    municipality = Municipality.objects.filter(code=row.code).first()
    is_new = municipality is None
    municipality = municipality or Municipality(code=row.code)
    municipality.name, municipality.region = row.name, row.region
    # Optional columns overwrite only when the file gives a value: a blank cell keeps what is there.
    for attr in ("cvr", "gln", "address"):
        if getattr(row, attr):
            setattr(municipality, attr, getattr(row, attr))
    if row.member:
        member = members.get(row.member) or members.get(row.member.lower())
        if member is None:
            report.errors.append(
                RowError(
                    row.line, "medlem", _("No member called “%(value)s”.") % {"value": row.member}
                )
            )
            return
        municipality.member = member
    if row.cvr:
        other = Municipality.objects.filter(cvr=row.cvr).exclude(code=row.code).first()
        if other is not None:
            report.errors.append(
                RowError(
                    row.line,
                    "cvr",
                    _("CVR %(cvr)s already belongs to %(other)s.")
                    % {"cvr": row.cvr, "other": other},
                )
            )
            return
    try:
        municipality.full_clean()
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                report.errors.append(RowError(row.line, CSV_COLUMNS.get(column, ""), message))
        return
    municipality.save()
    if is_new:
        report.created += 1
    else:
        report.updated += 1
    if row.population is not None and row.year is not None:
        PopulationFigure.objects.update_or_create(
            municipality=municipality,
            year=row.year,
            defaults={
                "population": row.population,
                "is_estimate": False,
                "source": _("CSV import"),
            },
        )
        report.population_figures += 1


# --- contacts ------------------------------------------------------------------------------------


@transaction.atomic
def contact_save(*, contact: Contact) -> Contact:
    """Create or update a contact person (the caller has checked the user may edit the member)."""
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


# --- commitments ---------------------------------------------------------------------------------


@transaction.atomic
def commitment_save(
    *, commitment: Commitment, binding_categories: Iterable[Any] | None = None
) -> Commitment:
    """Create or update a commitment; periods of one member may not overlap."""
    commitment.full_clean()
    commitment.save()
    if binding_categories is not None:
        commitment.binding_categories.set(binding_categories)
    return commitment


# --- fee models, fees and statements -------------------------------------------------------------


@transaction.atomic
def fee_model_save(*, fee_model: FeeModel) -> FeeModel:
    fee_model.full_clean()
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
        messages = {
            "There are no paying members.": _("There are no paying members in %(year)s."),
            "The minimum fee times the number of members exceeds the budget.": _(
                "The minimum fee times the number of members exceeds the budget."
            ),
        }
        raise ValidationError(
            messages.get(str(exc), _("The fees cannot be calculated: %(error)s"))
            % {"year": fee_model.year, "error": exc}
        ) from exc
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


def fee_statement_render(*, fee: Fee, job_id: uuid.UUID | str | None) -> FeeStatement:
    """Render one member's fee statement PDF and keep it (a redelivered job replaces its own)."""
    from consortium.pdf import render_pdf

    from .selectors import fee_statement_context

    context = fee_statement_context(fee)
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
    """Render the statements of the given members (all who pay, if None) for a calculated year."""
    fees = Fee.objects.filter(fee_model=fee_model).select_related(
        "member__organisation", "fee_model"
    )
    if member_ids is not None:
        fees = fees.filter(member_id__in=member_ids)
    fees = list(fees)
    statements = []
    for done, fee in enumerate(fees):
        progress(done, len(fees), fee.member.name)
        statements.append(fee_statement_render(fee=fee, job_id=job_id))
    return statements
