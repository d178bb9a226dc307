"""Reads about tenders that more than one view, task or command needs."""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from accounts.access import SECRETARIAT_ROLES, has_role
from jobs.models import Job
from members.models import Member

from . import pooling
from .models import Participation, PoolingRun, Tender, TenderStatus, Threshold, VolumeDeclaration

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


def members_bound_by_commitment(tender: Tender) -> set[int]:
    """Ids of the active members whose commitment binds them to join this tender.

    The seam to the members app's commitments: when it provides `members.Commitment` together
    with `members.selectors.members_bound_to_tender(tender) -> iterable of member ids`, that
    decides. Until then every active member counts as bound, which errs on the side of chasing
    an answer from everyone.
    """
    active = set(Member.objects.active().values_list("pk", flat=True))
    try:
        apps.get_model("members", "Commitment")
        selector = importlib.import_module("members.selectors").members_bound_to_tender
    except (LookupError, ImportError, AttributeError):
        return active
    return active & {int(pk) for pk in selector(tender)}


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

    @property
    def share_of_threshold(self) -> Decimal | None:
        if not self.threshold or not self.threshold.amount_dkk:
            return None
        return self.estimated_value / self.threshold.amount_dkk


def live_pooling(tender: Tender, now: datetime.datetime | None = None) -> LivePooling:
    """Where the participation window stands: answers so far and the running total."""
    on = timezone.localtime(now or timezone.now()).date()
    counts = tender.participations.aggregate(
        invited=Count("pk"),
        joined=Count("pk", filter=Q(answer=Participation.Answer.PARTICIPATE)),
        declined=Count("pk", filter=Q(answer=Participation.Answer.DECLINE)),
        pending=Count("pk", filter=Q(answer=Participation.Answer.PENDING)),
    )
    annual = VolumeDeclaration.objects.filter(
        participation__tender=tender,
        participation__answer=Participation.Answer.PARTICIPATE,
    ).aggregate(total=Sum("annual_volume"))["total"] or Decimal("0.00")
    estimated = annual * tender.total_years
    threshold = tender_threshold(tender, on)
    bound = members_bound_by_commitment(tender)
    unanswered = list(
        Member.objects.filter(
            pk__in=bound,
            participations__tender=tender,
            participations__answer=Participation.Answer.PENDING,
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


def my_tenders(user: Any) -> list[Participation]:
    """Every participation of the user's member, newest tender first."""
    return list(
        Participation.objects.visible_to(user)
        .select_related("tender")
        .prefetch_related(Prefetch("declarations", queryset=VolumeDeclaration.objects.all()))
        .order_by("-tender__reference")
    )
