"""Every spreadsheet the portal writes: Danish number formats, one header style, inert text.

One number format per kind of figure, used by every export. A format code always writes "," for
thousands and "." for decimals; Excel shows them with the reader's separators, so a Danish Excel
shows 1.234.567,89 and 25,3 % and 21-11-2026.

Text is never a formula. openpyxl makes a formula of any string that starts with "=" (and an error
cell of "#N/A"), so a supplier's name taken from a member's spend file could otherwise run as
`=HYPERLINK(...)` in the secretariat's Excel. Every `str` is stored as a string cell (`t="inlineStr"`),
which Excel never evaluates, exactly as given (a CR becomes the line break XML reads it as); one that starts like a formula (OWASP's list for
CSV injection: = + - @ tab CR) also gets Excel's "quote prefix" style, so editing the cell keeps
it text. A formula is written only when the caller says so with `Formula`.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .formatting import FIGURE_DECIMALS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONEY = "#,##0.00"  # kroner to the øre; the unit is in the column's header (see `money_header`)
QUANTITY = MONEY  # quantities may have decimals (2.5 kg) and are shown like amounts
INTEGER = "#,##0"
PERCENT = "0.0%"  # a fraction, 0.253 → 25,3 %, one decimal as the pages show it
DATE = "dd-mm-yyyy"
MONTH = "mm-yyyy"  # a month of figures (the first day stored as a date)
DATETIME = "dd-mm-yyyy hh:mm"
TEXT = "@"


def number_format(decimals: int, *, percent: bool = False) -> str:
    """The format that shows a number at `decimals` places, as the pages show it: 0 → `#,##0`,
    2 → `#,##0.00`, a percent with 1 → `0.0%`. The cell keeps the exact value; Excel rounds what
    it shows half away from zero, the portal's one rule (`consortium.formatting.round_half_up`)."""
    places = "." + "0" * decimals if decimals > 0 else ""
    return f"0{places}%" if percent else f"#,##0{places}"


WHOLE_KRONER = number_format(0)  # amounts a page shows in whole kroner (`|kr:0`)


def figure_format(kind: str) -> str | None:
    """The number format of a reported figure of `kind` ("kr", "number", "percent"): the
    precision its page shows (`consortium.formatting.FIGURE_DECIMALS`)."""
    if kind not in FIGURE_DECIMALS:
        return None
    return number_format(FIGURE_DECIMALS[kind], percent=kind == "percent")


INPUT_FILL = "FFF2CC"  # cells a supplier fills in (the price schedule's unit prices)
WARNING_COLOUR = "B00020"

# The characters that make a spreadsheet program read a cell as a formula (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

TITLE_SIZE = 14
MIN_WIDTH, MAX_WIDTH = 10, 60
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def money_header(label: str) -> str:
    """A column header for amounts in kroner: `Forbrug (kr.)`."""
    return _("%(label)s (DKK)") % {"label": label}


@dataclass(frozen=True)
class Formula:
    """A formula the portal writes itself, e.g. `=SUM(C5:C9)` — never text that came from a user."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ValueError("A formula starts with '='.")


@dataclass(frozen=True)
class Cell:
    """A value with its own format or style, where the column's does not fit."""

    value: Any = None
    number_format: str | None = None
    bold: bool = False
    colour: str | None = None
    fill: str | None = None


@dataclass(frozen=True)
class Column:
    """A column's header, the number format of its values and its width (None: fit the values)."""

    header: str
    number_format: str | None = None
    width: float | None = None


def _excel_value(value: Any) -> Any:
    """Dates and times as Excel holds them: naive, in Danish time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _default_format(value: Any) -> str | None:
    if isinstance(value, datetime.datetime):
        return DATETIME
    if isinstance(value, datetime.date):
        return DATE
    return None


class Sheet:
    """One worksheet, written row by row from the top."""

    def __init__(self, worksheet: Worksheet) -> None:
        self._ws = worksheet
        self._row = 0
        self._columns: list[Column] = []
        self._header_row = 0
        self._lengths: dict[int, int] = {}

    @property
    def next_row(self) -> int:
        """The number of the row the next `append` writes (for formulas that name their row)."""
        return self._row + 1

    def title(self, text: str, *, size: int = TITLE_SIZE) -> int:
        """A heading row in large bold type."""
        row = self.append([text])
        self._ws.cell(row, 1).font = Font(bold=True, size=size)
        return row

    def blank(self) -> None:
        self._row += 1

    def note(self, text: str) -> int:
        """A line of text under a table, in italics; it does not widen the first column."""
        lengths = dict(self._lengths)
        row = self.append([text])
        self._lengths = lengths
        self._ws.cell(row, 1).font = Font(italic=True)
        return row

    def header(self, columns: Sequence[Column], *, freeze: bool = True) -> int:
        """The header row in bold; the rows after it take the columns' formats and widths.

        With `freeze` the header stays in view when the sheet is scrolled.
        """
        self._columns = list(columns)
        row = self.append([c.header for c in columns], bold=True)
        self._header_row = row
        self._lengths = {i: len(str(c.header)) for i, c in enumerate(columns, start=1)}
        for index, column in enumerate(columns, start=1):
            if column.width is not None:
                self._ws.column_dimensions[get_column_letter(index)].width = column.width
        if freeze:
            self._ws.freeze_panes = self._ws.cell(row + 1, 1)
        return row

    def widths(self, widths: Sequence[float]) -> None:
        """Column widths from A on, for sheets without a header of `Column`s."""
        for index, width in enumerate(widths, start=1):
            self._ws.column_dimensions[get_column_letter(index)].width = width

    def append(
        self,
        values: Sequence[Any],
        *,
        bold: bool = False,
        formats: Sequence[str | None] | None = None,
    ) -> int:
        """Write a row below the last; `formats` override the header's number formats."""
        self._row += 1
        for index, value in enumerate(values, start=1):
            number_format = formats[index - 1] if formats and index <= len(formats) else None
            if number_format is None and index <= len(self._columns) and self._header_row:
                number_format = self._columns[index - 1].number_format
            self._write(self._row, index, value, number_format, bold)
        return self._row

    def print_frame(
        self,
        *,
        header_left: str,
        header_right: str,
        footer_left: str,
        page_label: str,
        landscape: bool = True,
    ) -> None:
        """Running header and footer on every printed A4 page; `page_label` names {page} and
        {pages} (`Side {page} af {pages}`). An "&" in the texts is printed as itself."""

        def plain(text: str) -> str:
            return text.replace("&", "&&")  # "&" starts a header code in Excel (&P, &N, …)

        ws = self._ws
        ws.oddHeader.left.text = plain(header_left)
        ws.oddHeader.right.text = plain(header_right)
        ws.oddFooter.left.text = plain(footer_left)
        ws.oddFooter.right.text = plain(page_label).replace("{page}", "&P").replace("{pages}", "&N")
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.print_options.gridLines = False

    def _write(
        self, row: int, column: int, value: Any, number_format: str | None, bold: bool
    ) -> None:
        style = value if isinstance(value, Cell) else Cell(value)
        value = _excel_value(style.value)
        cell = self._ws.cell(row, column)
        if isinstance(value, Formula):
            cell.value = value.text
        elif isinstance(value, str):
            # XML cannot carry most control characters (openpyxl refuses them) and reads a CR
            # as a line break, so CR is written as one. The string type is set after the value:
            # openpyxl guesses "formula" from a leading "=".
            text = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
            cell.value = text
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
            self._measure(row, column, len(text))
        elif value is not None:
            cell.value = value
            self._measure(row, column, len(str(value)))
        number_format = style.number_format or number_format or _default_format(value)
        if number_format:
            cell.number_format = number_format
        if bold or style.bold or style.colour:
            cell.font = Font(bold=bold or style.bold, color=style.colour)
        if style.fill:
            cell.fill = PatternFill("solid", fgColor=style.fill)

    def _measure(self, row: int, column: int, length: int) -> None:
        if self._header_row and row >= self._header_row:
            self._lengths[column] = max(self._lengths.get(column, 0), length)

    def _fit_widths(self) -> None:
        for index, column in enumerate(self._columns, start=1):
            if column.width is None:
                width = min(MAX_WIDTH, max(MIN_WIDTH, self._lengths.get(index, 0) + 2))
                self._ws.column_dimensions[get_column_letter(index)].width = width


class Book:
    """A workbook of `Sheet`s, saved as XLSX bytes."""

    def __init__(self) -> None:
        self._workbook = Workbook()
        self._workbook.remove(self._workbook.active)
        self._workbook.properties.language = "da-DK"
        self._sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        """A new sheet; the name is made one Excel accepts (no []:*?/\\, at most 31 characters)."""
        name = _SHEET_NAME_FORBIDDEN.sub("-", str(title))[:31].strip("'") or "Ark"
        sheet = Sheet(self._workbook.create_sheet(name))
        self._sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self._sheets:
            sheet._fit_widths()
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def table_xlsx(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named `title`: the header row, then the rows."""
    book = Book()
    sheet = book.sheet(title)
    sheet.header(columns)
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """The workbook as a download; never kept by a shared cache (it holds members' figures)."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
