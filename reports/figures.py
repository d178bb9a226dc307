"""Every figure the reports show, computed here and nowhere else.

Dashboards, board packs, scorecards and XLSX exports all call these functions and render the
`Table`s they return, so a number is the same wherever it appears. Members' private data (spend,
declarations, decline reasons) leaves this module only aggregated per member — fit for the board —
or, in `member_*` functions, for the member's own users and the secretariat (callers check).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consortium.formatting import format_money
from members.models import Member, PopulationFigure
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


@dataclass(frozen=True)
class KeyFigure:
    slug: str
    label: str
    value: Any
    kind: str  # "kr", "number", "percent"
    previous: Any = None


def _members() -> list[Member]:
    return list(Member.objects.active().select_related("organisation"))


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
    for m in _members():
        table.rows.append(
            {"member": m.name, "status": m.get_status_display(), "population": population.get(m.pk)}
        )
    table.total = {
        "member": _("Total"),
        # None, not 0, for a year without population figures (no trend to show).
        "population": sum(population.get(m.pk, 0) for m in _members()) if population else None,
    }
    return table


# --- tenders ---------------------------------------------------------------------------------


def pipeline_table(period: Period) -> Table:
    counts = dict(Tender.objects.values_list("status").annotate(n=Count("pk")))
    table = Table(
        "pipeline",
        _("Tender pipeline by status"),
        [Column("status", _("Status")), Column("tenders", _("Tenders"), "number")],
    )
    for value, label in TenderStatus.choices:
        table.rows.append({"status": str(label), "tenders": counts.get(value, 0)})
    table.total = {"status": _("Total"), "tenders": sum(counts.values())}
    return table


def late_starts_table(period: Period, today: datetime.date | None = None) -> Table:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=LATE_START_DAYS)
    tenders = Tender.objects.filter(
        status__in=NOT_YET_PUBLISHED, expected_start__isnull=False, expected_start__lte=horizon
    ).order_by("expected_start")
    table = Table(
        "late-starts",
        _("Tenders late to start"),
        [
            Column("reference", _("Reference")),
            Column("title", _("Title")),
            Column("status", _("Status")),
            Column("expected_start", _("Expected contract start"), "date"),
        ],
        note=_("Not yet published, although the contract should start within six months."),
    )
    for t in tenders:
        table.rows.append(
            {
                "reference": t.reference,
                "title": t.title,
                "status": t.get_status_display(),
                "expected_start": t.expected_start,
            }
        )
    return table


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
            Column("joined", _("Joined"), "number"),
            Column("declined", _("Declined"), "number"),
            Column("pending", _("Not answered"), "number"),
            Column("rate", _("Participation rate"), "percent"),
        ],
    )
    for m in _members():
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


def declines_table(period: Period) -> Table:
    declines = (
        Participation.objects.filter(
            answer=Participation.Answer.DECLINE,
            tender__volume_deadline__date__gte=period.start,
            tender__volume_deadline__date__lt=period.end,
        )
        .select_related("tender", "member__organisation")
        .order_by("tender__reference", "member__organisation__name")
    )
    table = Table(
        "declines",
        _("Declines with reasons"),
        [
            Column("reference", _("Tender")),
            Column("member", _("Member")),
            Column("reason", _("Reason")),
        ],
    )
    for p in declines:
        table.rows.append(
            {
                "reference": f"{p.tender.reference} {p.tender.title}",
                "member": p.member.name,
                "reason": p.decline_reason,
            }
        )
    return table


# --- spend -----------------------------------------------------------------------------------


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
    for m in _members():
        table.rows.append({"member": m.name, "spend": totals.get(m.pk, Decimal(0))})
    table.rows.sort(key=lambda r: r["spend"], reverse=True)
    table.total = {"member": _("Total"), "spend": sum((r["spend"] for r in table.rows), Decimal(0))}
    return table


# --- key figures -----------------------------------------------------------------------------


def key_figures(period: Period) -> list[KeyFigure]:
    members = members_table(period)
    pooled = pooled_volume_table(period)
    participation = participation_table(period)
    spend = spend_by_member_table(period)
    compliance = compliance_by_member_table(period)
    fees = fees_table(period)
    open_tenders = Tender.objects.filter(status__in=OPEN_STATUSES).count()
    return [
        KeyFigure("members", _("Members"), len(members.rows), "number"),
        KeyFigure("population", _("Inhabitants"), members.total["population"], "number"),
        KeyFigure("open-tenders", _("Open joint tenders"), open_tenders, "number"),
        KeyFigure("pooled-volume", _("Pooled annual volume"), pooled.total["annual"], "kr"),
        KeyFigure(
            "participation-rate", _("Participation rate"), participation.total["rate"], "percent"
        ),
        KeyFigure("spend", _("Members' spend"), spend.total["spend"], "kr"),
        KeyFigure(
            "compliance", _("Agreement compliance"), compliance.total["compliance"], "percent"
        ),
        KeyFigure("savings", _("Realised savings"), compliance.total["saved"], "kr"),
        KeyFigure("fees", _("Member fees"), fees.total["amount"] if fees.total else None, "kr"),
    ]


def period_caption(period: Period) -> str:
    last = period.end - datetime.timedelta(days=1)
    return f"{period.label} ({date_format(period.start, 'SHORT_DATE_FORMAT')}–{date_format(last, 'SHORT_DATE_FORMAT')})"


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


def volume_collection_table() -> Table:
    """Tenders collecting participation now: how far the answers have come (secretariat)."""
    tenders = (
        Tender.objects.filter(status=TenderStatus.VOLUME_COLLECTION)
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
        .order_by("volume_deadline")
    )
    table = Table(
        "volume-collection",
        _("Volume collection under way"),
        [
            Column("reference", _("Tender")),
            Column("deadline", _("Participation deadline"), "date"),
            Column("invited", _("Invited"), "number"),
            Column("answered", _("Answered"), "number"),
            Column("joined", _("Joined"), "number"),
        ],
    )
    for t in tenders:
        table.rows.append(
            {
                "reference": f"{t.reference} {t.title}",
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


def key_figures_with_trend(period: Period) -> list[KeyFigure]:
    """Key figures for the period beside the same figures for the period before."""
    previous = {f.slug: f.value for f in key_figures(period.previous())}
    return [
        KeyFigure(f.slug, f.label, f.value, f.kind, previous.get(f.slug))
        for f in key_figures(period)
    ]


# --- agreements: compliance, savings, climate, expiries ---------------------------------------


def _compliance_figures(period: Period, member: Member | None = None):
    from agreements.selectors import consortium_figures, figures_in

    figures = figures_in(
        consortium_figures(), period.start, period.end - datetime.timedelta(days=1)
    )
    return figures.filter(member=member) if member is not None else figures


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
            Column("rank", _("Rank"), "number"),
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
                "saved": r.get("saved") or Decimal(0),
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
    )
    for item in renewal_plan(today):
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


def recent_imports_table(limit: int = 15) -> Table:
    """The latest spend imports of all members and how they ended (secretariat dashboard)."""
    from spend.models import SpendImport

    imports = SpendImport.objects.select_related("member__organisation").order_by("-created_at")[
        :limit
    ]
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
