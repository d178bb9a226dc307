"""Writes for tenders: the workflow, participation and declarations, award criteria, pooling.

Every function is keyword-only, atomic, validates with full_clean and records the acting user in
the audit trail (pghistory context), so views, commands and tasks behave the same.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
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
    Participation,
    PoolingRun,
    Tender,
    TenderStatus,
    VolumeDeclaration,
)
from .selectors import spend_period
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
    """Create or update a tender's plain data (never its status: see `tender_transition`).

    The participation deadline, bid deadline and expected contract start are milestones of the
    tender's timeline: given here they are written through `schedule.timeline_update`, with the
    same time-limit checks as the timeline page (a refusal is a ValidationError keyed by the
    milestone kind), so the calendar, the documents, the locking and the workflow read one date.
    """
    from .schedule import DEADLINE_MILESTONES, timeline_update, timeline_with_dates

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
                "deadline": _datetime_text(tender.volume_deadline, officer.language),
                "path": link,
                "name": officer.get_short_name() if hasattr(officer, "get_short_name") else "",
            },
            language=officer.language,
        )
    return created


def _datetime_text(value: datetime.datetime | None, language: str) -> str:
    """A date and time as the reader writes it: 21.11.2026 12:00 in Danish."""
    if value is None:
        return ""
    with translation.override(language or settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


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
    change_reason: str = "",
    now: datetime.datetime | None = None,
) -> Participation:
    """Record a member's answer and its annual volume per lot.

    Refused after the deadline (unless the secretariat reopened it), and refused when `version`
    is not the version the answer has now: another officer saved in between, and saving would
    silently overwrite their answer. The secretariat may change a locked answer while volumes
    are collected, but like a reopening that needs a reason, which goes into the audit trail.
    A member bound by its commitment may decline only as the commitment's opt-out terms allow.
    """
    from .selectors import binding_commitment

    now = now or timezone.now()
    current = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("tender", "answered_by", "member")
        .get(pk=participation.pk)
    )
    lock = workflow.answer_lock(current, user, now)
    if lock is workflow.AnswerLock.NOT_COLLECTING:
        raise ValidationError(_("The tender is not collecting volumes; the answer is locked."))
    if lock is workflow.AnswerLock.DEADLINE:
        raise ValidationError(
            _("The deadline has passed; the answer is locked. Ask the secretariat to reopen it.")
        )
    locked = lock is workflow.AnswerLock.WITH_REASON
    if locked and not change_reason.strip():
        raise ValidationError(
            {
                "change_reason": _(
                    "The deadline has passed: give a reason for changing the answer. It is "
                    "kept in the history, as when an answer is reopened."
                )
            }
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
    overriding = False
    if answer == Participation.Answer.DECLINE:
        commitment = binding_commitment(current.tender, current.member)
        refusal = (
            _opt_out_refusal(current.tender, commitment, now)
            if commitment is not None and current.answer != Participation.Answer.DECLINE
            else None
        )
        if refusal and not has_role(user, SECRETARIAT_ROLES):
            raise ValidationError(refusal)
        if refusal:
            # The secretariat may record an opt-out agreed outside the terms, with a reason.
            overriding = True
            if not change_reason.strip():
                raise ValidationError(
                    {"change_reason": _("%(refusal)s Give a reason to record the opt-out anyway.")
                     % {"refusal": refusal}}
                )  # fmt: skip
        if not decline_reason.strip():
            message = (
                _(
                    "The municipality is bound by its commitment %(period)s: give the "
                    "justification for opting out."
                ) % {"period": commitment.period}
                if commitment is not None and commitment.opt_out_justification_required
                else _("Give a reason for declining.")
            )  # fmt: skip
            raise ValidationError({"decline_reason": message})

    extra = {"reason": change_reason.strip()} if locked or overriding else {}
    with _context(user, action="participation_answer", **extra):
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


def _opt_out_refusal(tender: Tender, commitment: Any, now: datetime.datetime) -> str | None:
    """Why the member's commitment does not let it opt out of the tender now (None if it may)."""
    from .selectors import opt_out_deadline

    if not commitment.opt_out_allowed:
        return _(
            "The municipality is bound to take part by its commitment %(period)s, which does "
            "not allow opting out."
        ) % {"period": commitment.period}
    last = opt_out_deadline(tender, commitment)
    if last is not None and now > last:
        return _(
            "The municipality is bound to take part by its commitment %(period)s: opting out "
            "was possible until %(deadline)s."
        ) % {
            "period": commitment.period,
            "deadline": date_format(timezone.localtime(last), "SHORT_DATETIME_FORMAT"),
        }
    return None


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


def tender_pool_volumes(
    *,
    tender: Tender,
    user: User | None,
    progress: Callable[[float, str], None] | None = None,
    now: datetime.datetime | None = None,
) -> PoolingRun:
    """Pool the participants' declarations with their historical spend and store the result.

    Reads outside the write transaction so progress can be reported as it goes; the stored run
    is one atomic insert, with the digest of its inputs (`workflow.pooling_is_current`). The
    threshold is the one in force on the planned publication date, or today without one.
    Running it twice gives two runs with the same figures.
    """
    from . import selectors

    now = now or timezone.now()
    report = progress or (lambda percent, message: None)
    data = selectors.pooling_input(tender, now=now)
    report(10, _("Read %(n)s declarations.") % {"n": len(data.declarations)})

    start, end = data.spend_period or spend_period(timezone.localtime(now).date())
    participants = [m.id for m in data.members if m.answer == Participation.Answer.PARTICIPATE]
    report(20, _("Reading the participants' historical spend"))
    # One grouped query for all participants, not one per member.
    spend: dict[int, Decimal] = members_spend_in_categories(
        participants, selectors.tender_cpv_codes(tender), start, end
    )
    report(90, _("Computing the pooled volumes"))
    data = dataclasses.replace(data, spend=spend)
    result = pooling.compute_pooling(data)
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
            inputs_digest=pooling.inputs_digest(data),
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
