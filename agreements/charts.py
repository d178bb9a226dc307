"""Server-side SVG charts. Each chart is an image with a title and description for screen
readers; the page always shows the same figures in a table beside it.

Colours are presentation attributes, not inline styles, so the strict CSP allows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from consortium.formatting import format_number

CATEGORY_COLOUR = "#b8d2ea"  # light blue: all spend in the categories
SUPPLIER_COLOUR = "#0059b3"  # DKFDS primary blue: the part with the agreement's suppliers
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    label: str
    total: Decimal  # the whole bar (category spend)
    part: Decimal  # the darker part in front (supplier spend)


def _nice_max(value: Decimal) -> Decimal:
    """A round top for the axis: 1, 2 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    for step in (1, 2, 5, 10):
        top = Decimal(step) * Decimal(10) ** exponent
        if top >= value:
            return top
    return Decimal(10) ** (exponent + 1)


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
    peak = _nice_max(max([max(b.total, b.part) for b in bars] or [Decimal(0)]))
    slot = plot_w / max(len(bars), 1)
    bar_w = max(slot * 0.7, 2)

    def y(value: Decimal) -> str:
        clipped = max(Decimal(0), min(value, peak))
        return f"{top + plot_h - float(clipped / peak) * plot_h:.1f}"

    def n(value: float) -> str:
        return f"{value:.1f}"

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9d9"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
        (
            (left, width - right, y(peak * i / 4), y(peak * i / 4), left - 6,
             n(float(y(peak * i / 4)) + 4), TEXT_COLOUR, format_number(peak * i / 4))
            for i in range(5)
        ),
    )  # fmt: skip
    every = max(1, round(len(bars) / 12))
    rects = format_html_join(
        "",
        '<rect x="{x}" y="{ty}" width="{w}" height="{th}" fill="{c1}"/>'
        '<rect x="{x}" y="{py}" width="{w}" height="{ph}" fill="{c2}"/>'
        "{label}",
        (
            {
                "x": n(left + i * slot + (slot - bar_w) / 2),
                "ty": y(b.total),
                "th": n(top + plot_h - float(y(b.total))),
                "py": y(b.part),
                "ph": n(top + plot_h - float(y(b.part))),
                "w": n(bar_w),
                "c1": CATEGORY_COLOUR,
                "c2": SUPPLIER_COLOUR,
                "label": format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                    n(left + i * slot + slot / 2), height - bottom + 16, TEXT_COLOUR, b.label,
                ) if i % every == 0 else "",
            }
            for i, b in enumerate(bars)
        ),
    )  # fmt: skip
    legend = format_html(
        '<rect x="{}" y="8" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="18" font-size="12" fill="{}">{}</text>'
        '<rect x="{}" y="8" width="12" height="12" fill="{}"/>'
        '<text x="{}" y="18" font-size="12" fill="{}">{}</text>',
        left, CATEGORY_COLOUR, left + 16, TEXT_COLOUR, total_label,
        left + 260, SUPPLIER_COLOUR, left + 276, TEXT_COLOUR, part_label,
    )  # fmt: skip
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" class="portal-chart">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{legend}{grid}{rects}"
        '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="{c}"/></svg>',
        w=width, h=height, id=chart_id, title=title, desc=description, legend=legend,
        grid=grid, rects=rects, l=left, r=width - right, b=top + plot_h, c=TEXT_COLOUR,
    )  # fmt: skip
