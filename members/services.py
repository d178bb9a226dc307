"""Writes for members, municipalities, contacts and commitments (fees: `members.fees.services`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation

from .fees.services import (
    fee_models_outdate,
    fee_models_outdate_for_members,
    fee_models_outdate_for_population,
)
from .importing import RowError, decode, parse_municipalities
from .models import (
    Commitment,
    Contact,
    FeeModel,
    Member,
    Municipality,
    PopulationFigure,
)
from .selectors import municipality_with_cvr
from .slugs import danish_slugify

# --- members and municipalities -----------------------------------------------------------------


def _slug_from_name(name: str) -> str:
    """The short name in addresses, made from the name; refused at the name when it cannot be."""
    max_length = Organisation._meta.get_field("slug").max_length
    slug = danish_slugify(name)[:max_length].strip("-")
    if not slug:
        raise ValidationError({"name": _("The name must contain letters or digits.")})
    taken = Organisation.objects.filter(slug=slug).first()
    if taken is not None:
        message = _(
            "%(name)s already exists in the portal. Choose a name that cannot be mistaken for it."
        )
        raise ValidationError({"name": message % {"name": taken.name}})
    return slug


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
    if not slug:
        slug = _slug_from_name(name)
    organisation = Organisation(kind=Organisation.Kind.MEMBER, name=name, slug=slug)
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
    fee_models_outdate_for_members(member)
    return member


@transaction.atomic
def member_update(*, member: Member, name: str, **fields: Any) -> Member:
    before = Member.objects.select_for_update().get(pk=member.pk)
    for key, value in fields.items():
        setattr(member, key, value)
    member.full_clean()
    member.save()
    if member.organisation.name != name:
        member.organisation.name = name
        member.organisation.full_clean()
        member.organisation.save()
    # New dates or status may add the member to a budget year's payers or take it out.
    changed = [
        fm.year
        for fm in FeeModel.objects.filter(calculated_at__isnull=False)
        if before.is_member_in(fm.year) != member.is_member_in(fm.year)
    ]
    fee_models_outdate(FeeModel.objects.filter(year__in=changed))
    return member


@transaction.atomic
def municipality_create(
    *,
    code: str,
    name: str,
    region: str,
    cvr: str = "",
    gln: str = "",
    address: str = "",
    member: Member | None = None,
    population: int | None = None,
    population_year: int | None = None,
    **buyer_details: str,
) -> Municipality:
    """Create a municipality, optionally attached to a member and with one population figure.

    `buyer_details`: what EU notices say about it (postcode, city, nuts_code, legal_type,
    email, phone)."""
    municipality = Municipality(
        code=code, name=name, region=region, cvr=cvr, gln=gln, address=address, member=member,
        **buyer_details,
    )  # fmt: skip
    municipality.full_clean()
    municipality.save()
    if population is not None and population_year is not None:
        population_set(municipality=municipality, year=population_year, population=population)
    if member is not None:
        fee_models_outdate_for_members(member)
    return municipality


@transaction.atomic
def municipality_update(*, municipality: Municipality, **fields: Any) -> Municipality:
    """Change a municipality; moving it to or from a member outdates that member's fees."""
    before = Municipality.objects.select_for_update().get(pk=municipality.pk)
    for key, value in fields.items():
        setattr(municipality, key, value)
    municipality.full_clean()
    municipality.save()
    if before.member_id != municipality.member_id:
        members = Member.objects.filter(pk__in=[before.member_id, municipality.member_id])
        fee_models_outdate_for_members(*members)
    return municipality


@transaction.atomic
def population_set(
    *,
    municipality: Municipality,
    year: int,
    population: int,
    source: str = "",
    is_estimate: bool = False,
) -> PopulationFigure:
    """Store a municipality's population for a year (a new figure or a replacement)."""
    figure = (
        PopulationFigure.objects.select_for_update()
        .filter(municipality=municipality, year=year)
        .first()
    ) or PopulationFigure(municipality=municipality, year=year)
    changed = figure.pk is None or figure.population != population
    figure.population, figure.source, figure.is_estimate = population, source, is_estimate
    figure.full_clean()
    figure.save()
    if changed:
        fee_models_outdate_for_population(municipality, year)
    return figure


@transaction.atomic
def population_figure_update(
    *, figure: PopulationFigure, population: int, is_estimate: bool, source: str
) -> PopulationFigure:
    """Correct an existing population figure; fees computed from it become outdated."""
    return population_set(
        municipality=figure.municipality,
        year=figure.year,
        population=population,
        source=source,
        is_estimate=is_estimate,
    )


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
    """Create or update municipalities from a CSV file; with any error, nothing is written.

    The rows that parse are tried against the database even when other rows did not, so that
    one report lists every error of the file (then everything is rolled back).
    """
    parsed = parse_municipalities(decode(data))
    report = ImportReport(errors=list(parsed.errors))
    if parsed.rows:
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
    report.errors.sort(key=lambda error: error.line)
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
    member_before = municipality.member_id
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
        other = municipality_with_cvr(row.cvr, exclude_code=row.code)
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
    if member_before != municipality.member_id:
        fee_models_outdate_for_members(
            *Member.objects.filter(pk__in=[member_before, municipality.member_id])
        )
    if row.population is not None and row.year is not None:
        population_set(
            municipality=municipality,
            year=row.year,
            population=row.population,
            source=_("CSV import"),
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
