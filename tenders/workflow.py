"""The tender workflow: which status may follow which, and the guards each step must pass.

    planned → needs analysis → volume collection → preparation → published → evaluation
            → awarded (standstill) → concluded;   cancelled (with a reason) from any open status.

`transition_errors` answers "why not?" in the user's language; `services.tender_transition` is
the only writer of a tender's status and refuses with those messages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tenders.pooling import percent_text

from .models import Participation, PoolingRun, Tender, TenderStatus, VolumeDeclaration

S = TenderStatus

NEXT: dict[str, str] = {
    S.PLANNED: S.NEEDS_ANALYSIS,
    S.NEEDS_ANALYSIS: S.VOLUME_COLLECTION,
    S.VOLUME_COLLECTION: S.PREPARATION,
    S.PREPARATION: S.PUBLISHED,
    S.PUBLISHED: S.EVALUATION,
    S.EVALUATION: S.AWARDED,
    S.AWARDED: S.CONCLUDED,
}


def targets(tender: Tender) -> list[str]:
    """Statuses the tender may move to from where it is (guards aside)."""
    if not tender.is_open:
        return []
    nxt = NEXT.get(tender.status)
    return [nxt, S.CANCELLED] if nxt else [S.CANCELLED]


def documents_ready(tender: Tender) -> bool:
    """Whether every tender document has been rendered from the tender's current data."""
    from .documents import documents_ready as current

    return current(tender)


def standstill_ended(tender: Tender, now: datetime.datetime) -> bool:
    """Whether the standstill after the award decision is over (tenders/timeline.py rules).

    Notification is electronic unless the timeline's award-decision milestone says otherwise;
    a last day on a Saturday, Sunday or public holiday runs to the next working day. Call-offs
    under a framework agreement (mini-competitions) have no standstill.
    """
    from .models import Milestone, MilestoneKind, ProcedureType
    from .timeline import standstill_end

    if tender.awarded_at is None:
        return False
    if tender.procedure_type == ProcedureType.MINI_COMPETITION:
        return True
    milestone = Milestone.objects.filter(tender=tender, kind=MilestoneKind.AWARD_DECISION).first()
    electronic = milestone.electronic if milestone else True
    decided = timezone.localtime(tender.awarded_at).date()
    return timezone.localtime(now).date() > standstill_end(decided, electronic=electronic)


def pooling_is_current(tender: Tender) -> bool:
    """A pooling exists and was computed after the last change to any answer or declaration."""
    latest = PoolingRun.objects.filter(tender=tender).aggregate(at=Max("computed_at"))["at"]
    if latest is None:
        return False
    changed = [
        Participation.objects.filter(tender=tender).aggregate(at=Max("updated_at"))["at"],
        VolumeDeclaration.objects.filter(participation__tender=tender).aggregate(
            at=Max("updated_at")
        )["at"],
    ]
    return all(at is None or at <= latest for at in changed)


def criteria_total(tender: Tender) -> Decimal:
    return tender.criteria.aggregate(total=Sum("weight"))["total"] or Decimal(0)


def transition_errors(
    tender: Tender, target: str, *, now: datetime.datetime, reason: str = ""
) -> list[str]:
    """Every reason the tender may not move to `target` now; empty when it may."""
    if target not in targets(tender):
        return [
            _("A tender cannot go from “%(current)s” to “%(target)s”.")
            % {"current": tender.get_status_display(), "target": S(target).label}
        ]
    errors: list[str] = []
    if target == S.CANCELLED:
        if not reason.strip():
            errors.append(_("Give a reason for cancelling the tender."))
    elif target == S.VOLUME_COLLECTION:
        if not tender.lots.exists():
            errors.append(_("Add at least one lot before collecting volumes."))
        if tender.volume_deadline is None:
            errors.append(_("Set the participation deadline before collecting volumes."))
        elif tender.volume_deadline <= now:
            errors.append(_("The participation deadline must be in the future."))
    elif target == S.PREPARATION:
        participations = tender.participations.all()
        pending = participations.filter(answer=Participation.Answer.PENDING).exists()
        deadline_passed = tender.volume_deadline is not None and tender.volume_deadline <= now
        if pending and not deadline_passed:
            errors.append(
                _("The participation deadline has not passed and some members have not answered.")
            )
        if not participations.participating().exists():
            errors.append(_("No member participates in the tender."))
    elif target == S.PUBLISHED:
        if not pooling_is_current(tender):
            errors.append(
                _("Pool the volumes first: there is no pooling since the last declaration changed.")
            )
        total = criteria_total(tender)
        if total != 100:
            errors.append(
                _("The award criteria's weights must add up to 100 %% (now %(total)s %%).")
                % {"total": percent_text(total)}
            )
        if not documents_ready(tender):
            errors.append(_("Render the current tender documents before publishing."))
        if tender.bid_deadline is None or tender.bid_deadline <= now:
            errors.append(_("Set a bid deadline in the future before publishing."))
    elif target in (S.EVALUATION, S.AWARDED):
        if tender.bid_deadline is None or tender.bid_deadline > now:
            errors.append(_("The bid deadline has not passed yet."))
    elif target == S.CONCLUDED and not standstill_ended(tender, now):
        errors.append(_("The standstill period after the award decision has not ended."))
    return errors
