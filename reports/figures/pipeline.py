"""Joint tenders: the pipeline, late starts, pooled volume, volume collection, renewals."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.access import board_min_members
from agreements.selectors import renewal_plan
from tenders.history import History, history_of
from tenders.models import Participation, Tender, TenderStatus, VolumeDeclaration

from ..periods import Period, current_year_period
from ..tables import Column, Table
from ._base import _as_of_note, _memoised

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


@_memoised
def _history() -> History:
    """Every tender's recorded history, read once per page or pack for all its periods."""
    return history_of(None)


@_memoised
def _statuses_at(period: Period, today: datetime.date | None = None) -> dict[int, str] | None:
    """Tender id → status at the end of an ended period (tenders created since are left out);
    None for a period not yet over, whose figures read the tenders as they stand now.

    A past period is read from the tenders' recorded history (`tenders.history`), so a status
    changed since does not rewrite an old report.
    """
    if not period.is_over(today):
        return None
    return _history().statuses_on(period.closing_moment)


def _status_then(status: str, tender_id: int, then: dict[int, str] | None) -> str:
    """The tender's status at the end of the period; its status now where its history does not
    reach back (a tender whose participation deadline fell in the period, entered since)."""
    return status if then is None else then.get(tender_id, status)


@_memoised
def _all_tenders() -> list[dict[str, Any]]:
    return list(
        Tender.objects.order_by("reference").values(
            "id", "reference", "title", "status", "expected_start"
        )
    )


@_memoised
def _tenders_at(period: Period, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The tenders as they stood at the end of the period — or now, for a period not yet over.
    A tender that did not exist yet at the end of an ended period is not in it."""
    then = _statuses_at(period, today)
    if then is None:
        return _all_tenders()
    return [{**t, "status": then[t["id"]]} for t in _all_tenders() if t["id"] in then]


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
        .values(
            "participation__tender_id",
            "participation__tender__status",
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
    then = _statuses_at(period)
    minimum = board_min_members()
    withheld: list[str] = []
    for r in rows:
        tender_id = r["participation__tender_id"]
        status = _status_then(r["participation__tender__status"], tender_id, then)
        if status == TenderStatus.CANCELLED:
            continue
        years = r["participation__tender__term_years"] + sum(
            int(y) for y in r["participation__tender__option_years"] or []
        )
        # A volume declared by one or two members is those members' own figure (PRODUCT.md,
        # tenancy): the tender is listed with its count of members, its volume is not.
        shown = r["members"] >= minimum
        if not shown:
            withheld.append(r["participation__tender__reference"])
        table.rows.append(
            {
                "reference": r["participation__tender__reference"],
                "title": r["participation__tender__title"],
                "members": r["members"],
                "annual": r["annual"] if shown else None,
                "term_value": r["annual"] * years if shown else None,
            }
        )
    table.total = {
        "reference": _("Total"),
        "annual": sum((r["annual"] for r in table.rows if r["annual"] is not None), Decimal(0)),
        "term_value": sum(
            (r["term_value"] for r in table.rows if r["term_value"] is not None), Decimal(0)
        ),
    }
    if withheld:
        table.note = _(
            "The volume of %(tenders)s is not shown, nor counted in the total: fewer than %(count)s members declared it."
        ) % {"tenders": ", ".join(withheld), "count": minimum}
    return table


def volume_collection_table(
    period: Period | None = None, today: datetime.date | None = None
) -> Table:
    """Tenders whose participation deadline falls in the period: how far the answers came.

    While the period runs, tenders collecting without a deadline yet are included too.
    """
    today = today or timezone.localdate()
    period = period or current_year_period(today)
    in_period = Q(volume_deadline__date__gte=period.start, volume_deadline__date__lt=period.end)
    if period.start <= today < period.end:
        in_period |= Q(status=TenderStatus.VOLUME_COLLECTION, volume_deadline__isnull=True)
    tenders = (
        Tender.objects.filter(in_period)
        .annotate(
            invited=Count("participations", distinct=True),
            answered=Count(
                "participations",
                # "No answer" is what the portal records at the deadline, not an answer.
                filter=~Q(
                    participations__answer__in=(
                        Participation.Answer.PENDING,
                        Participation.Answer.NO_ANSWER,
                    )
                ),
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
    then = _statuses_at(period, today)
    labels = dict(TenderStatus.choices)
    for t in tenders:
        status = _status_then(t.status, t.pk, then)
        if status == TenderStatus.CANCELLED:
            continue
        table.rows.append(
            {
                "reference": f"{t.reference} {t.title}",
                "status": str(labels[status]),
                "deadline": timezone.localtime(t.volume_deadline).date()
                if t.volume_deadline
                else None,
                "invited": t.invited,
                "answered": t.answered,
                "joined": t.joined,
            }
        )
    return table


def expiries_table(period: Period, today: datetime.date | None = None) -> Table:
    """Agreements ending within the renewal horizon and whether their successor is on time."""
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
