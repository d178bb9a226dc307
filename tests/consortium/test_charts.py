"""The one chart module: escaped, accessible SVG with the same scale rules for every chart."""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from consortium import charts
from reports.tables import Column as ReportColumn
from reports.tables import Table as ReportTable


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    kind: str = "text"


@dataclass
class Tab:
    title: str
    columns: list[Col]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def column(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


SPEND = [Col("member", "Medlem"), Col("spend", "Forbrug", "kr")]


def _ids(svg: str) -> tuple[list[str], list[str]]:
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg)[1].split()
    return labelled, re.findall(r'<(?:title|desc) id="([^"]+)"', svg)


def test_chart_texts_follow_the_language() -> None:
    empty = Tab("Forbrug", SPEND)
    with translation.override("en"):
        assert "No data" in charts.bar_chart(empty, label="member", value="spend")
    with translation.override("da"):
        chart = charts.bar_chart(empty, label="member", value="spend")
        assert "Ingen data" in chart and "Forbrug pr. medlem" in chart


def test_every_text_is_escaped() -> None:
    table = Tab("<b>Forbrug</b>", SPEND, [{"member": "<script>alert(1)</script>", "spend": 5}])
    for chart in (
        charts.bar_chart(table, label="member", value="spend"),
        charts.column_chart(table, label="member", series=["spend"]),
        charts.overlap_bar_chart(
            [charts.Bar("<i>jan</i>", Decimal(2), Decimal(1))],
            chart_id="x",
            title="<b>t</b>",
            description="d & e",
            total_label="<u>",
            part_label="'p'",
        ),
    ):
        assert "<script>" not in chart and "<b>" not in chart and "<i>" not in chart
        assert "<u>" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in charts.bar_chart(
        table, label="member", value="spend"
    )


def test_each_chart_is_an_image_named_by_its_title_and_description() -> None:
    table = Tab("Forbrug", SPEND, [{"member": "Odense", "spend": 5}])
    first = charts.bar_chart(table, label="member", value="spend")
    second = charts.bar_chart(table, label="member", value="spend")
    for chart in (first, second):
        assert 'role="img"' in chart and 'class="chart"' in chart
        labelled, ids = _ids(chart)
        assert labelled == ids and len(ids) == 2
    assert _ids(first)[1] != _ids(second)[1]  # two charts on one page never share an id
    overlap = charts.overlap_bar_chart(
        [], chart_id="agreement-chart", title="t", description="d", total_label="a", part_label="b"
    )
    assert _ids(overlap) == (["agreement-chart-title", "agreement-chart-desc"],) * 2


@pytest.mark.parametrize(
    ("value", "top"),
    [
        (0, 1),
        (-5, 1),
        (0.5, 1),
        (1.5, 2),
        (2.2, 2.5),
        (3, 5),
        (7, 10),
        (120, 200),
        (2400000, 2500000),
    ],
)
def test_axes_end_at_a_round_number(value: float, top: float) -> None:
    assert charts.nice_max(value) == top


def test_bars_are_as_long_as_their_share_of_the_axis() -> None:
    table = Tab("Forbrug", SPEND, [{"member": "A", "spend": 100}, {"member": "B", "spend": 50}])
    chart = charts.bar_chart(table, label="member", value="spend")
    widths = re.findall(r'<rect x="170" y="\d+" width="([\d.]+)"', chart)
    assert widths == ["360.0", "180.0"]  # 640 wide, 170 for labels, 110 for values
    assert "100\xa0kr." in chart


def test_overlap_chart_draws_the_part_in_front_of_the_whole() -> None:
    chart = charts.overlap_bar_chart(
        [charts.Bar("jan", Decimal(400), Decimal(100))],
        chart_id="c",
        title="t",
        description="d",
        total_label="I kategorierne",
        part_label="Hos leverandørerne",
    )
    *_legend, whole, part = re.findall(
        r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#[0-9a-f]+)"', chart
    )
    assert (whole[2], part[2]) == (charts.CATEGORY_COLOUR, charts.SUPPLIER_COLOUR)
    assert float(whole[1]) == pytest.approx(4 * float(part[1]), abs=0.2)
    assert "I kategorierne" in chart and "Hos leverandørerne" in chart


def test_trend_chart_labels_periods_as_the_caller_says_and_takes_a_report_table() -> None:
    table = ReportTable(
        "trend",
        "Udvikling",
        [ReportColumn("figure", "Nøgletal"), ReportColumn("2025", "2025", "row"),
         ReportColumn("2026-Q3", "3. kvartal 2026", "row")],
        [{"figure": "Medlemmer", "kind": "number", "2025": 3, "2026-Q3": 4}],
    )  # fmt: skip
    chart = charts.trend_chart(table, axis_label=lambda key: f"<{key}>")
    assert 'class="chart trend-chart"' in chart
    assert "&lt;2026-Q3&gt;" in chart and ">4</text>" in chart


def test_the_shared_library_imports_no_app_of_the_project() -> None:
    allowed = {"django", "openpyxl", "consortium"}
    root = Path(__file__).resolve().parents[2] / "consortium"
    for name in ("charts.py", "xlsx.py", "csv_export.py"):
        tree = ast.parse((root / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                top = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                top = node.names[0].name.split(".")[0]
            else:
                continue
            assert top in allowed or top in sys.stdlib_module_names or top == "__future__", (
                name,
                top,
            )


def test_chart_labels_show_the_figure_as_the_table_does() -> None:
    """Rounded half away from zero at the table's precision: 92,35 % is 92,4 %, not 92 %."""
    from decimal import Decimal

    from django.utils import translation

    from consortium.charts import value_text

    with translation.override("da"):
        assert value_text(Decimal("0.9235"), "percent") == "92,4\u00a0%"
        assert value_text(Decimal("1250000.50"), "kr") == "1.250.001\u00a0kr."
        assert value_text(Decimal("-0.0005"), "percent") == "-0,1\u00a0%"
