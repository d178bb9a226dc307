"""Every chart the portal draws: vector SVG made on the server, the same markup in the browser and
in PDFs.

A chart is an image with a title and a description for screen readers (`role="img"`); the page
always shows the same figures in a table beside it. Every text is escaped. Colours are
presentation attributes, not inline styles, so the strict CSP allows them.

Charts of figures take a table: anything with `title`, `rows` (dicts), `columns` and
`column(key)` whose columns have `key`, `label` and `kind` ("kr", "percent", "number") — the
reports' `Table` is one. The charts never import an app.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import count
from typing import Any, Protocol

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formatting import format_figure, format_money, format_number, format_percent

PALETTE = ["#004993", "#3a8a5c", "#c36a00", "#7b4fa0", "#b0283f", "#2b8a9b", "#6b6b6b"]
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#555"
LIGHT_COLOUR = "#9bb7d4"  # earlier periods beside the latest in a trend panel
CATEGORY_COLOUR = "#b8d2ea"  # light blue: all spend in the categories
SUPPLIER_COLOUR = "#0059b3"  # DKFDS primary blue: the part with the agreement's suppliers
FONT = "DejaVu Sans, Arial, sans-serif"  # DejaVu is what the PDF renderer has

_ids = count(1)


class ChartColumn(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...


class ChartTable(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def columns(self) -> Sequence[ChartColumn]: ...
    @property
    def rows(self) -> list[dict[str, Any]]: ...
    def column(self, key: str) -> ChartColumn: ...


@dataclass(frozen=True)
class Bar:
    """One bar of an overlap chart: the whole (category spend) and the part in front of it."""

    label: str
    total: Decimal
    part: Decimal


def value_text(value: Any, kind: str) -> str:
    """A figure as a bar or panel label: exactly as the table beside the chart shows it."""
    return format_figure(value, kind)


def tick_text(value: Any, kind: str) -> str:
    """An axis tick: whole kroner, whole percent, or a whole number (rounded by the one rule)."""
    if kind == "kr":
        return format_money(value, 0)
    if kind == "percent":
        return format_percent(value, 0)
    return format_number(value)


def nice_max(value: float) -> float:
    """A round top for an axis: 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _svg(
    width: int,
    height: int,
    title: str,
    description: str,
    body: str,
    *,
    chart_id: str | None = None,
    css_class: str = "chart",
) -> SafeString:
    """The chart's frame: size, accessible name and description; `body` is escaped markup."""
    ident = escape(chart_id or f"chart-{next(_ids)}")
    return mark_safe(  # noqa: S308 — the title and description are escaped here, the body by its chart
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="{escape(css_class)}" '
        f'font-family="{FONT}" font-size="11">'
        f'<title id="{ident}-title">{escape(str(title))}</title>'
        f'<desc id="{ident}-desc">{escape(str(description))}</desc>'
        f"{body}</svg>"
    )


def _no_data() -> str:
    no_data = escape(_("No data"))
    return f'<text x="10" y="24" fill="{MUTED_COLOUR}">{no_data}</text>'


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(table: ChartTable, *, label: str, value: str, limit: int = 15) -> SafeString:
    """Horizontal bars: one per row, labelled, longest first as the table orders them."""
    column = table.column(value)
    rows = [r for r in table.rows if r.get(value) is not None][:limit]
    width, bar_h, gap, left, right = 640, 18, 6, 170, 110
    height = max(40, len(rows) * (bar_h + gap) + 10)
    values = [float(r[value]) for r in rows]
    top = nice_max(max([abs(v) for v in values], default=0))
    parts = []
    for i, row in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = max(0.0, float(row[value]) / top * (width - left - right))
        name = _short(str(row.get(label, "")), 26)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 5}" text-anchor="end" fill="{TEXT_COLOUR}">{escape(name)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" fill="{TEXT_COLOUR}">{escape(value_text(row[value], column.kind))}</text>'
        )
    if not rows:
        parts.append(_no_data())
    description = _("%(value)s by %(label)s") % {
        "value": column.label,
        "label": table.column(label).label.lower(),
    }
    return _svg(width, height, table.title, description, "".join(parts))


def column_chart(table: ChartTable, *, label: str, series: list[str]) -> SafeString:
    """Vertical grouped columns over the table's rows (e.g. months), one colour per series."""
    kinds = {s: table.column(s).kind for s in series}
    width, height, left, bottom, top_pad = 640, 260, 96, 40, 24
    rows = table.rows
    values = [float(r.get(s) or 0) for r in rows for s in series]
    top = nice_max(max(values, default=0))
    parts = []
    plot_h = height - bottom - top_pad
    for i in range(5):
        v = top * i / 4
        y = top_pad + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED_COLOUR}">'
            f"{escape(tick_text(Decimal(str(v)), kinds[series[0]]))}</text>"
        )
    slot = (width - left - 10) / max(1, len(rows))
    bar_w = max(2.0, slot * 0.8 / len(series))
    for i, row in enumerate(rows):
        x0 = left + i * slot + slot * 0.1
        for j, s in enumerate(series):
            v = float(row.get(s) or 0)
            h = max(0.0, v / top * plot_h)
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{top_pad + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
        if len(rows) <= 12 or i % 2 == 0:
            parts.append(
                f'<text x="{x0 + slot * 0.4:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(str(row.get(label, "")))}</text>'
            )
    for j, s in enumerate(series):
        x = left + j * 170
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="13" fill="{TEXT_COLOUR}">{escape(table.column(s).label)}</text>'
        )
    description = ", ".join(table.column(s).label for s in series)
    return _svg(width, height, table.title, description, "".join(parts))


def trend_chart(
    table: ChartTable, *, axis_label: Callable[[str], str] = str, per_row: int = 3
) -> SafeString:
    """Small multiples: one panel per row of a key-figure trend table, a column per period.

    The first column names the figure (key "figure"), each row says its kind (key "kind"), the
    other columns are periods; `axis_label` turns a period's key into its short axis label. Each
    panel has its own scale (members and kroner do not share an axis) and names the latest value;
    the exact figures are in the table shown with the chart.
    """
    periods = table.columns[1:]
    width, panel_h = 640, 108
    panel_w = width / per_row
    height = max(1, math.ceil(len(table.rows) / per_row)) * panel_h
    parts = []
    for i, row in enumerate(table.rows):
        x0, y0 = (i % per_row) * panel_w, (i // per_row) * panel_h
        kind = row.get("kind", "number")
        values = [row.get(c.key) for c in periods]
        latest = values[-1] if values else None
        top = nice_max(max((abs(float(v)) for v in values if v is not None), default=0))
        plot_top, plot_bottom = y0 + 38, y0 + panel_h - 20
        plot_h = plot_bottom - plot_top
        slot = (panel_w - 20) / max(1, len(periods))
        parts.append(
            f'<text x="{x0 + 6:.1f}" y="{y0 + 14}" fill="{TEXT_COLOUR}" font-size="10">'
            f"{escape(_short(str(row.get('figure', '')), 34))}</text>"
            f'<text x="{x0 + 6:.1f}" y="{y0 + 30}" fill="{PALETTE[0]}" font-weight="bold">'
            f"{escape(value_text(latest, kind) if latest is not None else '–')}</text>"
            f'<line x1="{x0 + 6:.1f}" x2="{x0 + panel_w - 10:.1f}" y1="{plot_bottom}" '
            f'y2="{plot_bottom}" stroke="#bbb"/>'
        )
        for j, (column, value) in enumerate(zip(periods, values, strict=True)):
            bar_w = slot * 0.6
            bx = x0 + 10 + j * slot + slot * 0.2
            h = max(0.0, float(value or 0) / top * plot_h)
            colour = PALETTE[0] if j == len(periods) - 1 else LIGHT_COLOUR
            parts.append(
                f'<rect x="{bx:.1f}" y="{plot_bottom - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
                f'<text x="{bx + bar_w / 2:.1f}" y="{plot_bottom + 12}" text-anchor="middle" '
                f'fill="{MUTED_COLOUR}" font-size="9">{escape(axis_label(column.key))}</text>'
            )
    if not table.rows:
        parts.append(_no_data())
    description = _("%(figures)s, %(first)s to %(last)s") % {
        "figures": ", ".join(str(r.get("figure", "")) for r in table.rows),
        "first": periods[0].label if periods else "",
        "last": periods[-1].label if periods else "",
    }
    return _svg(
        width, height, table.title, description, "".join(parts), css_class="chart trend-chart"
    )


def overlap_bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    total_label: str,
    part_label: str,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Bars of `total` with `part` drawn in front, one per label (e.g. per month)."""
    left, right, top, bottom = 80, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max([max(b.total, b.part) for b in bars] or [Decimal(0)])
    peak = Decimal(str(nice_max(float(highest))))
    slot = plot_w / max(len(bars), 1)
    bar_w = max(slot * 0.7, 2)

    def y(value: Decimal) -> str:
        clipped = max(Decimal(0), min(Decimal(value), peak))
        return f"{top + plot_h - float(clipped / peak) * plot_h:.1f}"

    def n(value: float) -> str:
        return f"{value:.1f}"

    parts = [
        f'<rect x="{left}" y="8" width="12" height="12" fill="{CATEGORY_COLOUR}"/>'
        f'<text x="{left + 16}" y="18" font-size="12" fill="{TEXT_COLOUR}">{escape(total_label)}</text>'
        f'<rect x="{left + 260}" y="8" width="12" height="12" fill="{SUPPLIER_COLOUR}"/>'
        f'<text x="{left + 276}" y="18" font-size="12" fill="{TEXT_COLOUR}">{escape(part_label)}</text>'
    ]
    for i in range(5):
        tick = peak * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick)}" y2="{y(tick)}" stroke="#d9d9d9"/>'
            f'<text x="{left - 6}" y="{n(float(y(tick)) + 4)}" text-anchor="end" font-size="11" '
            f'fill="{TEXT_COLOUR}">{escape(format_number(tick))}</text>'
        )
    every = max(1, round(len(bars) / 12))
    for i, b in enumerate(bars):
        x = n(left + i * slot + (slot - bar_w) / 2)
        parts.append(
            f'<rect x="{x}" y="{y(b.total)}" width="{n(bar_w)}" '
            f'height="{n(top + plot_h - float(y(b.total)))}" fill="{CATEGORY_COLOUR}"/>'
            f'<rect x="{x}" y="{y(b.part)}" width="{n(bar_w)}" '
            f'height="{n(top + plot_h - float(y(b.part)))}" fill="{SUPPLIER_COLOUR}"/>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{n(left + i * slot + slot / 2)}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11" fill="{TEXT_COLOUR}">{escape(b.label)}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{TEXT_COLOUR}"/>'
    )
    return _svg(width, height, title, description, "".join(parts), chart_id=chart_id)
