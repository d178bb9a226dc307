"""Spreadsheet exports of compliance figures, with Danish headers and number formats."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MONEY = "#,##0.00"  # shown as 1.234.567,89 by a Danish Excel
PERCENT = "0.0%"
MONTH = "mm-yyyy"
TEXT = "@"


def workbook_bytes(
    title: str, columns: Sequence[tuple[str, str, int]], rows: Iterable[Sequence[Any]]
) -> bytes:
    """One sheet: `columns` are (header, number format, width); headers are bold and frozen."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([header for header, _fmt, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, (_header, fmt, width) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def compliance_columns(*, per_member: bool) -> list[tuple[str, str, int]]:
    with translation.override("da"):
        columns = [
            (_("Agreement number"), TEXT, 14),
            (_("Agreement"), TEXT, 40),
        ]
        if per_member:
            columns.append((_("Member"), TEXT, 20))
        columns += [
            (_("Month"), MONTH, 10),
            (_("Spend in the categories (DKK)"), MONEY, 22),
            (_("Spend with the agreement's suppliers (DKK)"), MONEY, 22),
            (_("Compliance"), PERCENT, 12),
            (_("Realised savings (DKK)"), MONEY, 20),
        ]
    return columns


def outside_columns() -> list[tuple[str, str, int]]:
    with translation.override("da"):
        return [
            (_("CVR number"), TEXT, 12),
            (_("Supplier"), TEXT, 40),
            (_("Spend (DKK)"), MONEY, 20),
        ]
