"""Figures for a past period are the state at its end: the tenders' statuses then, read from
their recorded history, not their statuses today."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reports import figures
from reports.packs import build_pack_html
from reports.periods import parse_period
from tenders.models import Milestone, MilestoneKind, Tender, TenderStatus
from tests.conftest import client_for

from .conftest import make_tender

CPH = ZoneInfo("Europe/Copenhagen")
S = TenderStatus
Q3 = parse_period("2025-Q3")
TODAY = datetime.date(2026, 12, 1)


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=CPH)


def history(tender: Tender, *steps: tuple[str, datetime.datetime]) -> Tender:
    """Record each step as the workflow does: the status with the date it changed."""
    for status, when in steps:
        tender.status, tender.status_changed_at = status, when
        tender.save()
    return tender


def _world(cast, first: int = 1) -> None:
    """Per call: one tender collecting volumes at the end of Q3 2025 (in preparation today), one
    published then (concluded today), one cancelled in the quarter and one registered after it."""
    n = first
    collecting = make_tender(
        cast, n, status=S.PLANNED, status_changed_at=at(2025, 1, 6),
        volume_deadline=at(2025, 9, 26), expected_start=datetime.date(2026, 1, 1),
        volumes={cast.odense: Decimal("250000")},
    )  # fmt: skip
    history(
        collecting,
        (S.NEEDS_ANALYSIS, at(2025, 3, 3)),
        (S.VOLUME_COLLECTION, at(2025, 8, 25)),
        (S.PREPARATION, at(2025, 10, 2)),
    )
    published = make_tender(
        cast, n + 1, status=S.PREPARATION, status_changed_at=at(2025, 5, 5),
        volume_deadline=at(2025, 4, 30), volumes={cast.aarhus: Decimal("1000000")},
    )  # fmt: skip
    history(published, (S.PUBLISHED, at(2025, 9, 15)), (S.CONCLUDED, at(2025, 12, 19)))
    cancelled = make_tender(
        cast, n + 2, status=S.VOLUME_COLLECTION, status_changed_at=at(2025, 8, 1),
        volume_deadline=at(2025, 9, 10), volumes={cast.aarhus: Decimal("400000")},
    )  # fmt: skip
    history(cancelled, (S.CANCELLED, at(2025, 9, 20)))
    make_tender(cast, n + 3, status=S.PLANNED, status_changed_at=at(2025, 11, 3))


def _counts(table) -> dict[str, int]:
    return {r["status_key"]: r["tenders"] for r in table.rows if r["tenders"]}


def test_pipeline_of_a_past_quarter_is_its_state_at_the_quarters_end(cast) -> None:
    _world(cast)
    with translation.override("da"), figures.one_computation():
        pipeline = figures.pipeline_table(Q3, TODAY)
        assert _counts(pipeline) == {S.VOLUME_COLLECTION: 1, S.PUBLISHED: 1, S.CANCELLED: 1}
        assert figures.open_tender_count(pipeline) == 2
        open_tenders = next(f for f in figures.key_figures(Q3, TODAY) if f.slug == "open-tenders")
        assert open_tenders.value == 2
        late = figures.late_starts_table(Q3, TODAY)
        assert [r["reference"] for r in late.rows] == ["2026-001"]
        assert late.rows[0]["status"] == str(S.VOLUME_COLLECTION.label)
    # Today the same tenders stand elsewhere: the current period reads them as they are now.
    now = figures.pipeline_table(parse_period("2026"), TODAY)
    assert _counts(now) == {S.PLANNED: 1, S.PREPARATION: 1, S.CONCLUDED: 1, S.CANCELLED: 1}


def test_pooled_volume_and_volume_collection_of_a_past_period(cast) -> None:
    _world(cast)
    with translation.override("da"), figures.one_computation():
        pooled = figures.pooled_volume_table(Q3)
        # Cancelled in the quarter: not pooled; the published one was pooled in Q2 already.
        assert [r["reference"] for r in pooled.rows] == ["2026-001", "2026-002"]
        collection = figures.volume_collection_table(Q3, TODAY)
        assert [(r["reference"][:8], r["status"]) for r in collection.rows] == [
            ("2026-001", str(S.VOLUME_COLLECTION.label))
        ]


def test_a_year_before_the_audit_trail_is_read_from_the_milestones(cast) -> None:
    """A tender entered in the portal when it was already published: 2025 from its milestones."""
    tender = make_tender(cast, 7, status=S.PUBLISHED, status_changed_at=at(2026, 3, 2))
    Milestone.objects.create(tender=tender, kind=MilestoneKind.NEEDS_ANALYSIS, due=at(2025, 6, 2))
    Milestone.objects.create(tender=tender, kind=MilestoneKind.PUBLICATION, due=at(2026, 3, 2))
    with translation.override("da"), figures.one_computation():
        assert _counts(figures.pipeline_table(parse_period("2025"), TODAY)) == {S.NEEDS_ANALYSIS: 1}


def test_past_pipeline_costs_the_same_queries_for_more_tenders(cast) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured, figures.one_computation():
            figures.pipeline_table(Q3, TODAY)
            figures.late_starts_table(Q3, TODAY)
        return len(captured)

    _world(cast)
    few = queries()
    _world(cast, first=11)
    assert queries() == few <= 4


def test_the_pack_and_dashboard_of_a_past_period_show_its_tenders(cast) -> None:
    _world(cast)
    html = build_pack_html(Q3, version=None).html
    assert "2026-001" in html  # late to start, in the pipeline section
    page = client_for(cast.board_member).get("/reports/?period=2025-Q3").content.decode()
    assert 'id="table-pipeline"' in page and "2026-001" in page
    # The key figure "open joint tenders" of the quarter is 2, not 0.
    with translation.override("da"), figures.one_computation():
        trend = figures.key_figure_trend(Q3, TODAY)
    row = next(r for r in trend.table.rows if r["slug"] == "open-tenders")
    assert row[Q3.key] == 2
