"""Tables as XLSX with Danish headers and number formats (the same `Table` the pages show).

Callers build the `Table` inside `translation.override("da")` — its labels are translated when
it is computed — so a spreadsheet is Danish whatever language its user reads the portal in. The
workbook is written by the shared `consortium.xlsx`, with its formats; amounts carry the unit in
the header (`Forbrug (kr.)`). Each cell keeps the exact figure and shows it at the precision the
page shows (`xlsx.figure_format`: whole kroner, whole numbers, percent to one decimal), so the
opened workbook reads as the page does; a table's notes (also the one on rounding) follow it.
"""

from __future__ import annotations

from django.utils import translation

from consortium import xlsx

from .tables import Column, Table


def _number_format(kind: str) -> str | None:
    return xlsx.DATE if kind == "date" else xlsx.figure_format(kind)


def _header(column: Column) -> str:
    return xlsx.money_header(str(column.label)) if column.kind == "kr" else str(column.label)


def tables_to_xlsx(tables: list[Table], *, subtitle: str = "") -> bytes:
    """One sheet per table: a title row, headers, rows and the total row in bold."""
    with translation.override("da"):
        return _write(tables, subtitle)


def _write(tables: list[Table], subtitle: str) -> bytes:
    book = xlsx.Book()
    for table in tables:
        sheet = book.sheet(str(table.title))
        sheet.title(str(table.title))
        if subtitle:
            sheet.append([subtitle])
        sheet.blank()
        sheet.header([xlsx.Column(_header(c)) for c in table.columns])
        for row in table.rows:
            _append(sheet, table, row, bold=False)
        if table.total:
            _append(sheet, table, table.total, bold=True)
        notes = table.notes
        if notes:
            sheet.blank()
            for note in notes:
                sheet.note(str(note))
    return book.to_bytes()


def _append(sheet: xlsx.Sheet, table: Table, row: dict, *, bold: bool) -> None:
    cells = table.cells(row)  # resolves columns whose kind each row gives
    sheet.append(
        [value for _column, value in cells],
        formats=[_number_format(column.kind) for column, _value in cells],
        bold=bold,
    )
