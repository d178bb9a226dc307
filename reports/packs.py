"""The board report pack: its sections, built from reports/figures/, rendered to PDF."""

from __future__ import annotations

import datetime
import hashlib
import io
import time
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.access import board_min_members, min_group
from consortium import charts
from consortium.pdf import html_to_pdf, render_html

from . import figures
from .figures import insight
from .models import BoardMeeting
from .periods import Period, short_label
from .tables import Table


@dataclass
class Section:
    slug: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[SafeString] = field(default_factory=list)


def pack_sections(period: Period) -> list[Section]:
    """The pack's sections in order; each table appears with its chart where it has one."""
    members = figures.members_table(period)
    pipeline = figures.pipeline_table(period)
    late = figures.late_starts_table(period)
    expiries = figures.expiries_table(period)
    pooled = figures.pooled_volume_table(period)
    compliance = figures.compliance_by_member_table(period)
    by_agreement = figures.compliance_by_agreement_table(period)
    by_month = figures.compliance_by_month_table(period)
    kept = figures.commitment_kept_table(period)
    # The pack and the reports page are the board's: answers and counts, never a member's own
    # words (accounts.access.sees_members_own_words).
    binding = figures.binding_answers_table(period, reasons=False)
    participation = figures.participation_table(period)
    declines = figures.declines_by_tender_table(period)
    reasons = figures.declines_by_category_table(period)
    climate = figures.climate_table(period)
    # The pack is rendered without a user: the board's minimum group applies.
    footprint = figures.climate_tables(period.year, None, min_group(None))
    footprint_by_division, footprint_by_member = footprint[0], footprint[1]
    spend = figures.spend_by_member_table(period)
    fees = figures.fees_table(period)
    peers = figures.peer_distribution_table(period)
    peers_named = figures.peer_named_table(period)
    # Volume kept and money left on the table: per-member numbers, the framework maximums, and
    # suppliers only where the board's minimum group of members stands behind them.
    insight_members = insight.insight_by_member_table(period.year)
    consumption = insight.framework_consumption_table(min_members=board_min_members())
    suppliers = insight.off_contract_suppliers_table(period.year, min_members=board_min_members())
    return [
        Section(
            "pipeline",
            _("Tender pipeline"),
            _(
                "Joint tenders by status, tenders that should have started by now, and agreements coming up for renewal."
            ),
            [pipeline, late, expiries],
            [charts.bar_chart(pipeline, label="status", value="tenders")],
        ),
        Section(
            "pooled-volume",
            _("Pooled volume"),
            _(
                "The annual volume members have declared for joint tenders, and the estimated value over the whole contract term including options."
            ),
            [pooled],
            [charts.bar_chart(pooled, label="reference", value="annual")] if pooled.rows else [],
        ),
        Section(
            "compliance",
            _("Agreement compliance and savings"),
            _(
                "How much of the members' spend in the agreements' categories goes to the agreements' suppliers, and the savings this realises at the agreed prices."
            ),
            [compliance, by_agreement, by_month],
            [
                charts.bar_chart(compliance, label="member", value="compliance"),
                charts.column_chart(by_month, label="short", series=["saved"]),
            ],
        ),
        Section(
            "commitment",
            _("Members' commitment"),
            _(
                "Whether members kept their commitment: took part in the joint tenders their commitment binds them to, or opted out as it allows. Then every member's participation in the joint tenders whose participation deadline fell in the period, and how many declined each."
            ),
            [kept, binding, participation, declines, reasons],
            [charts.bar_chart(kept, label="member", value="rate")],
        ),
        Section(
            "insight",
            _("Volume kept and money left on the table"),
            _(
                "How much of the volume each member declared in the joint tenders it bought on the agreements, what it bought outside them in their categories and the savings that cost, and how much of each framework agreement's maximum value is used."
            ),
            [insight_members, consumption, suppliers],
            [charts.bar_chart(insight_members, label="member", value="kept")]
            if insight_members.rows
            else [],
        ),
        Section(
            "climate",
            _("Climate and environment"),
            _(
                "Agreements with climate or environmental requirements and their share of the spend on agreements."
            ),
            [climate],
            [charts.bar_chart(climate, label="agreement", value="supplier")]
            if climate.rows
            else [],
        ),
        Section(
            "climate-footprint",
            _("Climate footprint of purchases"),
            " ".join(
                [
                    _(
                        "Spend-based CO2e of the members' purchases in %(year)s, with metered "
                        "electricity and district heating where members entered it."
                    )
                    % {"year": period.year},
                    *figures.caveats(),
                ]
            ),
            footprint,
            [
                charts.bar_chart(footprint_by_member, label="member", value="per_inhabitant"),
                charts.bar_chart(footprint_by_division, label="label", value="co2e"),
            ]
            if footprint_by_member.rows
            else [],
        ),
        Section(
            "spend",
            _("Spend"),
            _("Members' spend ex. VAT in the period, from their uploaded spend data."),
            [spend],
            [charts.bar_chart(spend, label="member", value="spend")],
        ),
        Section(
            "fees",
            _("Fees and budget"),
            _(
                "The members' fees for the budget year: a base part shared equally and a part by population."
            ),
            [fees],
            [charts.bar_chart(fees, label="member", value="amount")] if fees.rows else [],
        ),
        Section(
            "peers",
            _("Members compared"),
            _(
                "How the members' measures are spread: the median and the quartiles over the members with a value. Each member sees its own value and rank against this spread on its scorecard."
            ),
            [peers, peers_named],
        ),
        Section("members", _("Members"), "", [members]),
    ]


@dataclass
class BuiltPack:
    html: str
    seconds: float


def build_pack_html(
    period: Period,
    *,
    version: int | None,
    generated_at: datetime.datetime | None = None,
    meeting: BoardMeeting | None = None,
) -> BuiltPack:
    """Compute every figure and lay the pack out as HTML (timed, for the benchmark).

    The pack is always Danish: every title, label and status is computed inside
    `translation.override("da")`, whatever language the user or the job runner has active.
    """
    started = time.perf_counter()
    with translation.override("da"), figures.one_computation():
        trend = figures.key_figure_trend(period)
        context: dict[str, Any] = {
            "title": _("Board report %(period)s") % {"period": period.label},
            "period": period,
            "period_caption": figures.period_caption(period),
            "key_figures": trend.figures,
            "previous_label": period.previous().label,
            "trend": trend.table,
            "trend_chart": charts.trend_chart(trend.table, axis_label=short_label),
            "sections": pack_sections(period),
            "version": version,
            "generated_at": generated_at or timezone.now(),
            "meeting": meeting,
        }
        html = render_html("reports/pdf/board_pack.html", context, language="da")
    return BuiltPack(html, time.perf_counter() - started)


@dataclass
class RenderedPack:
    pdf: bytes
    sha256: str
    pages: int


def render_pack(
    period: Period, *, version: int | None, meeting: BoardMeeting | None = None
) -> RenderedPack:
    """Render the pack; `version` None marks a copy that is not in the archive."""
    from pypdf import PdfReader

    pdf = html_to_pdf(build_pack_html(period, version=version, meeting=meeting).html)
    return RenderedPack(pdf, hashlib.sha256(pdf).hexdigest(), len(PdfReader(io.BytesIO(pdf)).pages))
