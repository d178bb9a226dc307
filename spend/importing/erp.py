"""ERP exports: CSV (`;`, `,` or tab separated) and XLSX, mapped onto the canonical fields."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv
from django.utils.translation import gettext as _

from .errors import FileRejected, LineError
from .fields import resolve_columns
from .limits import ImportLimits
from .safety import open_zip
from .table import RawLines, raw_table


def read_csv(
    text: bytes | bytearray,
    *,
    encoding: str,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None = None,
) -> RawLines:
    """Read UTF-8 text (see text.to_utf8) as an ERP export."""
    if preview:
        # Enough of the file for the first rows; cut at a line end.
        cut = text[: 256 * 1024]
        text = cut[: cut.rfind(b"\n") + 1] if len(text) > len(cut) and b"\n" in cut else cut
    newline = text.find(b"\n")
    header_bytes = text if newline < 0 else text[:newline]
    header_line = header_bytes.decode("utf-8").rstrip("\r")
    if not header_line.strip():
        raise FileRejected(_("The file is empty or its first line (the column headers) is blank."))
    delimiter = max(";,\t", key=lambda d: (header_line.count(d), d == ";"))
    headers = next(csv.reader([header_line], delimiter=delimiter))
    if len(headers) > limits.max_columns:
        raise FileRejected(
            _("The file has %(count)s columns; at most %(max)s are allowed.")
            % {"count": len(headers), "max": limits.max_columns}
        )
    columns = resolve_columns(headers, mapping, strict=strict)
    if text.count(b"\n") > limits.max_rows + 1:
        raise FileRejected(
            _("The file has more than %(max)s lines. Split it into smaller files.")
            % {"max": f"{limits.max_rows:,}".replace(",", ".")}
        )
    names = [f"c{i}" for i in range(len(headers))]
    wanted = sorted(set(columns.values()))
    skipped: list[tuple[int, int, int]] = []  # (line, expected columns, actual columns)

    def invalid_row(row: Any) -> str:
        skipped.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = pv.read_csv(
            pa.BufferReader(pa.py_buffer(text if newline >= 0 else b"")),
            read_options=pv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=8 << 20
            ),
            parse_options=pv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=invalid_row,
            ),
            convert_options=pv.ConvertOptions(
                column_types={names[i]: pa.string() for i in wanted},
                include_columns=[names[i] for i in wanted],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as exc:
        raise FileRejected(
            _("The CSV file cannot be read: %(error)s") % {"error": str(exc).splitlines()[0][:300]}
        ) from None
    del text
    errors = [
        LineError(
            line=line,
            reason=_("The line has %(actual)s columns; the header has %(expected)s.")
            % {"actual": actual, "expected": expected},
        )
        for line, expected, actual in skipped
        if actual > 1  # an empty line is not an error
    ]
    # File line of each row read: line 1 is the header; skipped lines are left out.
    skipped_lines = np.array(sorted(s[0] for s in skipped), dtype=np.int64)
    all_lines = np.arange(2, 2 + table.num_rows + len(skipped_lines), dtype=np.int64)
    lines = np.setdiff1d(all_lines, skipped_lines, assume_unique=True)[: table.num_rows]
    if preview:
        table, lines = table.slice(0, preview), lines[:preview]
    fields = {field: table.column(names[index]) for field, index in columns.items()}
    return RawLines(
        table=raw_table(fields, lines),
        errors=errors,
        encoding=encoding,
        headers=headers,
        columns=columns,
    )


def read_xlsx(
    data: bytes,
    *,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None = None,
) -> RawLines:
    archive = open_zip(data, limits, kind="XLSX")
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise FileRejected(_("The XLSX file has no workbook: it is damaged or not an Excel file."))
    import openpyxl  # imported here: it is heavy and only XLSX files need it

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > limits.max_rows + 1 or (
            sheet.max_column or 0
        ) > 5 * limits.max_columns:
            raise FileRejected(
                _(
                    "The sheet is too large (%(rows)s rows × %(cols)s columns); at most %(max)s lines are allowed."
                )
                % {"rows": sheet.max_row, "cols": sheet.max_column, "max": limits.max_rows}
            )
        return _read_sheet(sheet, mapping=mapping, strict=strict, limits=limits, preview=preview)
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRejected(
            _("The XLSX file cannot be read (%(error)s).") % {"error": str(exc)[:200]}
        ) from None


def _read_sheet(
    sheet: Any,
    *,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None,
) -> RawLines:
    rows = sheet.iter_rows(values_only=True)
    headers: list[str] | None = None
    header_row = 0
    for number, row in enumerate(rows, start=1):
        if any(cell not in (None, "") for cell in row):
            headers = ["" if cell is None else str(cell).strip() for cell in row]
            header_row = number
            break
        if number > 50:
            break
    if headers is None:
        raise FileRejected(_("The first sheet is empty: no column headers were found."))
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > limits.max_columns:
        raise FileRejected(
            _("The file has %(count)s columns; at most %(max)s are allowed.")
            % {"count": len(headers), "max": limits.max_columns}
        )
    columns = resolve_columns(headers, mapping, strict=strict)
    values: dict[str, list[str]] = {field: [] for field in columns}
    lines: list[int] = []
    for number, row in enumerate(rows, start=header_row + 1):
        if len(lines) >= limits.max_rows:
            raise FileRejected(
                _("The sheet has more than %(max)s lines. Split it into smaller files.")
                % {"max": f"{limits.max_rows:,}".replace(",", ".")}
            )
        if preview and len(lines) >= preview:
            break
        for field, index in columns.items():
            values[field].append(_cell(row[index] if index < len(row) else None))
        lines.append(number)
    return RawLines(
        table=raw_table(
            {f: pa.array(v, type=pa.string()) for f, v in values.items()},
            np.array(lines, dtype=np.int64),
        ),
        errors=[],
        encoding="",
        headers=headers,
        columns=columns,
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        try:
            return str(Decimal(repr(value)).quantize(Decimal("0.01")))
        except InvalidOperation:
            return repr(value)
    return str(value).strip()
