"""Tables as XLSX with Danish headers and number formats (the same `Table` the pages show).

Callers build the `Table` inside `translation.override("da")` — its labels are translated when
it is computed — so a spreadsheet is Danish whatever language its user reads the portal in.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .tables import Table

# Danish formats: amounts with "kr.", one decimal in percentages, dates as 21.11.2026. A format
# code always uses "," for thousands and "." for decimals; Excel shows them with the reader's
# separators, 1.234.567,89 in a Danish Excel.
NUMBER_FORMATS = {
    "kr": '#,##0.00 "kr."',
    "number": "#,##0",
    "percent": "0.0%",
    "date": "DD.MM.YYYY",
}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _value(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def tables_to_xlsx(tables: list[Table], *, subtitle: str = "") -> bytes:
    """One sheet per table: a title row, headers, rows and the total row in bold."""
    with translation.override("da"):
        return _write(tables, subtitle)


def _write(tables: list[Table], subtitle: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.language = "da-DK"
    for table in tables:
        sheet = workbook.create_sheet(_SHEET_NAME_FORBIDDEN.sub("-", str(table.title))[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        if subtitle:
            sheet.append([subtitle])
        sheet.append([])
        sheet.append([str(c.label) for c in table.columns])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            cells = table.cells(row)  # resolves columns whose kind each row gives
            sheet.append([_value(value) for _column, value in cells])
            for index, (column, _) in enumerate(cells, start=1):
                if column.kind in NUMBER_FORMATS:
                    sheet.cell(sheet.max_row, index).number_format = NUMBER_FORMATS[column.kind]
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.freeze_panes = sheet.cell(header_row + 1, 1)
        for index, column in enumerate(table.columns, start=1):
            width = max(
                [len(str(column.label))] + [len(str(r.get(column.key) or "")) for r in rows]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
