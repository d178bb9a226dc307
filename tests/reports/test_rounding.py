"""A figure reads the same on the report page, in the PDF (pdftotext) and in the opened XLSX:
rounded half away from zero at the shown precision, the total the rounded exact total."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
from django.test import override_settings
from django.utils import translation

from consortium.formatting import format_number
from reports import figures
from reports.packs import render_pack
from reports.periods import parse_period
from reports.tables import Column, Table
from tests.conftest import client_for

from .conftest import make_tender

PERIOD = "2026"
NOTE = "Summen af de viste tal kan afvige fra totalen på grund af afrunding."


class _TableText(HTMLParser):
    """The text of each cell of one table on a page, row by row."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.rows = table_id, 0, []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self.depth and tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace("\u00a0", " "))


def _page_rows(html: str, slug: str) -> list[list[str]]:
    parser = _TableText(f"table-{slug}")
    parser.feed(html)
    return parser.rows


def _shown_in_excel(value: object, number_format: str) -> str:
    """What Excel shows for a number cell: rounded half away from zero at its format's places."""
    places = len(number_format.split(".")[1].rstrip("%")) if "." in number_format else 0
    number = Decimal(str(value)) * (100 if number_format.endswith("%") else 1)
    with translation.override("da"):
        return format_number(number, places)


def _two_rounded_halves(cast) -> None:
    """Two tenders whose annual volumes end in half a krone, so their rows round up apart."""
    for n in (1, 2):
        make_tender(
            cast,
            n,
            volumes={cast.odense: Decimal("1000000.50"), cast.aarhus: None},
            volume_deadline=datetime.datetime(2026, 3, n, 12, tzinfo=datetime.UTC),
        )


# Two members' volumes: shown from one member on (the minimum group is tested on its own).
@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=1)
def test_page_pdf_and_xlsx_show_the_same_rounded_figures(cast) -> None:
    _two_rounded_halves(cast)
    client = client_for(cast.board_member)
    page = client.get(f"/reports/?period={PERIOD}")
    assert page.status_code == 200
    rows = _page_rows(page.content.decode(), "pooled-volume")
    body = [r for r in rows[1:] if r[0].startswith("2026-")]
    # Rounded, not cut: 1.000.000,50 kr. a year is 1.000.001 kr., 4.000.002 kr. over the term.
    assert [r[3:] for r in body] == [["1.000.001 kr.", "4.000.002 kr."]] * 2
    total = rows[-1]
    assert total[3:] == ["2.000.001 kr.", "8.000.004 kr."]  # not 2.000.002: the exact total
    assert NOTE in page.content.decode()

    # The XLSX keeps exact values, shown at the page's precision.
    export = client.get(f"/reports/export/pooled-volume.xlsx?period={PERIOD}")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    numbers = [
        [_shown_in_excel(c.value, c.number_format) for c in row[3:5]]
        for row in sheet.iter_rows()
        if isinstance(row[3].value, float | int)
    ]
    assert numbers == [
        [r[3].removesuffix(" kr."), r[4].removesuffix(" kr.")] for r in [*body, total]
    ]
    assert 1000000.5 in [c.value for row in sheet.iter_rows() for c in row]
    assert NOTE in [c.value for row in sheet.iter_rows() for c in row]

    # The PDF shows what the page shows.
    pdf = render_pack(parse_period(PERIOD), version=None).pdf
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout.replace("\u00a0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert sum("1.000.001 kr. 4.000.002 kr." in line for line in lines) == 2
    assert any("2.000.001 kr. 8.000.004 kr." in line for line in lines)
    assert NOTE in " ".join(lines)


def test_key_figure_percent_on_the_page_matches_the_xlsx(cast) -> None:
    """A participation rate of 2 in 3 is 66,7 % on the page and in the opened workbook."""
    make_tender(cast, 5, volumes={cast.odense: Decimal("100"), cast.aarhus: None})
    client = client_for(cast.staff)
    html = client.get(f"/reports/?period={PERIOD}").content.decode().replace("\u00a0", " ")
    with translation.override("da"), figures.one_computation():
        rate = figures.participation_table(parse_period(PERIOD)).total["rate"]
    shown = format_number(rate * 100, 1) + " %"
    assert shown in html and not re.search(r"\d{2},\d{2,} %", html)
    export = client.get(f"/reports/export/participation.xlsx?period={PERIOD}")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.number_format.endswith("%")]
    assert cells and f"{_shown_in_excel(cells[-1].value, cells[-1].number_format)} %" == shown


def test_no_rounding_note_where_the_rows_add_up() -> None:
    table = Table("t", "T", [Column("name", "Name"), Column("amount", "Amount", "kr")])
    table.rows = [{"amount": Decimal("1.50")}, {"amount": Decimal("1.25")}]
    table.total = {"amount": Decimal("2.75")}  # 2 + 1 = 3 = 2,75 rounded
    assert table.rounding_note == "" and table.notes == []
    table.rows[1]["amount"] = Decimal("1.50")
    table.total = {"amount": Decimal("3.00")}  # 2 + 2 = 4 ≠ 3
    assert table.rounding_note
    table.total = {"amount": Decimal("5")}  # rows left out: not a matter of rounding
    assert table.rounding_note == ""
