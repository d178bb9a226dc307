"""Charts drawn on the server as vector SVG — the same markup in the browser and in PDFs.

Each chart is made from a `Table` (reports/tables.py), so the numbers behind it are always shown in
a table beside it as well. Labels are escaped; the SVG has a title and a description for screen
readers (`role="img"`).
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape
from itertools import count
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consortium.formatting import format_money, format_number, format_percent

from .periods import parse_period
from .tables import Table

PALETTE = ["#004993", "#3a8a5c", "#c36a00", "#7b4fa0", "#b0283f", "#2b8a9b", "#6b6b6b"]
_ids = count(1)


def _fmt(value: Any, kind: str, percent_decimals: int = 0) -> str:
    if kind == "kr":
        return format_money(value, 0)
    if kind == "percent":
        return format_percent(value, percent_decimals)
    return format_number(value)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="chart-t{n} chart-d{n}" class="chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def bar_chart(table: Table, *, label: str, value: str, limit: int = 15) -> SafeString:
    """Horizontal bars: one per row, labelled, longest first as the table orders them."""
    column = table.column(value)
    rows = [r for r in table.rows if r.get(value) is not None][:limit]
    width, bar_h, gap, left, right = 640, 18, 6, 170, 110
    height = max(40, len(rows) * (bar_h + gap) + 10)
    values = [float(r[value]) for r in rows]
    top = _nice_max(max([abs(v) for v in values], default=0))
    head, tail = _open(
        width,
        height,
        table.title,
        _("%(value)s by %(label)s")
        % {"value": column.label, "label": table.column(label).label.lower()},
    )
    parts = [head]
    for i, row in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = max(0.0, float(row[value]) / top * (width - left - right))
        name = str(row.get(label, ""))
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 5}" text-anchor="end" fill="#1a1a1a">{escape(short)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}" fill="#1a1a1a">{escape(_fmt(row[value], column.kind))}</text>'
        )
    if not rows:
        parts.append(f'<text x="10" y="24" fill="#555">{escape(_("No data"))}</text>')
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def column_chart(table: Table, *, label: str, series: list[str]) -> SafeString:
    """Vertical grouped columns over the table's rows (e.g. months), one colour per series."""
    kinds = {s: table.column(s).kind for s in series}
    width, height, left, bottom, top_pad = 640, 260, 96, 40, 24
    rows = table.rows
    values = [float(r.get(s) or 0) for r in rows for s in series]
    top = _nice_max(max(values, default=0))
    head, tail = _open(width, height, table.title, ", ".join(table.column(s).label for s in series))
    parts = [head]
    plot_h = height - bottom - top_pad
    for i in range(5):
        v = top * i / 4
        y = top_pad + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">'
            f"{escape(_fmt(Decimal(str(v)), kinds[series[0]]))}</text>"
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
                f'fill="#1a1a1a">{escape(str(row.get(label, "")))}</text>'
            )
    for j, s in enumerate(series):
        x = left + j * 170
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="13" fill="#1a1a1a">{escape(table.column(s).label)}</text>'
        )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def trend_chart(table: Table, *, per_row: int = 3) -> SafeString:
    """Small multiples: one panel per row of a key-figure trend table, a column per period.

    Each panel has its own scale (members and kroner do not share an axis) and names the latest
    value; the exact figures are in the table shown with the chart.
    """
    periods = table.columns[1:]
    width, panel_h = 640, 108
    panel_w = width / per_row
    height = max(1, math.ceil(len(table.rows) / per_row)) * panel_h
    head, tail = _open(
        width,
        height,
        table.title,
        _("%(figures)s, %(first)s to %(last)s")
        % {
            "figures": ", ".join(str(r.get("figure", "")) for r in table.rows),
            "first": periods[0].label if periods else "",
            "last": periods[-1].label if periods else "",
        },
    )
    parts = [head.replace('class="chart"', 'class="chart trend-chart"', 1)]
    for i, row in enumerate(table.rows):
        x0, y0 = (i % per_row) * panel_w, (i // per_row) * panel_h
        kind = row.get("kind", "number")
        values = [row.get(c.key) for c in periods]
        latest = values[-1] if values else None
        top = _nice_max(max((abs(float(v)) for v in values if v is not None), default=0))
        plot_top, plot_bottom = y0 + 38, y0 + panel_h - 20
        plot_h = plot_bottom - plot_top
        slot = (panel_w - 20) / max(1, len(periods))
        parts.append(
            f'<text x="{x0 + 6:.1f}" y="{y0 + 14}" fill="#1a1a1a" font-size="10">'
            f"{escape(_short(str(row.get('figure', '')), 34))}</text>"
            f'<text x="{x0 + 6:.1f}" y="{y0 + 30}" fill="{PALETTE[0]}" font-weight="bold">'
            f"{escape(_fmt(latest, kind, 1) if latest is not None else '–')}</text>"
            f'<line x1="{x0 + 6:.1f}" x2="{x0 + panel_w - 10:.1f}" y1="{plot_bottom}" '
            f'y2="{plot_bottom}" stroke="#bbb"/>'
        )
        for j, (column, value) in enumerate(zip(periods, values, strict=True)):
            bar_w = slot * 0.6
            bx = x0 + 10 + j * slot + slot * 0.2
            h = max(0.0, float(value or 0) / top * plot_h)
            colour = PALETTE[0] if j == len(periods) - 1 else "#9bb7d4"
            parts.append(
                f'<rect x="{bx:.1f}" y="{plot_bottom - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
                f'<text x="{bx + bar_w / 2:.1f}" y="{plot_bottom + 12}" text-anchor="middle" '
                f'fill="#555" font-size="9">{escape(parse_period(column.key).short_label)}</text>'
            )
    if not table.rows:
        parts.append(f'<text x="10" y="24" fill="#555">{escape(_("No data"))}</text>')
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
