"""Writes for tenders: the workflow, participation and declarations, award criteria, pooling.

Every function is keyword-only, atomic, validates with full_clean and records the acting user in
the audit trail (pghistory context), so views, commands and tasks behave the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import SECRETARIAT_ROLES, has_role
from accounts.models import Role, User
from consortium.emails import queue_email
from members.models import Member
from spend.selectors import members_spend_in_categories
from tenders.pooling import percent_text

from . import pooling, workflow
from .models import (
    AwardCriterion,
    LineItem,
    Lot,
    Participation,
    PoolingRun,
    Tender,
    TenderStatus,
    Threshold,
    VolumeDeclaration,
)
from .signals import tender_concluded


class TransitionRefused(ValidationError):
    """A workflow step the tender may not take now; `messages` say why, in the user's language."""


class StaleEdit(ValidationError):
    """Someone else saved the same answer after this edit began."""


def _context(user: User | None, **extra: Any) -> Any:
    return pghistory.context(user=user.pk if user else None, **extra)


# --- the tender itself --------------------------------------------------------------------------


@transaction.atomic
def tender_save(
    *,
    user: User,
    tender: Tender | None = None,
    fields: Mapping[str, Any],
    additional_cpv: Iterable[Any] | None = None,
    working_group: Iterable[Any] | None = None,
) -> Tender:
    """Create or update a tender's plain data (never its status: see `tender_transition`)."""
    tender = tender or Tender()
    for name, value in fields.items():
        if name == "status":
            raise ValueError("Use tender_transition to change a tender's status.")
        setattr(tender, name, value)
    with _context(user, action="tender_save"):
        tender.full_clean()
        tender.save()
        if additional_cpv is not None:
            tender.additional_cpv.set(additional_cpv)
        if working_group is not None:
            tender.working_group.set(working_group)
    return tender


@transaction.atomic
def lot_save(*, user: User, tender: Tender, lot: Lot | None = None, **fields: Any) -> Lot:
    lot = lot or Lot(tender=tender)
    for name, value in fields.items():
        setattr(lot, name, value)
    with _context(user, action="lot_save"):
        lot.full_clean()
        lot.save()
    return lot


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
    """Replace the tender's award criteria; the weights must add up to exactly 100 %."""
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


# --- workflow ------------------------------------------------------------------------------------


@transaction.atomic
def tender_transition(
    *,
    tender: Tender,
    to_status: str,
    user: User | None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Tender:
    """Move the tender to `to_status` if every guard allows it; refuse with the reasons if not.

    Entering volume collection invites every active member; concluding sends
    `tender_concluded` (inside this transaction) so the agreements app creates the agreement(s).
    """
    now = now or timezone.now()
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    errors = workflow.transition_errors(tender, to_status, now=now, reason=reason)
    if errors:
        raise TransitionRefused(errors)
    previous = tender.status
    with _context(user, action="tender_transition", transition=f"{previous}→{to_status}"):
        tender.status = to_status
        tender.status_changed_at = now
        if to_status == TenderStatus.CANCELLED:
            tender.cancel_reason = reason.strip()
        if to_status == TenderStatus.AWARDED:
            tender.awarded_at = now
        tender.full_clean()
        tender.save()
        if to_status == TenderStatus.VOLUME_COLLECTION:
            participations_invite(tender=tender, user=user)
        if to_status == TenderStatus.CONCLUDED:
            tender_concluded.send(sender=Tender, tender=tender, user=user)
    return tender


def participations_invite(*, tender: Tender, user: User | None) -> list[Participation]:
    """Create a participation for every active member and tell its officers (e-mail + portal).

    The portal notice is the open invitation itself: it stands on the officers' start page and
    under "My tenders" until answered. Members invited before keep their answers.
    """
    created = []
    for member in Member.objects.active().select_related("organisation"):
        participation, was_created = Participation.objects.get_or_create(
            tender=tender, member=member
        )
        if was_created:
            created.append(participation)
    officers = User.objects.filter(
        organisation__member__in=[p.member_id for p in created],
        role=Role.OFFICER,
        is_active=True,
    )
    link = reverse("tenders:detail", args=[tender.reference])
    for officer in officers:
        queue_email(
            "emails/tender_invitation",
            to=[officer.email],
            context={
                "reference": tender.reference,
                "title": tender.title,
                "deadline": (
                    timezone.localtime(tender.volume_deadline).strftime("%d-%m-%Y %H:%M")
                    if tender.volume_deadline
                    else ""
                ),
                "path": link,
                "name": officer.get_short_name() if hasattr(officer, "get_short_name") else "",
            },
            language=officer.language,
        )
    return created


# --- participation and declarations ------------------------------------------------------------


@dataclass(frozen=True)
class LotVolume:
    annual_volume: Decimal | None
    quantity: Decimal | None = None


@transaction.atomic
def participation_answer(
    *,
    participation: Participation,
    user: User,
    answer: str,
    version: int,
    decline_reason: str = "",
    volumes: Mapping[int, LotVolume] | None = None,
    now: datetime.datetime | None = None,
) -> Participation:
    """Record a member's answer and its annual volume per lot.

    Refused after the deadline (unless the secretariat reopened it), and refused when `version`
    is not the version the answer has now: another officer saved in between, and saving would
    silently overwrite their answer.
    """
    now = now or timezone.now()
    current = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("tender", "answered_by")
        .get(pk=participation.pk)
    )
    if current.tender.status != TenderStatus.VOLUME_COLLECTION:
        raise ValidationError(_("The tender is not collecting volumes; the answer is locked."))
    if not has_role(user, SECRETARIAT_ROLES) and current.is_locked(now):
        raise ValidationError(
            _("The deadline has passed; the answer is locked. Ask the secretariat to reopen it.")
        )
    if current.version != version:
        who = current.answered_by.get_full_name() if current.answered_by else _("someone else")
        when = date_format(timezone.localtime(current.updated_at), "SHORT_DATETIME_FORMAT")
        raise StaleEdit(
            _(
                "%(who)s saved this answer at %(when)s while you were editing. Your changes were "
                "not saved: reload the page to see their answer and make your changes again."
            )
            % {"who": who, "when": when}
        )
    if answer not in (Participation.Answer.PARTICIPATE, Participation.Answer.DECLINE):
        raise ValidationError(_("Choose whether the municipality participates or declines."))
    if answer == Participation.Answer.DECLINE and not decline_reason.strip():
        raise ValidationError({"decline_reason": _("Give a reason for declining.")})

    with _context(user, action="participation_answer"):
        current.answer = answer
        current.decline_reason = decline_reason.strip() if answer == "decline" else ""
        current.answered_by = user
        current.answered_at = now
        current.version = F("version") + 1
        current.full_clean(exclude=["version"])
        current.save()
        current.refresh_from_db(fields=["version"])
        if answer == Participation.Answer.DECLINE:
            current.declarations.all().delete()
        else:
            _declarations_save(current, volumes or {})
    return current


def _declarations_save(participation: Participation, volumes: Mapping[int, LotVolume]) -> None:
    lots = {lot.pk: lot for lot in participation.tender.lots.all()}
    unknown = set(volumes) - set(lots)
    if unknown:
        raise ValidationError(_("A declaration names a lot that is not in this tender."))
    existing = {d.lot_id: d for d in participation.declarations.all()}
    for lot_id, lot in lots.items():
        volume = volumes.get(lot_id)
        declaration = existing.get(lot_id)
        if volume is None or volume.annual_volume is None:
            if declaration:
                declaration.delete()
            continue
        if volume.annual_volume < 0 or (volume.quantity is not None and volume.quantity < 0):
            raise ValidationError(_("Volumes and quantities cannot be negative."))
        declaration = declaration or VolumeDeclaration(participation=participation, lot=lot)
        declaration.annual_volume = volume.annual_volume
        declaration.quantity = volume.quantity
        declaration.full_clean()
        declaration.save()


@transaction.atomic
def participation_reopen(
    *, participation: Participation, user: User, until: datetime.datetime, reason: str
) -> Participation:
    """Let a member change its answer after the deadline, until `until` (secretariat only)."""
    if not has_role(user, SECRETARIAT_ROLES):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for reopening the answer.")})
    if until <= timezone.now():
        raise ValidationError({"until": _("Reopen until a time in the future.")})
    if participation.tender.status != TenderStatus.VOLUME_COLLECTION:
        raise ValidationError(_("Answers can only be reopened while volumes are being collected."))
    with _context(user, action="participation_reopen", reason=reason.strip()):
        participation.reopened_until = until
        participation.reopen_reason = reason.strip()
        participation.version = F("version") + 1
        participation.full_clean(exclude=["version"])
        participation.save()
        participation.refresh_from_db(fields=["version"])
    return participation


# --- pooling -------------------------------------------------------------------------------------


def spend_period(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months before `on`: [same day a year earlier, on)."""
    try:
        start = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - 1, day=28)
    return start, on


def tender_pool_volumes(
    *,
    tender: Tender,
    user: User | None,
    progress: Callable[[float, str], None] | None = None,
    now: datetime.datetime | None = None,
) -> PoolingRun:
    """Pool the participants' declarations with their historical spend and store the result.

    Reads outside the write transaction so progress can be reported as it goes; the stored run
    is one atomic insert. Running it twice gives two runs with the same figures.
    """
    now = now or timezone.now()
    on = timezone.localtime(now).date()
    report = progress or (lambda percent, message: None)
    lots = [pooling.LotInput(lot.pk, lot.number, lot.title) for lot in tender.lots.all()]
    participations = list(tender.participations.select_related("member__organisation"))
    members = [pooling.MemberInput(p.member_id, p.member.name, p.answer) for p in participations]
    declarations = [
        pooling.Declaration(d.participation.member_id, d.lot_id, d.annual_volume, d.quantity)
        for d in VolumeDeclaration.objects.filter(participation__tender=tender).select_related(
            "participation"
        )
    ]
    report(10, _("Read %(n)s declarations.") % {"n": len(declarations)})

    cpv_codes = [c for c in [tender.main_cpv, *tender.additional_cpv.all()] if c is not None]
    start, end = spend_period(on)
    participants = [m for m in members if m.answer == Participation.Answer.PARTICIPATE]
    report(20, _("Reading the participants' historical spend"))
    # One grouped query for all participants, not one per member.
    spend: dict[int, Decimal] = members_spend_in_categories(
        [m.id for m in participants], cpv_codes, start, end
    )
    report(90, _("Computing the pooled volumes"))

    thresholds = [
        pooling.ThresholdRow(
            t.kind, t.level, t.currency, t.amount, t.valid_from, t.valid_until, t.source
        )
        for t in Threshold.objects.all()
    ]
    result = pooling.compute_pooling(
        pooling.PoolingInput(
            lots=lots,
            members=members,
            declarations=declarations,
            spend=spend,
            term_years=tender.term_years,
            option_years=[int(y) for y in tender.option_years],
            contract_kind=tender.contract_kind,
            authority_level=tender.authority_level,
            thresholds=thresholds,
            on=on,
            spend_period=(start, end),
        )
    )
    report(95, _("Storing the result…"))
    with transaction.atomic(), _context(user, action="tender_pool_volumes"):
        run = PoolingRun(
            tender=tender,
            computed_at=now,
            computed_by=user,
            annual_total=Decimal(result["annual_total"]),
            estimated_value=Decimal(result["estimated_value"]),
            eu_procedure_required=result["eu_procedure_required"],
            provisional=result["provisional"],
            result=result,
        )
        run.full_clean()
        run.save()
    return run


POOLABLE = (TenderStatus.VOLUME_COLLECTION, TenderStatus.PREPARATION)


def tender_pooling_start(*, tender: Tender, user: User) -> Any:
    """Start pooling in the background, or return the pooling job already under way."""
    from jobs.models import Job
    from jobs.services import job_enqueue

    from .selectors import POOLING_JOB_KIND

    if tender.status not in POOLABLE:
        raise ValidationError(
            _("Volumes can be pooled during volume collection and preparation only.")
        )
    running = (
        Job.objects.unfinished()
        .filter(kind=POOLING_JOB_KIND, task_kwargs__tender_id=tender.pk)
        .first()
    )
    if running:
        return running
    return job_enqueue(
        task_name="tenders.pool_volumes",
        kind=POOLING_JOB_KIND,
        title=_("Pooling of volumes for %(reference)s") % {"reference": tender.reference},
        user=user,
        task_kwargs={"tender_id": tender.pk},
    )


@transaction.atomic
def threshold_create(*, user: User, threshold: Any) -> Any:
    """Enter a threshold value for a period (e.g. the official DKK values of a revision)."""
    with _context(user, action="threshold_create"):
        threshold.full_clean()
        threshold.save()
    return threshold
