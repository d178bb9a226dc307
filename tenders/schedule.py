"""Writes and reads around tender timelines: milestones, the pipeline (udbudsplan) and each
user's calendar feed. The rules themselves are pure functions in tenders/timeline.py."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pghistory
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ALL_ROLES, SECRETARIAT_ROLES, has_role
from accounts.models import Role, User

from . import timeline as rules
from .models import (
    CalendarFeed,
    Milestone,
    MilestoneKind,
    Participation,
    Tender,
    TenderStatus,
)

CLOSED_STATUSES = (TenderStatus.CANCELLED,)


# --- milestones ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMilestone:
    due: datetime
    electronic: bool = True


def points(planned: dict[str, PlannedMilestone]) -> dict[str, rules.Point]:
    """The rules' view of a timeline: local dates and times of day (Danish time)."""
    result = {}
    for kind, value in planned.items():
        local = timezone.localtime(value.due)
        result[kind] = rules.Point(local.date(), value.electronic, local.time())
    return result


def tender_circumstances(tender: Tender) -> rules.Circumstances:
    """What the secretariat has decided for the tender that may shorten a time limit."""
    from .models import AuthorityLevel

    return rules.Circumstances(
        urgent=bool(tender.urgency_reason.strip()),
        agreed=tender.bid_deadline_agreed,
        state_authority=tender.authority_level == AuthorityLevel.CENTRAL,
    )


def tender_timeline(tender: Tender) -> dict[str, PlannedMilestone]:
    return {
        m.kind: PlannedMilestone(m.due, m.electronic)
        for m in Milestone.objects.filter(tender=tender)
    }


@transaction.atomic
def timeline_update(
    *,
    tender: Tender,
    user: User | None,
    planned: dict[str, PlannedMilestone],
    urgency_reason: str | None = None,
    bid_deadline_agreed: bool | None = None,
    allow_published_change: bool = False,
) -> list[Milestone]:
    """Replace the tender's milestones with `planned`, refusing a timeline that breaks the order
    of milestones or a minimum time limit of the tender's procedure.

    The milestones are the one source of the tender's dates. The participation deadline, the bid
    deadline and the contract start are copied onto the tender (where the workflow, the
    participation window, reports and the API read them) here and nowhere else, so the copy
    always says what the milestones say — including that a removed milestone has no date.
    `urgency_reason` and `bid_deadline_agreed` (None: unchanged) are saved with the timeline,
    since they decide which limits it is checked against.

    Once the tender is published, the dates its conditions state are refused here
    (`PUBLISHED_MILESTONES`) unless `allow_published_change`: set by a corrigendum, which records
    the change and tells the members, and by the demo data, which lays out a tender's past.
    """
    if not allow_published_change:
        _refuse_published_changes(tender, planned, urgency_reason, bid_deadline_agreed)
    if urgency_reason is not None:
        tender.urgency_reason = urgency_reason.strip()
    if bid_deadline_agreed is not None:
        tender.bid_deadline_agreed = bid_deadline_agreed
    findings = rules.check_timeline(
        tender.procedure_type, points(planned), tender_circumstances(tender)
    )
    if findings:
        errors: dict[str, list[str]] = {}
        for finding in findings:
            errors.setdefault(finding.kind, []).append(finding.message)
        raise ValidationError(errors)
    with pghistory.context(user=user.pk if user else None, action="timeline_update"):
        Milestone.objects.filter(tender=tender).exclude(kind__in=planned.keys()).delete()
        existing = {m.kind: m for m in Milestone.objects.filter(tender=tender)}
        saved = []
        for kind, value in planned.items():
            milestone = existing.get(kind) or Milestone(tender=tender, kind=kind)
            if milestone.pk and (milestone.due, milestone.electronic) == (
                value.due,
                value.electronic,
            ):
                saved.append(milestone)
                continue
            milestone.due, milestone.electronic = value.due, value.electronic
            milestone.full_clean()
            milestone.save()
            saved.append(milestone)
        volume = planned.get(MilestoneKind.VOLUME_DEADLINE)
        bid = planned.get(MilestoneKind.BID_DEADLINE)
        start = planned.get(MilestoneKind.CONTRACT_START)
        tender.volume_deadline = volume.due if volume else None
        tender.bid_deadline = bid.due if bid else None
        tender.expected_start = timezone.localdate(start.due) if start else None
        tender.save(
            update_fields=[
                "volume_deadline",
                "bid_deadline",
                "expected_start",
                "urgency_reason",
                "bid_deadline_agreed",
                "updated_at",
            ]
        )
    return saved


# The tender's own date fields and the milestone each one is a copy of.
DEADLINE_MILESTONES: dict[str, str] = {
    "volume_deadline": MilestoneKind.VOLUME_DEADLINE,
    "bid_deadline": MilestoneKind.BID_DEADLINE,
    "expected_start": MilestoneKind.CONTRACT_START,
}


# The dates the published conditions state (and what decides their time limits): once the tender
# is published they change only through a corrigendum (tenders/services/corrigenda.py). The
# award decision, the standstill and the contract start come later and may still be planned.
PUBLISHED_MILESTONES = frozenset(
    {
        MilestoneKind.VOLUME_DEADLINE,
        MilestoneKind.PIN,
        MilestoneKind.PUBLICATION,
        MilestoneKind.REQUESTS_DEADLINE,
        MilestoneKind.INVITATION,
        MilestoneKind.QUESTIONS_DEADLINE,
        MilestoneKind.BID_DEADLINE,
    }
)


def _refuse_published_changes(
    tender: Tender,
    planned: dict[str, PlannedMilestone],
    urgency_reason: str | None,
    bid_deadline_agreed: bool | None,
) -> None:
    from .workflow import frozen_message, is_frozen

    if not is_frozen(tender):
        return
    current = tender_timeline(tender)
    errors: dict[str, list[str]] = {}
    for kind in PUBLISHED_MILESTONES:
        before, after = current.get(kind), planned.get(kind)
        if (before.due if before else None) != (after.due if after else None):
            errors[kind] = [frozen_message(tender)]
    if urgency_reason is not None and urgency_reason.strip() != tender.urgency_reason:
        errors["urgency_reason"] = [frozen_message(tender)]
    if bid_deadline_agreed is not None and bid_deadline_agreed != tender.bid_deadline_agreed:
        errors["bid_deadline_agreed"] = [frozen_message(tender)]
    if errors:
        raise ValidationError(errors, code="frozen")


def timeline_with_dates(
    tender: Tender, dates: dict[str, datetime | date | None]
) -> dict[str, PlannedMilestone]:
    """The tender's milestones with the participation deadline, bid deadline and contract start
    replaced by `dates` (keyed by the tender's field names; None removes the milestone).

    An unchanged value keeps its milestone as it is (a contract start keeps its time of day).
    """
    planned = tender_timeline(tender) if tender.pk else {}
    for name, value in dates.items():
        kind = DEADLINE_MILESTONES[name]
        current = planned.get(kind)
        if value is None:
            planned.pop(kind, None)
            continue
        if not isinstance(value, datetime):
            if current and timezone.localdate(current.due) == value:
                continue
            value = timezone.make_aware(datetime.combine(value, time()))
        if current and current.due == value:
            continue
        planned[kind] = PlannedMilestone(value, current.electronic if current else True)
    return planned


def tender_dates_check(tender: Tender, planned: dict[str, PlannedMilestone]) -> list[str]:
    """Why the tender's timeline breaks the law, as messages naming the milestone ([] if not)."""
    labels = dict(MilestoneKind.choices)
    return [
        f"{labels[f.kind]}: {f.message}"
        for f in rules.check_timeline(
            tender.procedure_type, points(planned), tender_circumstances(tender)
        )
    ]


# --- pipeline (udbudsplan) ---------------------------------------------------------------------


@dataclass
class PipelineRow:
    tender: Tender
    start: date | None
    end: date | None
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def next_milestone(self) -> Milestone | None:
        now = timezone.now()
        return next((m for m in self.milestones if m.due >= now), None)


def pipeline_rows(tenders: QuerySet[Tender]) -> list[PipelineRow]:
    """Each tender with the span of its planned dates, earliest first."""
    rows = []
    for tender in tenders.select_related("lead_organisation").prefetch_related("milestones"):
        milestones = sorted(tender.milestones.all(), key=lambda m: m.due)
        days = [timezone.localdate(m.due) for m in milestones]
        days += [timezone.localdate(d) for d in (tender.volume_deadline, tender.bid_deadline) if d]
        if tender.expected_start:
            days.append(tender.expected_start)
        rows.append(
            PipelineRow(
                tender, min(days) if days else None, max(days) if days else None, milestones
            )
        )
    rows.sort(key=lambda r: (r.start is None, r.start or date.max, r.tender.reference))
    return rows


@dataclass(frozen=True)
class Bar:
    row: PipelineRow
    y: int
    x: float | None
    width: float
    markers: list[tuple[float, Milestone]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    row_height: int
    columns: list[tuple[float, float, str]]  # x, width, label ("1. kvt. 2026")
    bars: list[Bar]
    today_x: float | None


def pipeline_chart(
    rows: list[PipelineRow], first: tuple[int, int], count: int, *, today: date
) -> Chart:
    """Geometry of the quarter-by-quarter chart (pure: rows in, coordinates out)."""
    label_width, width, row_height, top = 230, 1100, 30, 34
    quarters = rules.quarters(first, count)
    axis_start = rules.quarter_start(*quarters[0])
    last_year, last_quarter = rules.quarters(quarters[-1], 2)[1]
    axis_end = rules.quarter_start(last_year, last_quarter)
    span = (axis_end - axis_start).days
    plot = width - label_width

    def x_of(day: date) -> float:
        clamped = min(max(day, axis_start), axis_end)
        return round(label_width + plot * (clamped - axis_start).days / span, 1)

    columns = []
    for year, quarter in quarters:
        start = rules.quarter_start(year, quarter)
        ny, nq = rules.quarters((year, quarter), 2)[1]
        columns.append(
            (
                x_of(start),
                round(x_of(rules.quarter_start(ny, nq)) - x_of(start), 1),
                _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year},
            )
        )

    bars = []
    for index, row in enumerate(rows):
        y = top + index * row_height
        visible = row.start and row.end and row.end >= axis_start and row.start < axis_end
        x = x_of(row.start) if visible else None
        bar_width = max(round(x_of(row.end) - x_of(row.start), 1), 3) if visible else 0
        markers = [
            (x_of(timezone.localdate(m.due)), m)
            for m in row.milestones
            if axis_start <= timezone.localdate(m.due) < axis_end
        ]
        bars.append(Bar(row, y, x, bar_width, markers))
    today_x = x_of(today) if axis_start <= today < axis_end else None
    return Chart(
        width,
        top + max(len(rows), 1) * row_height + 8,
        label_width,
        row_height,
        columns,
        bars,
        today_x,
    )


# --- calendar feed ---------------------------------------------------------------------------

FEED_SALT = "tenders.calendar-feed"


def calendar_feed_token(user: User) -> str:
    """The secret part of the user's calendar address (created on first use)."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"nonce": secrets.token_hex(16)}
    )
    return signing.Signer(salt=FEED_SALT).sign(f"{user.pk}.{feed.nonce}")


@transaction.atomic
def calendar_feed_reset(*, user: User) -> str:
    """Give the user a new calendar address; every earlier address stops working."""
    CalendarFeed.objects.update_or_create(user=user, defaults={"nonce": secrets.token_hex(16)})
    return calendar_feed_token(user)


def calendar_feed_user(token: str) -> User | None:
    """The active user a calendar address belongs to, or None (unknown, revoked, no role)."""
    try:
        value = signing.Signer(salt=FEED_SALT).unsign(token)
        user_id, nonce = value.split(".", 1)
    except (signing.BadSignature, ValueError):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(user_id=user_id).first()
    if feed is None or not secrets.compare_digest(feed.nonce, nonce):
        return None
    return feed.user if has_role(feed.user, ALL_ROLES) else None


BOARD_KINDS = (
    MilestoneKind.PUBLICATION,
    MilestoneKind.AWARD_DECISION,
    MilestoneKind.CONTRACT_START,
)


def calendar_milestones(user: User, *, since: date | None = None) -> QuerySet[Milestone]:
    """The deadlines that concern `user`.

    The secretariat runs every tender: all milestones. A member's users: the participation
    deadline of every tender their member is invited to (or that is collecting volumes), and
    every milestone of the tenders their member takes part in. The board: publications, award
    decisions and contract starts.
    """
    since = since or timezone.localdate() - timedelta(days=365)
    milestones = (
        Milestone.objects.filter(due__date__gte=since)
        .exclude(tender__status__in=CLOSED_STATUSES)
        .select_related("tender")
        .order_by("due")
    )
    if user.role in SECRETARIAT_ROLES:
        return milestones
    if user.role == Role.BOARD_MEMBER:
        return milestones.filter(kind__in=BOARD_KINDS)
    member_tenders = Participation.objects.visible_to(user)  # their own member's
    return milestones.filter(
        Q(tender__in=member_tenders.participating().values("tender"))
        | Q(
            kind=MilestoneKind.VOLUME_DEADLINE,
            tender__in=member_tenders.values("tender"),
        )
        | Q(kind=MilestoneKind.VOLUME_DEADLINE, tender__status=TenderStatus.VOLUME_COLLECTION)
    ).distinct()
