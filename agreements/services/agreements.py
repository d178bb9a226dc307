"""Writes to agreements: registering and editing them (also from a concluded tender), their
suppliers, extension options, successor tender, termination and documents.

Every function records the acting user in the audit trail (pghistory context; the links to
members, categories and articles are audited models too). A change that moves the compliance
figures — bound members, categories, suppliers, price levels, the period — recomputes the
agreement's figures in a background job once the transaction has committed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pghistory
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from consortium.formatting import format_weight
from cpv.models import CpvCode
from members.models import Member
from spend.models import Supplier
from tenders.models import AwardCriterion, Participation, Tender, TenderStatus

from ..models import Agreement, AgreementDocument, AgreementSupplier, ExtensionOption
from .compliance import recompute_agreement_later

# What the agreement form edits; `end_date` follows from the base term and the options used,
# `terminated_on` from `agreement_terminate`.
EDITABLE_FIELDS = frozenset(
    {
        "number", "title", "description", "kind", "allocation", "tender", "lot", "start_date",
        "base_end_date", "expected_annual_value", "baseline_price_level",
        "agreement_price_level", "climate_requirements", "successor_tender",
    }
)  # fmt: skip
# Fields whose change moves the stored compliance figures.
# The fields the stored figures read: a change recomputes them (compliance, then insight and
# climate through the compliance recompute's hooks).
FIGURE_FIELDS = (
    "start_date", "end_date", "baseline_price_level", "agreement_price_level",
    "climate_requirements",
)  # fmt: skip


def _context(user: User | None, action: str) -> Any:
    return pghistory.context(user=user.pk if user else None, action=action)


def _check_number_free(number: str, agreement: Agreement | None = None) -> None:
    clash = Agreement.objects.filter(number=number)
    if agreement is not None and agreement.pk:
        clash = clash.exclude(pk=agreement.pk)
    if clash.exists():
        raise ValidationError({"number": _("There is already an agreement with this number.")})


def _replace_links(manager: Any, objects: Iterable[Any]) -> bool:
    """Make a many-to-many relation exactly `objects`; whether anything changed."""
    objects = list(objects)
    if set(manager.values_list("pk", flat=True)) == {obj.pk for obj in objects}:
        return False
    manager.set(objects)
    return True


def _current_end(agreement: Agreement) -> datetime.date:
    """The base term plus the options used so far."""
    used = sum(o.months for o in agreement.options.all() if o.used_on is not None)
    return agreement.base_end_date + relativedelta(months=used)


def _options_replace(agreement: Agreement, months: Sequence[int]) -> None:
    """Make the unused options `months[len(used):]`; the used ones cannot change."""
    existing = {option.sequence: option for option in agreement.options.all()}
    used = [o for _seq, o in sorted(existing.items()) if o.used_on is not None]
    if len(months) < len(used) or any(months[i] != o.months for i, o in enumerate(used)):
        raise ValidationError(
            {"option_months": _("An extension option that has been used cannot be changed or removed.")}
        )  # fmt: skip
    for sequence, length in enumerate(months, start=1):
        option = existing.get(sequence) or ExtensionOption(agreement=agreement, sequence=sequence)
        if option.pk and option.months == length:
            continue
        option.months = length
        option.full_clean()
        option.save()
    agreement.options.filter(sequence__gt=len(months)).delete()


# --- registering and editing -------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    number: str,
    title: str,
    start_date: datetime.date,
    base_end_date: datetime.date,
    members: Iterable[Member] = (),
    categories: Iterable[CpvCode] = (),
    suppliers: Iterable[tuple[Supplier, int | None]] = (),
    option_months: Iterable[int] = (),
    tender: Tender | None = None,
    related_articles: Iterable[Any] = (),
    user: User | None = None,
    **fields: Any,
) -> Agreement:
    """Register an agreement with its bound members, categories, ranked suppliers and options."""
    with _context(user, "agreement_create"):
        _check_number_free(number)
        agreement = Agreement(
            number=number,
            title=title,
            start_date=start_date,
            base_end_date=base_end_date,
            end_date=base_end_date,
            tender=tender,
            **fields,
        )
        agreement.full_clean()
        agreement.save()
        agreement.members.set(members)
        agreement.categories.set(categories)
        agreement.related_articles.set(related_articles)
        for supplier, rank in suppliers:
            link = AgreementSupplier(agreement=agreement, supplier=supplier, rank=rank)
            link.full_clean()
            link.save()
        _options_replace(agreement, list(option_months))
    recompute_agreement_later(agreement_id=agreement.pk, user=user)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    user: User | None,
    fields: Mapping[str, Any] | None = None,
    members: Iterable[Member] | None = None,
    categories: Iterable[CpvCode] | None = None,
    related_articles: Iterable[Any] | None = None,
    option_months: Sequence[int] | None = None,
) -> Agreement:
    """Change an agreement's data; None leaves a relation as it is."""
    fields = dict(fields or {})
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    before = {name: getattr(agreement, name) for name in FIGURE_FIELDS}
    with _context(user, "agreement_update"):
        if "number" in fields:
            _check_number_free(fields["number"], agreement)
        for name, value in fields.items():
            setattr(agreement, name, value)
        if option_months is not None:
            _options_replace(agreement, option_months)
        agreement.end_date = _current_end(agreement)
        agreement.full_clean()
        agreement.save()
        moved = False
        if members is not None:
            moved |= _replace_links(agreement.members, members)
        if categories is not None:
            moved |= _replace_links(agreement.categories, categories)
        if related_articles is not None:
            _replace_links(agreement.related_articles, related_articles)
    if moved or any(getattr(agreement, name) != before[name] for name in FIGURE_FIELDS):
        recompute_agreement_later(agreement_id=agreement.pk, user=user)
    return agreement


# --- suppliers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierEntry:
    """A supplier as the secretariat enters it on an agreement: by CVR number."""

    cvr: str
    name: str = ""  # needed only when the CVR number is not in the supplier register yet
    rank: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def _supplier_rules(agreement: Agreement, entries: Sequence[SupplierEntry]) -> list[str]:
    """What is wrong with the list of suppliers as a whole (nothing written yet)."""
    problems = []
    cvrs = [entry.cvr for entry in entries]
    if len(cvrs) != len(set(cvrs)):
        problems.append(_("The same supplier is listed twice."))
    ranks = [entry.rank for entry in entries if entry.rank is not None]
    if len(ranks) != len(set(ranks)):
        problems.append(_("Two suppliers have the same rank."))
    allocation = agreement.allocation
    if allocation == Agreement.Allocation.RANKING and any(e.rank is None for e in entries):
        problems.append(_("With direct award by ranking every supplier needs a rank."))
    if allocation == Agreement.Allocation.SINGLE and len(entries) > 1:
        problems.append(_("An agreement with a single supplier can have only one supplier."))
    known = set(Supplier.objects.filter(cvr__in=cvrs).values_list("cvr", flat=True))
    if any(e.cvr not in known and not e.name.strip() for e in entries):
        problems.append(
            _("The CVR number is not in the supplier register yet: give the supplier's name.")
        )
    return problems


def _supplier_for(entry: SupplierEntry) -> Supplier:
    supplier = Supplier.objects.filter(cvr=entry.cvr).first()
    if supplier is None:
        # A supplier new to the register (no member has bought from it yet): registered by CVR
        # as the spend import would, so later spend lines find it.
        supplier = Supplier(cvr=entry.cvr, name=entry.name.strip())
        supplier.full_clean()
        supplier.save()
    return supplier


@transaction.atomic
def agreement_suppliers_set(
    *, agreement: Agreement, user: User | None, entries: Sequence[SupplierEntry]
) -> list[AgreementSupplier]:
    """Make the agreement's suppliers exactly `entries` (rank and contact person each)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    problems = _supplier_rules(agreement, entries)
    if problems:
        raise ValidationError(problems)
    with _context(user, "agreement_suppliers_set"):
        suppliers = [_supplier_for(entry) for entry in entries]
        existing = {link.supplier_id: link for link in agreement.supplier_links.all()}
        before = set(existing)
        wanted = {supplier.pk for supplier in suppliers}
        agreement.supplier_links.exclude(supplier_id__in=wanted).delete()
        # Ranks are unique per agreement and checked per statement: clear the ranks that change
        # first, so that two suppliers can swap places.
        moving = [
            existing[s.pk].pk
            for s, e in zip(suppliers, entries, strict=True)
            if s.pk in existing and existing[s.pk].rank not in (None, e.rank)
        ]
        AgreementSupplier.objects.filter(pk__in=moving).update(rank=None)
        links = []
        for supplier, entry in zip(suppliers, entries, strict=True):
            link = existing.get(supplier.pk) or AgreementSupplier(
                agreement=agreement, supplier=supplier
            )
            values = {
                "rank": entry.rank,
                "contact_name": entry.contact_name.strip(),
                "contact_email": entry.contact_email.strip(),
                "contact_phone": entry.contact_phone.strip(),
            }
            if (
                link.pk is None
                or link.pk in moving
                or any(getattr(link, name) != value for name, value in values.items())
            ):
                for name, value in values.items():
                    setattr(link, name, value)
                link.full_clean()
                link.save()
            links.append(link)
    if wanted != before:
        recompute_agreement_later(agreement_id=agreement.pk, user=user)
    return links


# --- options, successor, termination -----------------------------------------------------------


@transaction.atomic
def agreement_use_option(
    *,
    agreement: Agreement,
    option: ExtensionOption,
    used_on: datetime.date | None = None,
    user: User | None = None,
) -> Agreement:
    """Use the next extension option: the agreement's current end moves by its months."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    option = agreement.options.select_for_update().get(pk=option.pk)
    if option.used_on is not None:
        raise ValueError("The option has already been used.")
    if agreement.options.filter(used_on__isnull=True, sequence__lt=option.sequence).exists():
        raise ValueError("Earlier options must be used first.")
    with _context(user, "agreement_use_option"):
        option.used_on = used_on or timezone.localdate()
        option.full_clean()
        option.save()
        agreement.end_date = _current_end(agreement)
        agreement.full_clean()
        agreement.save()
    recompute_agreement_later(agreement_id=agreement.pk, user=user)
    return agreement


@transaction.atomic
def agreement_set_successor(
    *, agreement: Agreement, tender: Tender | None, user: User | None
) -> Agreement:
    """Name the tender that renews the agreement (renewal planning), or none."""
    if tender is not None and tender.status == TenderStatus.CANCELLED:
        raise ValidationError(
            {"successor_tender": _("A cancelled tender cannot renew the agreement.")}
        )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    with _context(user, "agreement_set_successor"):
        agreement.successor_tender = tender
        agreement.full_clean()
        agreement.save()
    return agreement


@transaction.atomic
def agreement_terminate(
    *,
    agreement: Agreement,
    terminated_on: datetime.date,
    reason: str = "",
    user: User | None = None,
) -> Agreement:
    """End the agreement early; its figures stop counting from `terminated_on`."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not reason.strip():
        raise ValidationError({"termination_reason": _("Give a reason for the termination.")})
    if terminated_on > agreement.end_date:
        raise ValidationError(
            {"terminated_on": _("The agreement cannot be terminated after it has ended.")}
        )
    with _context(user, "agreement_terminate"):
        agreement.terminated_on = terminated_on
        agreement.termination_reason = reason.strip()
        agreement.full_clean()
        agreement.save()
    recompute_agreement_later(agreement_id=agreement.pk, user=user)
    return agreement


@transaction.atomic
def agreement_document_add(
    *, agreement: Agreement, title: str, file: UploadedFile, user: User | None
) -> AgreementDocument:
    with _context(user, "agreement_document_add"):
        document = AgreementDocument(
            agreement=agreement,
            title=title,
            file=file,
            content_type=(getattr(file, "content_type", "") or "application/octet-stream")[:100],
            size=file.size or 0,
            uploaded_by=user,
        )
        document.full_clean()
        document.save()
    return document


# --- from a concluded tender -------------------------------------------------------------------


def _term_end(start: datetime.date, years: int) -> datetime.date:
    return start + relativedelta(years=years) - datetime.timedelta(days=1)


def _climate_from_tender(tender: Tender) -> str:
    """What a climate-flagged tender says about climate, as the start of the requirements."""
    if not tender.climate_flag:
        return ""
    criteria = [
        c
        for c in tender.criteria.all()
        if c.is_climate or c.kind == AwardCriterion.Kind.ENVIRONMENT
    ]
    # Stored data, read by everyone: written in the portal's own language.
    with translation.override(settings.LANGUAGE_CODE):
        if not criteria:
            return _("The tender was run with climate or environment criteria.")
        named = ", ".join(f"{c.name} ({format_weight(c.weight)} %)" for c in criteria)
        return _("Award criteria on climate and environment: %(criteria)s.") % {"criteria": named}


@transaction.atomic
def agreements_create_for_tender(*, tender: Tender, user: User | None = None) -> list[Agreement]:
    """Create the agreement(s) a concluded tender ends in: one per lot, or one for the tender.

    The tender's participating members become the bound members. Suppliers, price levels and
    contacts are not in the tender's data: the secretariat completes them on the agreement's
    page. Running it again for the same tender creates nothing new (the tender's state machine
    may announce a conclusion twice).
    """
    existing = list(tender.agreements.all())
    if existing:
        return existing
    members = list(
        Member.objects.filter(
            participations__tender=tender,
            participations__answer=Participation.Answer.PARTICIPATE,
        )
    )
    categories = [c for c in [tender.main_cpv, *tender.additional_cpv.all()] if c is not None]
    start = tender.expected_start or timezone.localdate()
    common: dict[str, Any] = {
        "start_date": start,
        "base_end_date": _term_end(start, tender.term_years or 1),
        "members": members,
        "categories": categories,
        "option_months": [int(years) * 12 for years in tender.option_years or []],
        "tender": tender,
        "description": tender.description,
        "climate_requirements": _climate_from_tender(tender),
        "user": user,
    }
    lots = list(tender.lots.all())
    if not lots:
        return [agreement_create(number=tender.reference, title=tender.title, **common)]
    return [
        agreement_create(
            number=f"{tender.reference}-{lot.number}",
            title=f"{tender.title}: {lot.title}",
            lot=lot,
            **common,
        )
        for lot in lots
    ]
