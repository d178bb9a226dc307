"""Every figure follows the chosen period, so "previous period" and the trend really differ."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports import figures
from reports.periods import parse_period
from spend.models import SpendImport
from tenders.models import Tender, TenderStatus
from tests.conftest import client_for, make_member

from .conftest import deadline, make_tender

LAST_YEAR = parse_period("2025")


def _this_year():
    return parse_period(str(timezone.localdate().year))


def _backdate(tender: Tender, when: datetime.datetime) -> None:
    """Pretend the tender's history so far was written at `when`."""
    events = apps.get_model("tenders", "TenderEvent").objects.filter(pgh_obj_id=tender.pk)
    events.update(pgh_created_at=when)


def _tenders_with_history(cast) -> None:
    """2026-001 was planned in 2025 and is published now; 2026-002 only exists since now."""
    old = make_tender(
        cast, 1, status=TenderStatus.NEEDS_ANALYSIS, expected_start=datetime.date(2026, 4, 1)
    )
    _backdate(old, timezone.make_aware(datetime.datetime(2025, 6, 1, 12)))
    old.status = TenderStatus.PUBLISHED
    old.save()
    make_tender(cast, 2, status=TenderStatus.PREPARATION)


def test_pipeline_and_open_tenders_are_as_of_the_period_end(cast) -> None:
    _tenders_with_history(cast)
    last = {r["status_key"]: r["tenders"] for r in figures.pipeline_table(LAST_YEAR).rows}
    now = {r["status_key"]: r["tenders"] for r in figures.pipeline_table(_this_year()).rows}
    assert (last[TenderStatus.NEEDS_ANALYSIS], last[TenderStatus.PUBLISHED]) == (1, 0)
    assert sum(last.values()) == 1  # 2026-002 did not exist yet
    assert (now[TenderStatus.PUBLISHED], now[TenderStatus.PREPARATION]) == (1, 1)
    open_tenders = {
        p.key: {f.slug: f.value for f in figures.key_figures(p)}["open-tenders"]
        for p in (LAST_YEAR, _this_year())
    }
    assert open_tenders == {"2025": 1, _this_year().key: 2}


def test_late_starts_are_judged_at_the_period_end(cast) -> None:
    _tenders_with_history(cast)
    # At the end of 2025 the tender was still in needs analysis, three months before its start.
    assert [r["reference"] for r in figures.late_starts_table(LAST_YEAR).rows] == ["2026-001"]
    assert "2026-001" not in [r["reference"] for r in figures.late_starts_table(_this_year()).rows]


def test_expiries_are_planned_from_the_period_end(cast, monkeypatch) -> None:
    seen: list[datetime.date] = []

    def plan(today=None, months=None):
        seen.append(today)
        return []

    monkeypatch.setattr("reports.figures.pipeline.renewal_plan", plan)  # where the figure reads it
    figures.expiries_table(LAST_YEAR)
    figures.expiries_table(parse_period("2025-Q2"))
    assert seen == [datetime.date(2025, 12, 31), datetime.date(2025, 6, 30)]


def test_volume_collection_and_imports_follow_the_period(cast) -> None:
    make_tender(cast, 1, status=TenderStatus.VOLUME_COLLECTION, volume_deadline=deadline(3))
    make_tender(cast, 2, status=TenderStatus.PREPARATION, volume_deadline=deadline(9))
    q1, q3 = parse_period("2026-Q1"), parse_period("2026-Q3")
    assert [r["reference"][:8] for r in figures.volume_collection_table(q1).rows] == ["2026-001"]
    assert [r["reference"][:8] for r in figures.volume_collection_table(q3).rows] == ["2026-002"]

    for name, uploaded in (("marts.csv", datetime.date(2026, 3, 2)), ("aug.csv", None)):
        imported = SpendImport.objects.create(
            member=cast.odense, original_name=name, sha256=name.ljust(64, "0"), file=name
        )
        if uploaded:
            SpendImport.objects.filter(pk=imported.pk).update(
                created_at=timezone.make_aware(
                    datetime.datetime.combine(uploaded, datetime.time(9))
                )
            )
    assert [r["file"] for r in figures.recent_imports_table(q1).rows] == ["marts.csv"]
    assert figures.recent_imports_table(q3).rows == []


def test_members_are_counted_as_of_the_period_end(cast) -> None:
    newcomer = make_member("vejle", "Vejle", "630")
    newcomer.joined_on = datetime.date(2026, 3, 1)
    newcomer.save()
    count = {
        p.key: {f.slug: f.value for f in figures.key_figures(p)}["members"]
        for p in (LAST_YEAR, parse_period("2026"))
    }
    assert count == {"2025": 2, "2026": 3}
    trend = {f.slug: f for f in figures.key_figures_with_trend(parse_period("2026"))}
    assert (trend["members"].value, trend["members"].previous) == (3, 2)
    assert "Vejle" not in [r["member"] for r in figures.members_table(LAST_YEAR).rows]


# Two members' volumes: shown from one member on (the minimum group is tested on its own).
@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=1)
def test_trend_table_has_every_key_figure_over_the_last_periods(cast) -> None:
    make_tender(cast, 1, volumes={cast.odense: Decimal("1000")}, volume_deadline=deadline(2))
    trend = figures.key_figure_trend(parse_period("2026-Q1"))
    assert [c.key for c in trend.table.columns[1:]] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert trend.table.columns[-1].label == "1. kvartal 2026"
    assert len(trend.table.rows) == len(figures.key_figures(parse_period("2026-Q1")))
    pooled = next(r for r in trend.table.rows if r["slug"] == "pooled-volume")
    assert (pooled["2025-Q4"], pooled["2026-Q1"]) == (Decimal(0), Decimal("1000"))
    current = {f.slug: f for f in trend.figures}
    assert current["pooled-volume"].previous == Decimal(0)


def test_board_dashboard_shows_the_trend_as_chart_and_table(data) -> None:
    for url in (reverse("start_board"), reverse("reports:dashboard") + "?period=2026"):
        page = client_for(data.board_member).get(url).content.decode()
        assert 'id="table-key-figure-trend"' in page
        assert 'class="chart trend-chart"' in page
