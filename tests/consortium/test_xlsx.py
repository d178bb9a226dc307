"""The one spreadsheet writer: text stays text, numbers stay exact numbers, one format per kind."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from consortium import xlsx

HYPERLINK = '=HYPERLINK("http://x","y")'


def _read(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, "+45 12 34 56 78", "-2+3", "@SUM(A1)", "\t=1+1", "=", "#N/A"],
)
def test_text_that_looks_like_a_formula_is_stored_as_text(text: str) -> None:
    data = xlsx.table_xlsx("Ark", [xlsx.Column("Leverandør")], [[text]])
    cell = _read(data)["A2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert "<f>" not in _sheet_xml(data)


def test_a_carriage_return_is_stored_as_the_line_break_xml_reads_it_as() -> None:
    data = xlsx.table_xlsx("Ark", [xlsx.Column("Navn")], [["\r=1+1"], ["a\r\nb"]])
    sheet = _read(data)
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("\n=1+1", "s")
    assert sheet["A2"].quotePrefix is True
    assert sheet["A3"].value == "a\nb"
    assert "<f>" not in _sheet_xml(data)


def test_formula_text_keeps_excels_quote_prefix_so_editing_keeps_it_text() -> None:
    data = xlsx.table_xlsx("Ark", [xlsx.Column("Leverandør")], [[HYPERLINK], ["Kontorland ApS"]])
    sheet = _read(data)
    assert sheet["A2"].quotePrefix is True
    assert not sheet["A3"].quotePrefix


def test_only_a_formula_the_portal_writes_is_a_formula() -> None:
    book = xlsx.Book()
    sheet = book.sheet("Ark")
    sheet.header([xlsx.Column("Beløb (kr.)", xlsx.MONEY)])
    sheet.append([Decimal("1.50")])
    sheet.append([xlsx.Formula("=SUM(A2:A2)")])
    cell = _read(book.to_bytes())["A3"]
    assert cell.data_type == "f" and cell.value == "=SUM(A2:A2)"
    assert cell.number_format == xlsx.MONEY
    with pytest.raises(ValueError):
        xlsx.Formula("SUM(A1)")


@pytest.mark.parametrize(
    "amount", ["1234567.89", "-234.56", "0.01", "99999999999.99", "1000000.01", "12500.00"]
)
def test_money_is_a_number_exact_to_the_oere(amount: str) -> None:
    data = xlsx.table_xlsx("Ark", [xlsx.Column("Beløb (kr.)", xlsx.MONEY)], [[Decimal(amount)]])
    cell = _read(data)["A2"]
    assert cell.data_type == "n"
    assert isinstance(cell.value, int | float)
    assert cell.number_format == "#,##0.00"
    assert Decimal(str(cell.value)) == Decimal(amount)


def test_one_format_per_kind() -> None:
    assert (xlsx.MONEY, xlsx.INTEGER, xlsx.PERCENT, xlsx.DATE) == (
        "#,##0.00",
        "#,##0",
        "0.0%",
        "dd-mm-yyyy",
    )


def test_dates_are_dates_and_times_are_danish_time() -> None:
    utc = datetime.datetime(2026, 7, 1, 10, 30, tzinfo=datetime.UTC)
    data = xlsx.table_xlsx(
        "Ark", [xlsx.Column("Dato"), xlsx.Column("Beregnet")], [[datetime.date(2026, 3, 4), utc]]
    )
    sheet = _read(data)
    assert sheet["A2"].value == datetime.datetime(2026, 3, 4)
    assert sheet["A2"].number_format == "dd-mm-yyyy"
    local = utc.astimezone(ZoneInfo("Europe/Copenhagen")).replace(tzinfo=None)
    assert abs(sheet["B2"].value - local) < datetime.timedelta(seconds=1)
    assert sheet["B2"].number_format == xlsx.DATETIME


def test_header_is_bold_and_frozen_and_widths_fit_the_values() -> None:
    long_name = "Meget Lange Leverandørnavne og Søn ApS"
    data = xlsx.table_xlsx(
        "Ark",
        [xlsx.Column("CVR", xlsx.TEXT, 12), xlsx.Column("Leverandør")],
        [["10000009", long_name]],
    )
    sheet = _read(data)
    assert sheet["A1"].font.b and sheet["B1"].font.b and not sheet["B2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == len(long_name) + 2


def test_control_characters_that_xml_cannot_hold_are_left_out() -> None:
    data = xlsx.table_xlsx("Ark", [xlsx.Column("Navn")], [["Kontor\x0bland\x00 ApS"]])
    assert _read(data)["A2"].value == "Kontorland ApS"


def test_sheet_names_are_ones_excel_accepts() -> None:
    book = xlsx.Book()
    book.sheet("Forbrug [2026]: kr./md. og meget mere end enogtredive tegn")
    sheet = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).worksheets[0]
    assert sheet.title == "Forbrug -2026-- kr.-md. og meget mere end enogtredive tegn"[:31]


def test_print_frame_prints_ampersands_and_page_numbers() -> None:
    book = xlsx.Book()
    sheet = book.sheet("Ark")
    sheet.print_frame(
        header_left="Udbud 2026-001 – Papir & pap",
        header_right="Tilbudsliste, version 1",
        footer_left="12-by Gruppen Indkøbscentral",
        page_label="Side {page} af {pages}",
    )
    sheet.append(["x"])
    ws = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).worksheets[0]
    assert ws.oddHeader.left.text == "Udbud 2026-001 – Papir && pap"
    assert ws.oddFooter.right.text == "Side &P af &N"
    assert ws.page_setup.orientation == "landscape"


def test_response_is_a_private_download() -> None:
    response = xlsx.xlsx_response(b"data", "kontingenter-2026.xlsx")
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="kontingenter-2026.xlsx"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_figures_format_shows_the_precision_its_page_shows() -> None:
    assert xlsx.number_format(0) == xlsx.INTEGER == xlsx.WHOLE_KRONER == "#,##0"
    assert xlsx.number_format(2) == xlsx.MONEY
    assert xlsx.number_format(1, percent=True) == xlsx.PERCENT
    assert xlsx.number_format(0, percent=True) == "0%"
    assert [xlsx.figure_format(k) for k in ("kr", "number", "percent", "text")] == [
        "#,##0",
        "#,##0",
        "0.0%",
        None,
    ]
    book = xlsx.Book()
    sheet = book.sheet("Tal")
    sheet.header([xlsx.Column("Beløb (kr.)", xlsx.figure_format("kr"))])
    sheet.append([Decimal("1250000.50")])
    cell = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).active["A2"]
    # The exact value stays in the cell; the format shows whole kroner (Excel: 1.250.001).
    assert cell.value == 1250000.5 and cell.number_format == "#,##0"
