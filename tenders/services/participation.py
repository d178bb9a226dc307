"""Members' answers to a tender and their declared volumes; reopening after the deadline."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import SECRETARIAT_ROLES, has_role
from accounts.models import User
from consortium.auditing import own_context

from .. import workflow
from ..models import (
    DeclineCategory,
    Participation,
    Tender,
    TenderStatus,
    VolumeDeclaration,
)
from .tender import _context


class StaleEdit(ValidationError):
    """Someone else saved the same answer after this edit began."""


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
    decline_category: str = "",
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
    A decline names its category (`DeclineCategory`: what the board counts) beside the reason
    in the member's own words (for the secretariat and the member).
    """
    from ..selectors import binding_commitment

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
        errors: dict[str, str] = {}
        if decline_category not in DeclineCategory.values:
            errors["decline_category"] = _("Choose why the municipality declines.")
        if not decline_reason.strip():
            errors["decline_reason"] = (
                _(
                    "The municipality is bound by its commitment %(period)s: give the "
                    "justification for opting out."
                ) % {"period": commitment.period}
                if commitment is not None and commitment.opt_out_justification_required
                else _("Give a reason for declining.")
            )  # fmt: skip
        if errors:
            raise ValidationError(errors)

    if answer == Participation.Answer.PARTICIPATE and not any(
        v.annual_volume is not None for v in (volumes or {}).values()
    ):
        # Participating is binding: it says what the municipality will buy.
        raise ValidationError(
            _(
                "When the municipality participates (binding), give the expected annual volume "
                "for at least one lot."
            )
        )
    extra = {"reason": change_reason.strip()} if locked or overriding else {}
    with _context(user, action="participation_answer", **extra):
        current.answer = answer
        declining = answer == Participation.Answer.DECLINE
        current.decline_category = decline_category if declining else ""
        current.decline_reason = decline_reason.strip() if declining else ""
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
    from ..selectors import opt_out_deadline

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


_NOT_YET_INVITED = (TenderStatus.PLANNED, TenderStatus.NEEDS_ANALYSIS)

# Who recorded a missing answer, in the audit trail: the portal itself, not a person.
NO_ANSWER_SOURCE = "portal"


def participations_close_unanswered(
    *,
    now: datetime.datetime | None = None,
    tender: Tender | None = None,
    closing: bool = False,
) -> int:
    """Record every answer still pending after its deadline as "no answer" (not participating).

    The participation deadline decides: a member that has not answered when its deadline
    (the tender's, or a later reopening's, `Participation.deadline`) has come does not take part
    in the joint tender. The answer is recorded at that deadline, by the portal (the audit
    trail's context names the source and the deadline), one transaction per answer under its
    row lock, so the beat task, a tender leaving volume collection and a second run never record
    one answer twice. `closing` (the tender leaves volume collection) also closes answers that
    were reopened beyond `now`: the answer window ends with volume collection, at `now`.
    Cancelled tenders are left alone: nobody was asked to take part in the end. Returns how many
    answers were recorded.
    """
    now = now or timezone.now()
    candidates = Participation.objects.filter(answer=Participation.Answer.PENDING).exclude(
        tender__status__in=(TenderStatus.CANCELLED, *_NOT_YET_INVITED)
    )
    if tender is not None:
        candidates = candidates.filter(tender=tender)
    if not closing:
        candidates = candidates.filter(tender__volume_deadline__lte=now).exclude(
            reopened_until__gt=now
        )
    recorded = 0
    for pk in candidates.values_list("pk", flat=True):
        recorded += _close_unanswered(pk, now, closing)
    return recorded


@transaction.atomic
def _close_unanswered(pk: int, now: datetime.datetime, closing: bool) -> int:
    participation = (
        Participation.objects.select_for_update(of=("self",))
        .select_related("tender")
        .filter(pk=pk, answer=Participation.Answer.PENDING)
        .first()
    )
    if participation is None:  # answered, or recorded by another run, in the meantime
        return 0
    deadline = participation.deadline()
    if deadline is None or deadline > now:
        if not closing:
            return 0
        deadline = now
    with own_context(
        user=None,
        source=NO_ANSWER_SOURCE,
        action="participation_no_answer",
        deadline=deadline.isoformat(),
    ):
        participation.answer = Participation.Answer.NO_ANSWER
        participation.decline_category = ""
        participation.decline_reason = ""
        participation.answered_by = None
        participation.answered_at = deadline
        participation.version = F("version") + 1
        participation.save(
            update_fields=[
                "answer", "decline_category", "decline_reason", "answered_by", "answered_at",
                "version", "updated_at",
            ]
        )  # fmt: skip
    return 1
