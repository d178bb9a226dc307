"""Reads about tenders that more than one view, task or command needs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.access import SECRETARIAT_ROLES, has_role
from consortium import tenancy
from consortium.figure_store import stored
from jobs.models import Job
from members.models import Commitment, Member
from members.selectors import members_bound_to_tender

from . import pooling
from .models import (
    DeclineCategory,
    Milestone,
    MilestoneKind,
    Participation,
    PoolingRun,
    Tender,
    TenderStatus,
    Threshold,
    VolumeDeclaration,
)

# Its progress is shared with every signed-in user: jobs.models.Job.tenant_public_sql names it.
POOLING_JOB_KIND = "tenders.pool_volumes"


def threshold_rows() -> list[pooling.ThresholdRow]:
    return [
        pooling.ThresholdRow(
            t.kind, t.level, t.currency, t.amount, t.valid_from, t.valid_until, t.source
        )
        for t in Threshold.objects.all()
    ]


def tender_threshold(tender: Tender, on: datetime.date) -> pooling.ThresholdValue | None:
    kind = pooling.THRESHOLD_KIND_FOR_CONTRACT.get(tender.contract_kind, "supplies_services")
    return pooling.pick_threshold(threshold_rows(), kind=kind, level=tender.authority_level, on=on)


def threshold_date(tender: Tender, now: datetime.datetime) -> datetime.date:
    """The day whose thresholds decide the verdict: the planned dispatch of the contract notice
    (the value of a contract is estimated at that moment, directive art. 5(2)), else `now`."""
    publication = (
        Milestone.objects.filter(tender=tender, kind=MilestoneKind.PUBLICATION)
        .values_list("due", flat=True)
        .first()
    )
    return timezone.localtime(publication or now).date()


def spend_period(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last 12 months before `on`: [same day a year earlier, on)."""
    try:
        start = on.replace(year=on.year - 1)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - 1, day=28)
    return start, on


def pooling_input(
    tender: Tender, *, now: datetime.datetime, spend: dict[int, Decimal] | None = None
) -> pooling.PoolingInput:
    """What a pooling of the tender is computed from (the spend only when given: it is the
    expensive part, read by `services.tender_pool_volumes` for the participants)."""
    on = timezone.localtime(now).date()
    participations = list(tender.participations.select_related("member__organisation"))
    declarations = VolumeDeclaration.objects.filter(participation__tender=tender).select_related(
        "participation"
    )
    cpv = tender_cpv_codes(tender)
    return pooling.PoolingInput(
        lots=[pooling.LotInput(lot.pk, lot.number, lot.title) for lot in tender.lots.all()],
        members=[pooling.MemberInput(p.member_id, p.member.name, p.answer) for p in participations],
        declarations=[
            pooling.Declaration(d.participation.member_id, d.lot_id, d.annual_volume, d.quantity)
            for d in declarations
        ],
        spend=spend or {},
        term_years=tender.term_years,
        option_years=[int(y) for y in tender.option_years],
        contract_kind=tender.contract_kind,
        authority_level=tender.authority_level,
        thresholds=threshold_rows(),
        on=on,
        spend_period=spend_period(on),
        extra={"cpv": sorted(c.code for c in cpv)},
        threshold_on=threshold_date(tender, now),
    )


def tender_cpv_codes(tender: Tender) -> list[Any]:
    return [c for c in [tender.main_cpv, *tender.additional_cpv.all()] if c is not None]


def binding_commitment(tender: Tender, member: Member) -> Commitment | None:
    """The member's commitment that binds it to take part in this tender, or None.

    Which members are bound is the members app's rule (`members_bound_to_tender`); the
    commitment is the one covering the same year, whose opt-out terms then apply.
    """
    if member.pk not in members_bound_by_commitment(tender):
        return None
    day = tender.volume_deadline or tender.created_at or timezone.now()
    return Commitment.objects.covering(timezone.localtime(day).year).filter(member=member).first()


def opt_out_deadline(tender: Tender, commitment: Commitment) -> datetime.datetime | None:
    """The last moment a bound member may decline: the participation deadline less the
    commitment's opt-out days; None when no participation deadline is set."""
    if tender.volume_deadline is None:
        return None
    return tender.volume_deadline - datetime.timedelta(days=commitment.opt_out_deadline_days)


def members_bound_by_commitment(tender: Tender) -> set[int]:
    """Ids of the active members whose commitment binds them to join this tender: the members
    app's rule (`members.selectors.members_bound_to_tender`)."""
    active = set(Member.objects.active().values_list("pk", flat=True))
    return active & members_bound_to_tender(tender)


@dataclass(frozen=True)
class LivePooling:
    invited: int
    joined: int
    declined: int
    pending: int
    annual_total: Decimal
    estimated_value: Decimal
    threshold: pooling.ThresholdValue | None
    eu_procedure_required: bool | None
    bound_unanswered: list[Member]
    bound: int = 0  # invited members bound by their commitment to take part
    no_answer: int = 0  # not answered by the deadline: recorded as not taking part

    @property
    def share_of_threshold(self) -> Decimal | None:
        if not self.threshold or not self.threshold.amount_dkk:
            return None
        return self.estimated_value / self.threshold.amount_dkk


def live_pooling(tender: Tender, now: datetime.datetime | None = None) -> LivePooling:
    """Where the participation window stands: answers so far and the running total.

    Counts and sums over every member's answers, shown to each member: the database is told
    (row-level security, consortium/tenancy.py)."""
    with tenancy.across_members():
        return _live_pooling(tender, now)


@stored()
def live_pooling_today(tender: Tender) -> LivePooling:
    """`live_pooling` now, kept between requests until an answer or the tender changes (or the
    day does: its thresholds are those of a day): the tender page and its polling panel show it
    at every visit, some 40 ms of counts over every member's answers on the national data set."""
    return live_pooling(tender)


def _live_pooling(tender: Tender, now: datetime.datetime | None) -> LivePooling:
    on = threshold_date(tender, now or timezone.now())
    counts = tender.participations.aggregate(
        invited=Count("pk"),
        joined=Count("pk", filter=Q(answer=Participation.Answer.PARTICIPATE)),
        declined=Count("pk", filter=Q(answer=Participation.Answer.DECLINE)),
        pending=Count("pk", filter=Q(answer=Participation.Answer.PENDING)),
        no_answer=Count("pk", filter=Q(answer=Participation.Answer.NO_ANSWER)),
    )
    annual = VolumeDeclaration.objects.filter(
        participation__tender=tender,
        participation__answer=Participation.Answer.PARTICIPATE,
    ).aggregate(total=Sum("annual_volume"))["total"] or Decimal("0.00")
    estimated = annual * tender.total_years
    threshold = tender_threshold(tender, on)
    bound = members_bound_by_commitment(tender) & set(
        tender.participations.values_list("member_id", flat=True)
    )
    unanswered = list(
        Member.objects.filter(
            pk__in=bound,
            participations__tender=tender,
            participations__answer__in=(
                Participation.Answer.PENDING,
                Participation.Answer.NO_ANSWER,
            ),
        ).select_related("organisation")
    )
    return LivePooling(
        invited=counts["invited"],
        joined=counts["joined"],
        declined=counts["declined"],
        pending=counts["pending"],
        annual_total=annual,
        estimated_value=estimated,
        threshold=threshold,
        eu_procedure_required=pooling.eu_procedure_required(estimated, threshold),
        bound_unanswered=unanswered,
        bound=len(bound),
        no_answer=counts["no_answer"],
    )


def latest_pooling(tender: Tender) -> PoolingRun | None:
    return tender.pooling_runs.order_by("-computed_at").first()


def pooling_job(tender: Tender) -> Job | None:
    """The newest pooling job of the tender, whoever started it (its progress is not private)."""
    return (
        Job.objects.filter(kind=POOLING_JOB_KIND, task_kwargs__tender_id=tender.pk)
        .order_by("-created_at")
        .first()
    )


def participations_for(tender: Tender, user: Any) -> list[Participation]:
    """The answers the user may see on the tender page: all for the secretariat, else their own."""
    return list(
        Participation.objects.visible_to(user)
        .filter(tender=tender)
        .select_related("member__organisation", "answered_by")
        .annotate(annual_total=Sum("declarations__annual_volume"))
        .order_by("member__organisation__name")
    )


def open_declarations(user: Any) -> list[Participation]:
    """The user's member's participations in tenders collecting volumes, earliest deadline first."""
    if has_role(user, SECRETARIAT_ROLES):
        return []
    return list(
        Participation.objects.visible_to(user)
        .filter(tender__status=TenderStatus.VOLUME_COLLECTION)
        .select_related("tender", "member__organisation")
        .order_by("tender__volume_deadline", "tender__reference")
    )


def my_tenders(user: Any) -> QuerySet[Participation]:
    """Every participation of the user's member, newest tender first (a page at a time: a
    national body's member is invited to hundreds)."""
    return (
        Participation.objects.visible_to(user)
        .select_related("tender", "member__organisation")
        .order_by("-tender__reference", "pk")
    )


# --- a member's joint tenders, for the member page ----------------------------------------------


@dataclass(frozen=True)
class TenderAnswer:
    reference: str
    title: str
    url: str
    tender_status: str
    answer: str
    answer_label: str
    # The member's own data: only for its own users and the secretariat, else None / "".
    annual_volume: Decimal | None
    decline_reason: str


def member_tender_answers(member: Member, user: Any) -> list[TenderAnswer]:
    """The joint tenders the member takes part in, has declined or did not answer by the
    deadline (recorded as not taking part), newest first.

    Whether a member takes part is shared with every signed-in user, so only the answer is read
    unscoped; its volumes and reasons for declining come through `visible_to(user)`.
    """
    shared = (
        Participation.Answer.PARTICIPATE,
        Participation.Answer.DECLINE,
        Participation.Answer.NO_ANSWER,
    )
    details = {
        p.pk: p
        for p in Participation.objects.visible_to(user)
        .filter(member=member, answer__in=shared)
        .annotate(annual_total=Sum("declarations__annual_volume"))
    }
    answers = dict(Participation.Answer.choices)
    statuses = dict(TenderStatus.choices)
    rows = []
    for pk, answer, reference, title, status in (
        Participation.objects.filter(member=member, answer__in=shared)
        .order_by("-tender__reference")
        .values_list("pk", "answer", "tender__reference", "tender__title", "tender__status")
    ):
        own = details.get(pk)
        rows.append(
            TenderAnswer(
                reference=reference,
                title=title,
                url=reverse("tenders:detail", args=[reference]),
                tender_status=str(statuses.get(status, status)),
                answer=answer,
                answer_label=str(answers[answer]),
                annual_volume=own.annual_total if own else None,  # type: ignore[attr-defined]
                decline_reason=own.decline_reason if own else "",
            )
        )
    return rows


# --- declines counted by category, for the board ------------------------------------------------


@dataclass(frozen=True)
class DeclineCounts:
    by_category: dict[str, int]  # every DeclineCategory value, in the order of the choices
    tenders: int  # tenders counted: answers closed, at least one decline
    collecting: int  # tenders left out because they still collect answers


def decline_counts(*, start: datetime.date, end: datetime.date) -> DeclineCounts:
    """The declines of joint tenders whose participation deadline fell in start ≤ day < end,
    counted per category — what the board reads of the members' reasons
    (`accounts.access.sees_members_own_words`).

    Only tenders whose answers are closed (`ANSWERS_CLOSED_STATUSES`) are counted: while a tender
    collects answers they may still change, and a count of a few declines points at the members
    that gave them. No member and no member's text leaves this function.
    """
    in_period = Participation.objects.filter(
        tender__volume_deadline__date__gte=start, tender__volume_deadline__date__lt=end
    )
    declines = in_period.filter(answer=Participation.Answer.DECLINE)
    closed = declines.answers_closed()
    counts = dict(closed.values_list("decline_category").annotate(n=Count("pk")).order_by())
    # A decline recorded without a category (before categories existed) counts as "other".
    other = counts.pop("", 0)
    by_category = {value: counts.get(value, 0) for value in DeclineCategory.values}
    by_category[DeclineCategory.OTHER] += other
    collecting = Tender.objects.filter(
        volume_deadline__date__gte=start,
        volume_deadline__date__lt=end,
        status__in=(TenderStatus.VOLUME_COLLECTION,),
    ).count()
    return DeclineCounts(
        by_category=by_category,
        tenders=closed.values("tender_id").distinct().count(),
        collecting=collecting,
    )
