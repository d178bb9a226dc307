"""What the dashboards show — the reports page and the secretariat's and board's start pages.

Every figure comes from reports/figures/; this module only picks the tables and charts a page
shows, so the start pages (consortium/views.py) and the reports page stay the same figures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from consortium import charts
from consortium.figure_store import stored as _stored

from . import figures
from .figures._base import DEADLINES_CLOCK
from .packs import pack_sections
from .periods import Period, short_label
from .tables import Table

# The dashboards read the clock through the day and the participation deadlines passed.
stored = _stored(clock=DEADLINES_CLOCK)


def _one_computation(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    @functools.wraps(fn)
    def wrapper(*args: Any) -> dict[str, Any]:
        with figures.one_computation():
            return fn(*args)

    return wrapper


def trend_context(period: Period) -> dict[str, Any]:
    """Key figures with the previous period's value, and all of them over the last periods."""
    trend = figures.key_figure_trend(period)
    return {
        "key_figures": trend.figures,
        "previous_label": period.previous().label,
        "trend": trend.table,
        "trend_chart": charts.trend_chart(trend.table, axis_label=short_label),
    }


def operations_tables(period: Period) -> list[Table]:
    """The secretariat's working tables: volume collection and spend imports in the period."""
    return [figures.volume_collection_table(period), figures.recent_imports_table(period)]


@stored
@_one_computation
def secretariat_start(period: Period) -> dict[str, Any]:
    """The secretariat's start page: key figures, the pipeline, and its working tables kept
    rendered (on the national data set some 1,000 rows: 200 ms of template work each time)."""
    pipeline = figures.pipeline_table(period)
    tables = [
        pipeline,
        figures.volume_collection_table(period),
        figures.expiries_table(period),
        figures.recent_imports_table(period),
    ]
    scorecards = figures.members_table(period)
    return {
        "period": period,
        "key_figures": figures.key_figures_with_trend(period),
        "previous_label": period.previous().label,
        "pipeline_chart": charts.bar_chart(pipeline, label="status", value="tenders"),
        # The tables only rendered: the kept value need not carry their 1,000 rows as well.
        "body": render_to_string(
            "start/_secretariat_body.html",
            {"tables": tables, "scorecards": scorecards, "period": period},
        ),
    }


@stored
@_one_computation
def board_start(period: Period) -> dict[str, Any]:
    from .models import ReportPack

    by_month = figures.compliance_by_month_table(period)
    return {
        "period": period,
        **trend_context(period),
        "compliance_chart": charts.column_chart(by_month, label="short", series=["saved"]),
        "by_month": by_month,
        "latest_pack": ReportPack.objects.order_by("-created_at").first(),
    }


@stored
@_one_computation
def reports_page(period: Period, secretariat: bool) -> dict[str, Any]:
    """The reports page's figures, rendered: the key figures and their trend, the pack's
    sections, and for the secretariat its working tables and the members' scorecards."""
    context = {
        "period": period,
        **trend_context(period),
        "sections": pack_sections(period),
        "operations": operations_tables(period) if secretariat else [],
        "scorecards": figures.members_table(period) if secretariat else None,
    }
    # Kept rendered: its tables have some 15,000 cells on the national data set (a second of
    # template work at every request).
    return {
        "period_caption": figures.period_caption(period),
        "body": render_to_string("reports/_dashboard_body.html", context),
    }


# The figures a member's own users see first on "My municipality"; the scorecard has them all.
MEMBER_START_FIGURES = ("compliance", "savings", "commitment-kept", "spend")


@stored
@_one_computation
def member_start(member: Any, period: Period) -> dict[str, Any]:
    """The key figures on a member's start page: its agreement use, savings and commitment, and
    its place among the members."""
    wanted = {key: n for n, key in enumerate(MEMBER_START_FIGURES)}
    chosen = [f for f in figures.member_key_figures(member, period) if f.slug in wanted]
    return {
        "period": period,
        "key_figures": sorted(chosen, key=lambda f: wanted[f.slug]),
        # Where the member stands among its peers, naming no other member.
        "peers": figures.peer_position_table(member, period),
    }


def scorecard_tables(member: Any, period: Period, reasons: bool) -> list[Table]:
    """The tables of a member's scorecard; `reasons` shows the member's own words
    (`accounts.access.sees_members_own_words`)."""
    return [
        figures.member_deadlines_table(member),
        figures.compliance_by_agreement_table(period, member),
        figures.peer_position_table(member, period),
        figures.binding_answers_table(period, member=member, reasons=reasons),
        figures.member_participation_table(member, period),
        figures.member_spend_by_month_table(member, period),
        figures.member_outside_agreements_table(member, period),
        figures.member_top_suppliers_table(member, period),
    ]


@stored
@_one_computation
def scorecard(member: Any, period: Period, reasons: bool) -> dict[str, Any]:
    """A member's scorecard: its key figures, tables and the spend chart, and the tables kept
    rendered for the page (some 700 rows on the national data set)."""
    tables = scorecard_tables(member, period, reasons)
    spend = next(t for t in tables if t.slug == "member-spend-by-month")
    charts_ = {"member-spend-by-month": charts.column_chart(spend, label="short", series=["spend"])}
    return {
        "period_caption": figures.period_caption(period),
        "key_figures": figures.member_key_figures(member, period),
        "tables": tables,
        "charts": charts_,
        "body": render_to_string(
            "reports/_scorecard_body.html",
            {"tables": tables, "charts": charts_, "member": member, "period": period},
        ),
    }
