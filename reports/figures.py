"""Every figure the reports show, computed here and nowhere else.

Dashboards, board packs, scorecards and XLSX exports all call these functions and render the
`Table`s they return, so a number is the same wherever it appears. Members' private data (spend,
declarations, decline reasons) leaves this module only aggregated per member — fit for the board —
or, in `member_*` functions, for the member's own users and the secretariat (callers check).
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from consortium.formatting import format_money
from members.models import Commitment, Member, PopulationFigure
from members.selectors import members_bound_to_tender
from spend.models import SpendLine
from tenders.models import Participation, Tender, TenderStatus, VolumeDeclaration

from .periods import Period
from .tables import Column, Table, share

OPEN_STATUSES = [
    TenderStatus.PLANNED,
    TenderStatus.NEEDS_ANALYSIS,
    TenderStatus.VOLUME_COLLECTION,
    TenderStatus.PREPARATION,
    TenderStatus.PUBLISHED,
    TenderStatus.EVALUATION,
    TenderStatus.AWARDED,
]
NOT_YET_PUBLISHED = OPEN_STATUSES[:4]
# A tender whose contract should start within this many days but is not yet published is late:
# an EU procedure needs about half a year from publication to contract (time limits, evaluation,
# standstill).
LATE_START_DAYS = 183


_memo: ContextVar[dict[Any, Any] | None] = ContextVar("reports_figures_memo", default=None)


@contextmanager
def one_computation() -> Iterator[None]:
    """Within the block each figure is computed once: a pack or a dashboard asks for the same
    table several times (a section, a key figure, the trend), and the answers must agree."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised[F: Callable[..., Any]](fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        memo = _memo.get()
        if memo is None:
            return fn(*args, **kwargs)
        key = (fn.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = fn(*args, **kwargs)
        return memo[key]

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True)
class KeyFigure:
    slug: str
    label: str
    value: Any
    kind: str  # "kr", "number", "percent"
    previous: Any = None


def _membership(start: datetime.date, end: datetime.date) -> Q:
    """Members at some time in start ≤ day < end, by their joined and left dates."""
    return (
        (Q(joined_on__isnull=True) | Q(joined_on__lt=end))
        & (Q(left_on__isnull=True) | Q(left_on__gt=start))
        & ~Q(status=Member.Status.CANDIDATE)
        # A former member without a date of leaving cannot be placed in time: left out.
        & ~Q(status=Member.Status.FORMER, left_on__isnull=True)
    )


@_memoised
def _members(period: Period) -> list[Member]:
    """The members during the period (also those that joined or left in it)."""
    return list(
        Member.objects.filter(_membership(period.start, period.end))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _member_count_at(day: datetime.date) -> int:
    return Member.objects.filter(_membership(day, day + datetime.timedelta(days=1))).count()


def _as_of_note(period: Period, today: datetime.date | None = None) -> str:
    return _("As of %(date)s.") % {"date": date_format(period.as_of(today), "SHORT_DATE_FORMAT")}


@_memoised
def _tenders_at(period: Period, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The tenders as they stood at the end of the period — or now, for a period not yet over.

    An ended period is read from the tenders' audit trail (django-pghistory keeps every version
    of a tender), so a status changed since does not rewrite an old report, and a tender created
    since is not in it.
    """
    fields = ("reference", "title", "status", "expected_start")
    if period.end > (today or timezone.localdate()):
        return list(Tender.objects.values("id", *fields))
    moment = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time.min))
    versions = (
        Tender.pgh_event_model.objects.filter(pgh_created_at__lt=moment)
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
        .values("pgh_obj_id", "pgh_label", *fields)
    )
    return [
        {"id": v["pgh_obj_id"], **{f: v[f] for f in fields}}
        for v in versions
        if v["pgh_label"] != "delete"
    ]


def _population_by_member(year: int) -> dict[int, int]:
    """Population per member for `year`, using the latest figure not after it."""
    result: dict[int, int] = {}
    seen: set[int] = set()
    figures = (
        PopulationFigure.objects.filter(year__lte=year, municipality__member__isnull=False)
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "municipality__member_id", "population")
    )
    for municipality_id, member_id, population in figures:
        if municipality_id in seen:
            continue
        seen.add(municipality_id)
        result[member_id] = result.get(member_id, 0) + population
    return result


# --- members ---------------------------------------------------------------------------------


@_memoised
def members_table(period: Period) -> Table:
    population = _population_by_member(period.year)
    table = Table(
        "members",
        _("Members"),
        [
            Column("member", _("Member")),
            Column("status", _("Status")),
            Column("population", _("Population"), "number"),
        ],
    )
    members = _members(period)
    for m in members:
        table.rows.append(
            {
                "member": m.name,
                "member_pk": m.pk,
                "status": m.get_status_display(),
                "population": population.get(m.pk),
            }
        )
    table.total = {
        "member": _("Total"),
        # None, not 0, for a year without population figures (no trend to show).
        "population": sum(population.get(m.pk, 0) for m in members) if population else None,
    }
    return table


# --- tenders ---------------------------------------------------------------------------------


@_memoised
def pipeline_table(period: Period, today: datetime.date | None = None) -> Table:
    """Joint tenders by status at the end of the period (or today, for a period not yet over)."""
    counts = Counter(t["status"] for t in _tenders_at(period, today))
    table = Table(
        "pipeline",
        _("Tender pipeline by status"),
        [Column("status", _("Status")), Column("tenders", _("Tenders"), "number")],
        note=_as_of_note(period, today),
    )
    for value, label in TenderStatus.choices:
        table.rows.append({"status": str(label), "status_key": value, "tenders": counts[value]})
    table.total = {"status": _("Total"), "tenders": sum(counts.values())}
    return table


def open_tender_count(pipeline: Table) -> int:
    return sum(r["tenders"] for r in pipeline.rows if r["status_key"] in OPEN_STATUSES)


def late_starts_table(period: Period, today: datetime.date | None = None) -> Table:
    """Tenders not yet published at the period's end whose contract should start within 6 months."""
    as_of = period.as_of(today)
    horizon = as_of + datetime.timedelta(days=LATE_START_DAYS)
    statuses = dict(TenderStatus.choices)
    tenders = sorted(
        (
            t
            for t in _tenders_at(period, today)
            if t["status"] in NOT_YET_PUBLISHED
            and t["expected_start"] is not None
            and t["expected_start"] <= horizon
        ),
        key=lambda t: (t["expected_start"], t["reference"]),
    )
    table = Table(
        "late-starts",
        _("Tenders late to start"),
        [
            Column("reference", _("Reference")),
            Column("title", _("Title")),
            Column("status", _("Status")),
            Column("expected_start", _("Expected contract start"), "date"),
        ],
        note=_(
            "Not yet published on %(date)s, although the contract should start within six months."
        )
        % {"date": date_format(as_of, "SHORT_DATE_FORMAT")},
    )
    for t in tenders:
        table.rows.append(
            {
                "reference": t["reference"],
                "title": t["title"],
                "status": str(statuses.get(t["status"], t["status"])),
                "expected_start": t["expected_start"],
            }
        )
    return table


@_memoised
def pooled_volume_table(period: Period) -> Table:
    """Declared annual volume of participating members per tender, and over the whole term."""
    rows = (
        VolumeDeclaration.objects.filter(
            participation__answer=Participation.Answer.PARTICIPATE,
            participation__tender__volume_deadline__date__lt=period.end,
        )
        .exclude(participation__tender__status=TenderStatus.CANCELLED)
        .values(
            "participation__tender_id",
            "participation__tender__reference",
            "participation__tender__title",
            "participation__tender__term_years",
            "participation__tender__option_years",
        )
        .annotate(
            annual=Sum("annual_volume"), members=Count("participation__member", distinct=True)
        )
        .order_by("participation__tender__reference")
    )
    table = Table(
        "pooled-volume",
        _("Pooled volume"),
        [
            Column("reference", _("Reference")),
            Column("title", _("Title")),
            Column("members", _("Participating members"), "number"),
            Column("annual", _("Declared annual volume"), "kr"),
            Column("term_value", _("Estimated value over the whole term"), "kr"),
        ],
    )
    for r in rows:
        years = r["participation__tender__term_years"] + sum(
            int(y) for y in r["participation__tender__option_years"] or []
        )
        table.rows.append(
            {
                "reference": r["participation__tender__reference"],
                "title": r["participation__tender__title"],
                "members": r["members"],
                "annual": r["annual"],
                "term_value": r["annual"] * years,
            }
        )
    table.total = {
        "reference": _("Total"),
        "annual": sum((r["annual"] for r in table.rows), Decimal(0)),
        "term_value": sum((r["term_value"] for r in table.rows), Decimal(0)),
    }
    return table


@_memoised
def participation_table(period: Period) -> Table:
    """Per member: the joint tenders it was invited to in the period and how it answered."""
    invited = Participation.objects.filter(
        tender__volume_deadline__date__gte=period.start,
        tender__volume_deadline__date__lt=period.end,
    ).exclude(tender__status=TenderStatus.CANCELLED)
    counts = {
        r["member_id"]: r
        for r in invited.values("member_id").annotate(
            invited=Count("pk"),
            joined=Count("pk", filter=Q(answer=Participation.Answer.PARTICIPATE)),
            declined=Count("pk", filter=Q(answer=Participation.Answer.DECLINE)),
            pending=Count("pk", filter=Q(answer=Participation.Answer.PENDING)),
        )
    }
    table = Table(
        "participation",
        _("Participation in joint tenders"),
        [
            Column("member", _("Member")),
            Column("invited", _("Invited"), "number"),
            Column("joined", pgettext("participation", "Joined"), "number"),
            Column("declined", _("Declined"), "number"),
            Column("pending", _("Not answered"), "number"),
            Column("rate", _("Participation rate"), "percent"),
        ],
        note=_("Every joint tender whose participation deadline fell in the period."),
    )
    for m in _members(period):
        c = counts.get(m.pk, {"invited": 0, "joined": 0, "declined": 0, "pending": 0})
        table.rows.append(
            {
                "member": m.name,
                **{k: c[k] for k in ("invited", "joined", "declined", "pending")},
                "rate": share(c["joined"], c["invited"]),
            }
        )
    totals = {
        k: sum(r[k] for r in table.rows) for k in ("invited", "joined", "declined", "pending")
    }
    table.total = {
        "member": _("Total"),
        **totals,
        "rate": share(totals["joined"], totals["invited"]),
    }
    return table


# Outcomes of a binding tender for a member; the first two keep the commitment.
JOINED, OPTED_OUT, DECLINED, NOT_ANSWERED = "joined", "opted_out", "declined", "not_answered"
KEPT = frozenset({JOINED, OPTED_OUT})


def _outcome_labels() -> dict[str, str]:
    return {
        JOINED: pgettext("participation", "Joined"),
        OPTED_OUT: _("Opted out as allowed"),
        DECLINED: _("Declined, not allowed"),
        NOT_ANSWERED: _("No answer"),
    }


@dataclass(frozen=True)
class BindingAnswer:
    """A member's answer to a joint tender its commitment bound it to."""

    member: Member
    tender: Tender
    outcome: str
    reason: str

    @property
    def kept(self) -> bool:
        return self.outcome in KEPT


def _binding_outcome(p: Participation, tender: Tender, commitment: Commitment | None) -> str:
    if p.answer == Participation.Answer.PARTICIPATE:
        return JOINED
    if p.answer == Participation.Answer.PENDING:
        return NOT_ANSWERED
    # A decline keeps the commitment when its opt-out rule allows it: in time, with a reason
    # where one is required. A decline without a recorded time gets the benefit of the doubt.
    if commitment is not None and commitment.opt_out_allowed:
        reasoned = bool(p.decline_reason.strip()) or not commitment.opt_out_justification_required
        latest = tender.volume_deadline - datetime.timedelta(days=commitment.opt_out_deadline_days)
        if reasoned and (p.answered_at is None or p.answered_at <= latest):
            return OPTED_OUT
    return DECLINED


@_memoised
def binding_answers(period: Period, now: datetime.datetime | None = None) -> list[BindingAnswer]:
    """Each member's answer to each joint tender it was bound to, deadline in the period.

    Bound is what the members app says (`members_bound_to_tender`: the member's commitment
    for the deadline's year covers the tender's CPV codes or procedure). Tenders whose deadline
    has not passed are left out: their answers may still change.
    """
    now = now or timezone.now()
    tenders = list(
        Tender.objects.filter(
            volume_deadline__date__gte=period.start,
            volume_deadline__date__lt=period.end,
            volume_deadline__lte=now,
        )
        .exclude(status=TenderStatus.CANCELLED)
        .select_related("main_cpv")
        .prefetch_related(
            "additional_cpv",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("member__organisation"),
            ),
        )
        .order_by("reference")
    )
    members = {m.pk for m in _members(period)}
    years = {timezone.localtime(t.volume_deadline).year for t in tenders}
    commitments = {
        (c.member_id, year): c for year in years for c in Commitment.objects.covering(year)
    }
    answers: list[BindingAnswer] = []
    for tender in tenders:
        year = timezone.localtime(tender.volume_deadline).year
        if not any(key[1] == year for key in commitments):
            continue  # no commitment covers the year: nobody is bound (and no query per tender)
        bound = members_bound_to_tender(tender) & members
        for p in tender.participations.all():
            if p.member_id in bound:
                commitment = commitments.get((p.member_id, year))
                outcome = _binding_outcome(p, tender, commitment)
                answers.append(BindingAnswer(p.member, tender, outcome, p.decline_reason))
    answers.sort(key=lambda a: (a.member.name, a.tender.reference))
    return answers


@_memoised
def commitment_kept_table(period: Period) -> Table:
    """Per member: the binding tenders, how it answered them, and the share that kept."""
    answers = binding_answers(period)
    counts: dict[int, Counter[str]] = {}
    for a in answers:
        counts.setdefault(a.member.pk, Counter())[a.outcome] += 1
    table = Table(
        "commitment-kept",
        _("Commitment kept"),
        [
            Column("member", _("Member")),
            Column("bound", _("Binding tenders"), "number"),
            Column(JOINED, pgettext("participation", "Joined"), "number"),
            Column(OPTED_OUT, _("Opted out as allowed"), "number"),
            Column(DECLINED, _("Declined, not allowed"), "number"),
            Column(NOT_ANSWERED, _("No answer"), "number"),
            Column("rate", _("Commitment kept"), "percent"),
        ],
        note=_(
            "A member keeps its commitment to a joint tender it is bound to by joining it, or by "
            "opting out as its commitment allows (in time, and with a reason where one is "
            "required). Tenders whose participation deadline has not passed are not counted."
        ),
    )
    outcomes = (JOINED, OPTED_OUT, DECLINED, NOT_ANSWERED)
    for m in _members(period):
        c = counts.get(m.pk, Counter())
        bound = sum(c.values())
        table.rows.append(
            {
                "member": m.name,
                "bound": bound,
                **{o: c[o] for o in outcomes},
                "rate": share(c[JOINED] + c[OPTED_OUT], bound),
            }
        )
    totals = {k: sum(r[k] for r in table.rows) for k in ("bound", *outcomes)}
    table.total = {
        "member": _("Total"),
        **totals,
        "rate": share(totals[JOINED] + totals[OPTED_OUT], totals["bound"]),
    }
    return table


def binding_answers_table(period: Period, member: Member | None = None) -> Table:
    """Every binding tender per member: the answer, the reason given and whether it kept."""
    answers = binding_answers(period)
    if member is not None:
        answers = [a for a in answers if a.member.pk == member.pk]
    labels = _outcome_labels()
    table = Table(
        "binding-answers" if member is None else "member-binding-answers",
        _("Binding joint tenders and the answers"),
        [
            *([Column("member", _("Member"))] if member is None else []),
            Column("tender", _("Tender")),
            Column("answer", _("Answer")),
            Column("reason", _("Reason")),
            Column("kept", _("Commitment kept")),
        ],
    )
    for a in answers:
        table.rows.append(
            {
                "member": a.member.name,
                "tender": f"{a.tender.reference} {a.tender.title}",
                "outcome": a.outcome,
                "answer": labels[a.outcome],
                "reason": a.reason,
                "kept": _("Yes") if a.kept else _("No"),
            }
        )
    return table


def declines_table(period: Period) -> Table:
    """Declines of tenders the member was not bound to (binding ones are in binding_answers)."""
    bound = {(a.member.pk, a.tender.pk) for a in binding_answers(period)}
    declines = (
        Participation.objects.filter(
            answer=Participation.Answer.DECLINE,
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .exclude(tender__status=TenderStatus.CANCELLED)
        .select_related("tender", "member__organisation")
        .order_by("tender__reference", "member__organisation__name")
    )
    table = Table(
        "declines",
        _("Other declines with reasons"),
        [
            Column("reference", _("Tender")),
            Column("member", _("Member")),
            Column("reason", _("Reason")),
        ],
        note=_("Declines of joint tenders that the member's commitment did not bind it to."),
    )
    for p in declines:
        if (p.member_id, p.tender_id) in bound:
            continue
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "member": p.member.name,
                "reason": p.decline_reason,
            }
        )
    return table


# --- spend -----------------------------------------------------------------------------------


@_memoised
def spend_by_member_table(period: Period) -> Table:
    """Each member's total spend in the period — an aggregate, fit for the board."""
    totals = dict(
        SpendLine.objects.filter(invoice_date__gte=period.start, invoice_date__lt=period.end)
        .values_list("member_id")
        .annotate(total=Sum("amount"))
    )
    table = Table(
        "spend-by-member",
        _("Spend by member"),
        [Column("member", _("Member")), Column("spend", _("Spend ex. VAT"), "kr")],
    )
    for m in _members(period):
        table.rows.append({"member": m.name, "spend": totals.get(m.pk, Decimal(0))})
    table.rows.sort(key=lambda r: r["spend"], reverse=True)
    table.total = {"member": _("Total"), "spend": sum((r["spend"] for r in table.rows), Decimal(0))}
    return table


# --- key figures -----------------------------------------------------------------------------


@_memoised
def key_figures(period: Period, today: datetime.date | None = None) -> list[KeyFigure]:
    """The consortium's key figures: states as of the period's end, flows within the period."""
    members = members_table(period)
    pooled = pooled_volume_table(period)
    participation = participation_table(period)
    kept = commitment_kept_table(period)
    spend = spend_by_member_table(period)
    compliance = compliance_by_member_table(period)
    fees = fees_table(period)
    return [
        KeyFigure("members", _("Members"), _member_count_at(period.as_of(today)), "number"),
        KeyFigure("population", _("Inhabitants"), members.total["population"], "number"),
        KeyFigure(
            "open-tenders",
            _("Open joint tenders"),
            open_tender_count(pipeline_table(period, today)),
            "number",
        ),
        KeyFigure("pooled-volume", _("Pooled annual volume"), pooled.total["annual"], "kr"),
        KeyFigure(
            "participation-rate", _("Participation rate"), participation.total["rate"], "percent"
        ),
        KeyFigure("commitment-kept", _("Commitment kept"), kept.total["rate"], "percent"),
        KeyFigure("spend", _("Members' spend"), spend.total["spend"], "kr"),
        KeyFigure(
            "compliance", _("Agreement compliance"), compliance.total["compliance"], "percent"
        ),
        KeyFigure("savings", _("Realised savings"), compliance.total["saved"], "kr"),
        KeyFigure("fees", _("Member fees"), fees.total["amount"] if fees.total else None, "kr"),
    ]


@dataclass
class Trend:
    figures: list[KeyFigure]  # the period's key figures, each with the period before's value
    table: Table  # every key figure (rows) over the last periods (columns), oldest first


def key_figure_trend(period: Period, today: datetime.date | None = None) -> Trend:
    """The key figures over the last few periods: 3 years, or 4 half-years or quarters."""
    periods = period.trend()
    series = [key_figures(p, today) for p in periods]
    table = Table(
        "key-figure-trend",
        _("Key figures over time"),
        [Column("figure", _("Key figure"))] + [Column(p.key, p.label, "row") for p in periods],
    )
    for i, figure in enumerate(series[-1]):
        table.rows.append(
            {
                "figure": figure.label,
                "slug": figure.slug,
                "kind": figure.kind,
                **{p.key: values[i].value for p, values in zip(periods, series, strict=True)},
            }
        )
    current = [
        replace(f, previous=before.value) for f, before in zip(series[-1], series[-2], strict=True)
    ]
    return Trend(current, table)


def period_caption(period: Period, today: datetime.date | None = None) -> str:
    """`2026 (01.01.2026–31.12.2026)`, saying so when the period is not over yet."""
    first, last = (date_format(d, "SHORT_DATE_FORMAT") for d in (period.start, period.last_day))
    caption = f"{period.label} ({first}–{last})"
    as_of = period.as_of(today)
    if as_of < period.last_day:
        caption += ", " + _("figures up to %(date)s") % {
            "date": date_format(as_of, "SHORT_DATE_FORMAT")
        }
    return caption


# --- one member (for its own users and the secretariat) ---------------------------------------


def member_participation_table(member: Member, period: Period) -> Table:
    participations = (
        Participation.objects.filter(
            member=member,
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .select_related("tender")
        .annotate(volume=Sum("declarations__annual_volume"))
        .order_by("tender__reference")
    )
    table = Table(
        "member-participation",
        _("Joint tenders in the period"),
        [
            Column("reference", _("Tender")),
            Column("answer", _("Answer")),
            Column("volume", _("Declared annual volume"), "kr"),
        ],
    )
    for p in participations:
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "answer": p.get_answer_display(),
                "volume": p.volume,
            }
        )
    return table


def member_spend_by_month_table(member: Member, period: Period) -> Table:
    totals = {
        (d.year, d.month): total
        for d, total in SpendLine.objects.filter(
            member=member, invoice_date__gte=period.start, invoice_date__lt=period.end
        )
        .annotate(month=TruncMonth("invoice_date"))
        .values_list("month")
        .annotate(total=Sum("amount"))
    }
    table = Table(
        "member-spend-by-month",
        _("Spend by month"),
        [Column("month", _("Month")), Column("spend", _("Spend ex. VAT"), "kr")],
    )
    for month in period.months:
        table.rows.append(
            {
                "month": date_format(month, "M Y"),
                "short": date_format(month, "M"),
                "spend": totals.get((month.year, month.month), Decimal(0)),
            }
        )
    table.total = {"month": _("Total"), "spend": sum((r["spend"] for r in table.rows), Decimal(0))}
    return table


def member_top_suppliers_table(member: Member, period: Period, limit: int = 10) -> Table:
    rows = (
        SpendLine.objects.filter(
            member=member, invoice_date__gte=period.start, invoice_date__lt=period.end
        )
        .values("supplier__name", "supplier__cvr")
        .annotate(total=Sum("amount"))
        .order_by("-total")[:limit]
    )
    return _suppliers_table("member-top-suppliers", _("Largest suppliers"), rows)


def _suppliers_table(slug: str, title: str, rows: Any) -> Table:
    """Suppliers with their CVR and spend, from rows of supplier__name, supplier__cvr, total."""
    table = Table(
        slug,
        title,
        [
            Column("supplier", _("Supplier")),
            Column("cvr", _("CVR")),
            Column("spend", _("Spend ex. VAT"), "kr"),
        ],
    )
    for r in rows:
        table.rows.append(
            {"supplier": r["supplier__name"], "cvr": r["supplier__cvr"], "spend": r["total"]}
        )
    return table


def member_key_figures(member: Member, period: Period) -> list[KeyFigure]:
    from agreements.selectors import grand_total
    from members.models import Fee

    participation = next(
        (r for r in participation_table(period).rows if r["member"] == member.name), None
    )
    kept = next((r for r in commitment_kept_table(period).rows if r["member"] == member.name), None)
    spend = member_spend_by_month_table(member, period).total["spend"]
    compliance = grand_total(_compliance_figures(period, member))
    fee = Fee.objects.filter(member=member, fee_model__year=period.year).first()
    return [
        KeyFigure(
            "population",
            _("Inhabitants"),
            _population_by_member(period.year).get(member.pk),
            "number",
        ),
        KeyFigure(
            "participation-rate",
            _("Participation rate"),
            participation["rate"] if participation else None,
            "percent",
        ),
        KeyFigure(
            "commitment-kept", _("Commitment kept"), kept["rate"] if kept else None, "percent"
        ),
        KeyFigure("spend", _("Spend"), spend, "kr"),
        KeyFigure("compliance", _("Agreement compliance"), compliance["compliance"], "percent"),
        KeyFigure("savings", _("Realised savings"), compliance["saved"], "kr"),
        KeyFigure(
            "fee", _("Fee %(year)s") % {"year": period.year}, fee.amount if fee else None, "kr"
        ),
    ]


def member_outside_agreements_table(member: Member, period: Period) -> Table:
    """The member's largest suppliers that are on no agreement: candidates for the next tender."""
    from agreements.selectors import top_suppliers_outside_agreements

    rows = top_suppliers_outside_agreements(
        start=period.start,
        end=period.end - datetime.timedelta(days=1),
        member_id=member.pk,
        limit=10,
    )
    return _suppliers_table(
        "member-outside-agreements", _("Largest spend outside agreements"), rows
    )


def volume_collection_table(
    period: Period | None = None, today: datetime.date | None = None
) -> Table:
    """Tenders whose participation deadline falls in the period: how far the answers came.

    While the period runs, tenders collecting without a deadline yet are included too.
    """
    from .periods import current_year_period

    today = today or timezone.localdate()
    period = period or current_year_period(today)
    in_period = Q(volume_deadline__date__gte=period.start, volume_deadline__date__lt=period.end)
    if period.start <= today < period.end:
        in_period |= Q(status=TenderStatus.VOLUME_COLLECTION, volume_deadline__isnull=True)
    tenders = (
        Tender.objects.filter(in_period)
        .exclude(status=TenderStatus.CANCELLED)
        .annotate(
            invited=Count("participations", distinct=True),
            answered=Count(
                "participations",
                filter=~Q(participations__answer=Participation.Answer.PENDING),
                distinct=True,
            ),
            joined=Count(
                "participations",
                filter=Q(participations__answer=Participation.Answer.PARTICIPATE),
                distinct=True,
            ),
        )
        .order_by("volume_deadline", "reference")
    )
    table = Table(
        "volume-collection",
        _("Volume collection"),
        [
            Column("reference", _("Tender")),
            Column("status", _("Status")),
            Column("deadline", _("Participation deadline"), "date"),
            Column("invited", _("Invited"), "number"),
            Column("answered", _("Answered"), "number"),
            Column("joined", pgettext("participation", "Joined"), "number"),
        ],
        note=_("Joint tenders whose participation deadline falls in the period."),
    )
    for t in tenders:
        table.rows.append(
            {
                "reference": f"{t.reference} {t.title}",
                "status": t.get_status_display(),
                "deadline": timezone.localtime(t.volume_deadline).date()
                if t.volume_deadline
                else None,
                "invited": t.invited,
                "answered": t.answered,
                "joined": t.joined,
            }
        )
    return table


def member_deadlines_table(member: Member, today: datetime.date | None = None) -> Table:
    """The member's unanswered invitations to joint tenders, nearest deadline first."""
    now = timezone.now()
    pending = (
        Participation.objects.filter(
            member=member,
            answer=Participation.Answer.PENDING,
            tender__status=TenderStatus.VOLUME_COLLECTION,
        )
        .filter(Q(tender__volume_deadline__isnull=True) | Q(tender__volume_deadline__gte=now))
        .select_related("tender")
        .order_by("tender__volume_deadline")
    )
    table = Table(
        "member-deadlines",
        _("Our deadlines"),
        [Column("reference", _("Tender")), Column("deadline", _("Participation deadline"), "date")],
    )
    for p in pending:
        deadline = p.tender.volume_deadline
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "deadline": timezone.localtime(deadline).date() if deadline else None,
            }
        )
    return table


def key_figures_with_trend(period: Period, today: datetime.date | None = None) -> list[KeyFigure]:
    """Key figures for the period beside the same figures for the period before."""
    now, before = key_figures(period, today), key_figures(period.previous(), today)
    return [replace(f, previous=b.value) for f, b in zip(now, before, strict=True)]


# --- agreements: compliance, savings, climate, expiries ---------------------------------------


def _compliance_figures(period: Period, member: Member | None = None):
    from agreements.selectors import consortium_figures, figures_in

    figures = figures_in(
        consortium_figures(), period.start, period.end - datetime.timedelta(days=1)
    )
    return figures.filter(member=member) if member is not None else figures


@_memoised
def compliance_by_member_table(period: Period) -> Table:
    """Agreement compliance and realised savings per member, ranked by compliance."""
    from agreements.selectors import grand_total, totals_by_member

    figures = _compliance_figures(period)
    rows = totals_by_member(figures)
    rows.sort(key=lambda r: (r["compliance"] is None, -(r["compliance"] or 0)))
    table = Table(
        "compliance-by-member",
        _("Agreement compliance and savings by member"),
        [
            Column("rank", pgettext("ranking", "Rank"), "number"),
            Column("member", _("Member")),
            Column("category", _("Spend in the agreements' categories"), "kr"),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
        note=_(
            "Compliance: spend with the agreements' suppliers divided by all spend in their categories."
        ),
    )
    for rank, r in enumerate(rows, start=1):
        table.rows.append(
            {
                "rank": rank,
                "member": r["member__organisation__name"],
                "category": r["category"],
                "supplier": r["supplier"],
                "compliance": r["compliance"],
                "saved": r["saved"],
            }
        )
    total = grand_total(figures)
    table.total = {
        "member": _("Total"),
        "category": total["category"] or Decimal(0),
        "supplier": total["supplier"] or Decimal(0),
        "compliance": total["compliance"],
        "saved": total["saved"] or Decimal(0),
    }
    return table


def compliance_by_agreement_table(period: Period, member: Member | None = None) -> Table:
    from agreements.selectors import totals_by_agreement

    table = Table(
        "compliance-by-agreement" if member is None else "member-compliance-by-agreement",
        _("Agreement compliance and savings by agreement"),
        [
            Column("agreement", _("Agreement")),
            Column("category", _("Spend in the agreements' categories"), "kr"),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
    )
    for r in totals_by_agreement(_compliance_figures(period, member)):
        table.rows.append(
            {
                "agreement": f"{r['agreement__number']} {r['agreement__title']}",
                "category": r["category"],
                "supplier": r["supplier"],
                "compliance": r["compliance"],
                "saved": r["saved"],
            }
        )
    return table


def compliance_by_month_table(period: Period, member: Member | None = None) -> Table:
    from agreements.selectors import totals_by_month

    by_month = {r["month"]: r for r in totals_by_month(_compliance_figures(period, member))}
    table = Table(
        "compliance-by-month" if member is None else "member-compliance-by-month",
        _("Compliance and savings by month"),
        [
            Column("month", _("Month")),
            Column("compliance", _("Compliance"), "percent"),
            Column("saved", _("Realised savings"), "kr"),
        ],
    )
    for month in period.months:
        r = by_month.get(month, {})
        table.rows.append(
            {
                "month": date_format(month, "M Y"),
                "short": date_format(month, "M"),
                "compliance": r.get("compliance"),
                # A month without figures (e.g. one still to come) shows no amount, not 0 kr.
                "saved": r.get("saved") if r else None,
            }
        )
    return table


def climate_table(period: Period) -> Table:
    """Agreements with climate or environmental requirements and their share of agreement spend."""
    from agreements.models import Agreement

    by_agreement = {
        r["agreement_id"]: r["supplier"] or Decimal(0)
        for r in _compliance_figures(period)
        .values("agreement_id")
        .annotate(supplier=Sum("supplier_spend"))
    }
    all_spend = sum(by_agreement.values(), Decimal(0))
    table = Table(
        "climate",
        _("Agreements with climate requirements"),
        [
            Column("agreement", _("Agreement")),
            Column("requirements", _("Climate requirements")),
            Column("supplier", _("Spend with the agreements' suppliers"), "kr"),
            Column("share", _("Share of agreement spend"), "percent"),
        ],
    )
    for a in Agreement.objects.exclude(climate_requirements="").order_by("number"):
        spend = by_agreement.get(a.pk, Decimal(0))
        table.rows.append(
            {
                "agreement": f"{a.number} {a.title}",
                "requirements": a.climate_requirements,
                "supplier": spend,
                "share": share(spend, all_spend),
            }
        )
    climate_spend = sum((r["supplier"] for r in table.rows), Decimal(0))
    table.total = {
        "agreement": _("Total"),
        "supplier": climate_spend,
        "share": share(climate_spend, all_spend),
    }
    return table


def expiries_table(period: Period, today: datetime.date | None = None) -> Table:
    """Agreements ending within the renewal horizon and whether their successor is on time."""
    from agreements.selectors import renewal_plan

    table = Table(
        "expiries",
        _("Agreements coming up for renewal"),
        [
            Column("agreement", _("Agreement")),
            Column("end", _("Ends"), "date"),
            Column("must_start_by", _("New tender must start by"), "date"),
            Column("successor", _("Successor tender")),
            Column("late", _("Late")),
        ],
        note=_as_of_note(period, today),
    )
    for item in renewal_plan(period.as_of(today)):
        table.rows.append(
            {
                "agreement": f"{item.agreement.number} {item.agreement.title}",
                "end": item.agreement.end_date,
                "must_start_by": item.must_start_by,
                "successor": str(item.successor) if item.successor else "—",
                "late": _("Yes") if item.late else _("No"),
            }
        )
    return table


# --- fees and budget ---------------------------------------------------------------------------


@_memoised
def fees_table(period: Period) -> Table:
    from members.models import Fee, FeeModel

    fee_model = FeeModel.objects.filter(year=period.year).first()
    table = Table(
        "fees",
        _("Member fees %(year)s") % {"year": period.year},
        [
            Column("member", _("Member")),
            Column("population", _("Population"), "number"),
            Column("base", _("Base part"), "kr"),
            Column("population_part", _("Population part"), "kr"),
            Column("amount", _("Fee"), "kr"),
        ],
        note=(
            _("The fees add up to the secretariat's budget of %(budget)s to the øre.")
            % {"budget": format_money(fee_model.budget)}
            if fee_model
            else _("No fee model for the year yet.")
        ),
    )
    if fee_model is None:
        return table
    for fee in (
        Fee.objects.filter(fee_model=fee_model)
        .select_related("member__organisation")
        .order_by("member__organisation__name")
    ):
        table.rows.append(
            {
                "member": fee.member.name,
                "population": fee.population,
                "base": fee.base,
                "population_part": fee.population_part,
                "amount": fee.amount,
            }
        )
    table.total = {
        "member": _("Total"),
        "population": sum(r["population"] for r in table.rows),
        "base": sum((r["base"] for r in table.rows), Decimal(0)),
        "population_part": sum((r["population_part"] for r in table.rows), Decimal(0)),
        "amount": sum((r["amount"] for r in table.rows), Decimal(0)),
    }
    return table


def recent_imports_table(period: Period | None = None, limit: int = 15) -> Table:
    """The period's latest spend imports of all members and how they ended (secretariat)."""
    from spend.models import SpendImport

    from .periods import current_year_period

    period = period or current_year_period()
    imports = (
        SpendImport.objects.filter(
            created_at__date__gte=period.start, created_at__date__lt=period.end
        )
        .select_related("member__organisation")
        .order_by("-created_at")[:limit]
    )
    table = Table(
        "recent-imports",
        _("Latest spend imports"),
        [
            Column("member", _("Member")),
            Column("file", _("File")),
            Column("uploaded", _("Uploaded"), "date"),
            Column("status", _("Status")),
            Column("new", _("New lines"), "number"),
            Column("errors", _("Errors"), "number"),
        ],
    )
    for i in imports:
        table.rows.append(
            {
                "member": i.member.name,
                "file": i.original_name,
                "uploaded": timezone.localtime(i.created_at).date(),
                "status": i.get_status_display(),
                "new": i.lines_new,
                "errors": i.error_count,
            }
        )
    return table
