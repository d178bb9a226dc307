"""Every figure the reports show, computed here and nowhere else.

Dashboards, board packs, scorecards and XLSX exports all call these functions and render the
`Table`s they return, so a number is the same wherever it appears. Members' private data (spend,
declarations, decline reasons) leaves this package only aggregated per member — fit for the board —
or, in `member_*` functions, for the member's own users and the secretariat (callers check).
What the board may read is decided in `accounts.access`: decline reasons only as counts by
category of tenders whose answers are closed (`declines_by_category_table`), per-agreement and
per-supplier figures only from at least `board_min_members()` members (the agreements
selectors `without_small_groups` and `top_suppliers_outside_agreements(min_members=...)`,
through which every figure here reads compliance figures and spend per agreement or supplier).
"""

from __future__ import annotations

from ._base import KeyFigure, one_computation
from .climate import (
    ATTRIBUTION,
    caveats,
    climate_by_agreement_table,
    climate_by_division_table,
    climate_by_member_table,
    climate_by_supplier_table,
    climate_key_figures,
    climate_metered_table,
    climate_tables,
    climate_trend_table,
    licence_note,
)
from .commitment import (
    DECLINED,
    JOINED,
    KEPT,
    NOT_ANSWERED,
    OPTED_OUT,
    BindingAnswer,
    binding_answers,
    binding_answers_table,
    commitment_kept_table,
    declines_by_category_table,
    declines_by_tender_table,
    declines_table,
    participation_table,
)
from .compliance import (
    climate_table,
    compliance_by_agreement_table,
    compliance_by_member_table,
    compliance_by_month_table,
    spend_by_member_table,
)
from .fees import fees_table
from .imports import recent_imports_table
from .member import (
    member_deadlines_table,
    member_key_figures,
    member_outside_agreements_table,
    member_participation_table,
    member_spend_by_month_table,
    member_top_suppliers_table,
)
from .overview import (
    Trend,
    key_figure_trend,
    key_figures,
    key_figures_with_trend,
    members_table,
    period_caption,
)
from .peers import peer_distribution_table, peer_named_table, peer_position_table
from .pipeline import (
    LATE_START_DAYS,
    NOT_YET_PUBLISHED,
    OPEN_STATUSES,
    expiries_table,
    late_starts_table,
    open_tender_count,
    pipeline_table,
    pooled_volume_table,
    volume_collection_table,
)

__all__ = [
    "ATTRIBUTION",
    "DECLINED",
    "JOINED",
    "KEPT",
    "LATE_START_DAYS",
    "NOT_ANSWERED",
    "NOT_YET_PUBLISHED",
    "OPEN_STATUSES",
    "OPTED_OUT",
    "BindingAnswer",
    "KeyFigure",
    "Trend",
    "binding_answers",
    "binding_answers_table",
    "caveats",
    "climate_by_agreement_table",
    "climate_by_division_table",
    "climate_by_member_table",
    "climate_by_supplier_table",
    "climate_key_figures",
    "climate_metered_table",
    "climate_table",
    "climate_tables",
    "climate_trend_table",
    "commitment_kept_table",
    "compliance_by_agreement_table",
    "compliance_by_member_table",
    "compliance_by_month_table",
    "declines_by_category_table",
    "declines_by_tender_table",
    "declines_table",
    "expiries_table",
    "fees_table",
    "key_figure_trend",
    "key_figures",
    "key_figures_with_trend",
    "late_starts_table",
    "licence_note",
    "member_deadlines_table",
    "member_key_figures",
    "member_outside_agreements_table",
    "member_participation_table",
    "member_spend_by_month_table",
    "member_top_suppliers_table",
    "members_table",
    "one_computation",
    "open_tender_count",
    "participation_table",
    "peer_distribution_table",
    "peer_named_table",
    "peer_position_table",
    "period_caption",
    "pipeline_table",
    "pooled_volume_table",
    "recent_imports_table",
    "spend_by_member_table",
    "volume_collection_table",
]
