"""The consortium at a glance: members, key figures and their trend, the period caption."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.selectors import population_by_member

from ..periods import Period
from ..tables import Column, Table
from ._base import KeyFigure, _member_count_at, _members, _memoised
from .commitment import commitment_kept_table, participation_table
from .compliance import compliance_by_member_table, spend_by_member_table
from .fees import fees_table
from .pipeline import open_tender_count, pipeline_table, pooled_volume_table


@_memoised
def members_table(period: Period) -> Table:
    population = population_by_member(period.year)
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


def key_figures_with_trend(period: Period, today: datetime.date | None = None) -> list[KeyFigure]:
    """Key figures for the period beside the same figures for the period before."""
    now, before = key_figures(period, today), key_figures(period.previous(), today)
    return [replace(f, previous=b.value) for f, b in zip(now, before, strict=True)]


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
