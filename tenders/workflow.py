"""The tender workflow: which status may follow which, and the guards each step must pass.

    planned → needs analysis → volume collection → preparation → published → evaluation
            → awarded (standstill) → concluded;   cancelled (with a reason) from any open status.

`transition_errors` answers "why not?" in the user's language; `services.tender_transition` is
the only writer of a tender's status and refuses with those messages.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import SECRETARIAT_ROLES, has_role
from tenders.pooling import percent_text

from .models import Participation, PoolingRun, Tender, TenderStatus

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


class AnswerLock(StrEnum):
    """Whether a user may change a member's answer now, and on what terms."""

    OPEN = "open"  # before the deadline, or reopened: the member's officers may change it
    WITH_REASON = "with_reason"  # past the deadline: the secretariat may, giving a reason
    DEADLINE = "deadline"  # past the deadline: locked for the member until reopened
    NOT_COLLECTING = "not_collecting"  # the tender is not collecting volumes: locked for all

    @property
    def locked(self) -> bool:
        return self in (AnswerLock.DEADLINE, AnswerLock.NOT_COLLECTING)


def answer_lock(
    participation: Participation, user: Any, now: datetime.datetime | None = None
) -> AnswerLock:
    """The one locking rule for answers and volumes, read by the page and by
    `services.participation_answer`: answers are given while the tender collects volumes, until
    the deadline (or the later time the secretariat reopened the answer until, `is_locked`); after
    it the secretariat alone may still change an answer, with a reason kept in the audit trail.
    Who may edit the member's answer at all (officers, not viewers) is `editable_by`'s question.
    """
    if participation.tender.status != TenderStatus.VOLUME_COLLECTION:
        return AnswerLock.NOT_COLLECTING
    if not participation.is_locked(now):
        return AnswerLock.OPEN
    return AnswerLock.WITH_REASON if has_role(user, SECRETARIAT_ROLES) else AnswerLock.DEADLINE


# From publication on, the documents are public: every signed-in user may download them. Before
# that they are drafts (the volume annex names each member's declared volumes) for the
# secretariat only.
RELEASED_STATUSES = frozenset({S.PUBLISHED, S.EVALUATION, S.AWARDED, S.CONCLUDED})


# Published means frozen: from publication on, bidders rely on the released documents, so the
# award criteria, lots, price schedule lines and the tender's details change only through a
# numbered corrigendum (rettelsesblad) that the documents then name. Changing the award criteria
# or their weights after publication without telling every bidder breaks the principles of
# equal treatment and transparency (udbudsloven § 2) and the duty to state the criteria and
# weights in the procurement documents (§ 160, § 161); a significant change also calls for a
# longer bid deadline (§ 93).
FROZEN_STATUSES = RELEASED_STATUSES

# A corrigendum is issued while bids are being prepared: once the bid deadline has passed and the
# tender is being evaluated, its conditions can no longer change.
CORRIGENDUM_STATUSES = frozenset({S.PUBLISHED})


def is_frozen(tender: Tender) -> bool:
    """Whether the tender's conditions may change only through a corrigendum."""
    return tender.status in FROZEN_STATUSES


def frozen_message(tender: Tender) -> str:
    if tender.status in CORRIGENDUM_STATUSES:
        return _(
            "The tender has been published, so its conditions can no longer be edited directly. "
            "Issue a corrigendum that states what changes and why."
        )
    return _(
        "The tender has been published and the bid deadline has passed, so its conditions can "
        "no longer be changed."
    )


def refuse_if_frozen(tender: Tender) -> None:
    """The guard of every direct edit of a tender's conditions (services call it)."""
    from django.core.exceptions import ValidationError

    if is_frozen(tender):
        raise ValidationError(frozen_message(tender), code="frozen")


def corrigendum_errors(tender: Tender) -> list[str]:
    """Why no corrigendum may be issued for the tender now (empty when one may)."""
    if tender.status in CORRIGENDUM_STATUSES:
        return []
    if tender.status in FROZEN_STATUSES:
        return [frozen_message(tender)]
    return [
        _(
            "A corrigendum is only issued for a published tender. Until publication, edit the "
            "tender directly."
        )
    ]


def may_download(user: Any, tender: Tender) -> bool:
    """Whether the user may download the tender's documents (see RELEASED_STATUSES)."""
    return has_role(user, SECRETARIAT_ROLES) or tender.status in RELEASED_STATUSES


def documents_ready(tender: Tender) -> bool:
    """Whether every tender document has been rendered from the tender's current data."""
    from .documents import documents_ready as current

    return current(tender)


def standstill_ended(tender: Tender, now: datetime.datetime) -> bool:
    """Whether the standstill after the award decision is over (tenders/timeline.py rules).

    Only the procedures the timeline puts under a standstill have one (call-offs under a
    framework agreement and below-threshold procedures have none). It counts from the day of
    the award-decision milestone — when the decision was notified — and only without one from
    the moment the tender was marked awarded; notification is electronic unless the milestone
    says otherwise, and a last day on a Saturday, Sunday or public holiday runs to the next
    working day.
    """
    from .models import Milestone, MilestoneKind
    from .timeline import STANDSTILL_PROCEDURES, standstill_end

    if tender.procedure_type not in STANDSTILL_PROCEDURES:
        return True
    milestone = Milestone.objects.filter(tender=tender, kind=MilestoneKind.AWARD_DECISION).first()
    if milestone is not None:
        decided, electronic = timezone.localdate(milestone.due), milestone.electronic
    elif tender.awarded_at is not None:
        decided, electronic = timezone.localdate(tender.awarded_at), True
    else:
        return False
    return timezone.localdate(now) > standstill_end(decided, electronic=electronic)


def pooling_state(tender: Tender, now: datetime.datetime | None = None) -> str:
    """ "missing" (never pooled), "stale" (pooled from inputs that have changed since: lots,
    answers, declarations, term and options, contract kind, CPV codes or threshold) or
    "current"."""
    from . import pooling, selectors

    digest = (
        PoolingRun.objects.filter(tender=tender)
        .order_by("-computed_at")
        .values_list("inputs_digest", flat=True)
        .first()
    )
    if digest is None:
        return "missing"
    current = pooling.inputs_digest(selectors.pooling_input(tender, now=now or timezone.now()))
    return "current" if digest == current else "stale"


def pooling_is_current(tender: Tender, now: datetime.datetime | None = None) -> bool:
    return pooling_state(tender, now) == "current"


def publication_timeline_errors(tender: Tender, now: datetime.datetime) -> list[str]:
    """Breaches of the statutory time limits if the contract notice is dispatched at `now`.

    The planned publication counts, or now when that is later: publishing late shortens the
    time the bidders get. The tender's bid deadline stands in for a milestone that a tender
    created before milestones existed does not have.
    """
    from .models import MilestoneKind
    from .schedule import PlannedMilestone, tender_dates_check, tender_timeline

    planned = tender_timeline(tender)
    # The consortium's own steps are no concern of the law, and a tender may rightly go on
    # before its participation deadline once every member has answered.
    planned.pop(MilestoneKind.NEEDS_ANALYSIS, None)
    planned.pop(MilestoneKind.VOLUME_DEADLINE, None)
    if MilestoneKind.BID_DEADLINE not in planned and tender.bid_deadline is not None:
        planned[MilestoneKind.BID_DEADLINE] = PlannedMilestone(tender.bid_deadline)
    publication = planned.get(MilestoneKind.PUBLICATION)
    if publication is None or publication.due < now:
        planned[MilestoneKind.PUBLICATION] = PlannedMilestone(now)
    problems = tender_dates_check(tender, planned)
    if not problems:
        return []
    return [
        _(
            "The timeline does not keep the statutory time limits if the tender is published "
            "now: %(problems)s Correct the timeline before publishing."
        )
        % {"problems": " ".join(problems)}
    ]


def criteria_total(tender: Tender) -> Decimal:
    return tender.criteria.aggregate(total=Sum("weight"))["total"] or Decimal(0)


def publication_checks(tender: Tender, now: datetime.datetime) -> list[tuple[str, str]]:
    """Every reason the tender may not be published now, as (what to fix, message); the first
    part ("pooling", "criteria", "documents" or "timeline") lets pages link to the fix."""
    checks: list[tuple[str, str]] = []
    state = pooling_state(tender, now)
    if state == "missing":
        checks.append(
            (
                "pooling",
                _(
                    "Pool the volumes first: there is no pooling since the last declaration "
                    "changed."
                ),
            )
        )
    elif state == "stale":
        checks.append(
            (
                "pooling",
                _(
                    "Pool the volumes again: the lots, answers, declarations, term, contract "
                    "kind or threshold have changed since the last pooling."
                ),
            )
        )
    total = criteria_total(tender)
    if total != 100:
        checks.append(
            (
                "criteria",
                _("The award criteria's weights must add up to 100 %% (now %(total)s %%).")
                % {"total": percent_text(total)},
            )
        )
    if not documents_ready(tender):
        checks.append(("documents", _("Render the current tender documents before publishing.")))
    if tender.bid_deadline is None or tender.bid_deadline <= now:
        checks.append(("timeline", _("Set a bid deadline in the future before publishing.")))
    else:
        checks += [("timeline", message) for message in publication_timeline_errors(tender, now)]
    return checks


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
        errors += [message for _area, message in publication_checks(tender, now)]
    elif target in (S.EVALUATION, S.AWARDED):
        if tender.bid_deadline is None or tender.bid_deadline > now:
            errors.append(_("The bid deadline has not passed yet."))
    elif target == S.CONCLUDED and not standstill_ended(tender, now):
        errors.append(_("The standstill period after the award decision has not ended."))
    return errors
