"""ERP exports: CSV (`;`, `,` or tab separated) and XLSX, mapped onto the canonical fields."""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv
from django.utils.translation import gettext as _

from .errors import FileRejected, LineError
from .fields import category_scheme, resolve_columns
from .limits import ImportLimits
from .safety import open_zip
from .table import RawLines, raw_table
from .text import Utf8Stream, detect_encoding

logger = logging.getLogger(__name__)

# Rows of a sheet between two progress reports.
PROGRESS_ROWS = 20_000


def _csv_unreadable() -> FileRejected:
    return FileRejected(
        _(
            "The CSV file cannot be read. Check that it is saved as CSV from the ERP system, with one line per invoice line and every quotation mark closed."
        )
    )


def _not_cpv(
    headers: list[str], columns: dict[str, int], category: pa.Array | pa.ChunkedArray | None
) -> dict[str, pa.Array | pa.ChunkedArray]:
    """A `cpv` column of "-" and the codes as `unspsc` when the category column is headed UNSPSC:
    its 8-digit codes look like CPV codes but are not (validate reads "-" as "classified, not
    with CPV")."""
    index = columns.get("category")
    if index is None or category is None or category_scheme(headers[index]) != "unspsc":
        return {}
    return {"cpv": pa.nulls(len(category), pa.string()).fill_null("-"), "unspsc": category}


# The text parsed at a time (cut at a line end): about 55,000 lines of a typical export, so what
# parsing and checking a batch allocates stays small next to the lines kept. Arrow's own
# streaming reader is not used: it reads up to 32 blocks ahead of the batch it hands over.
BLOCK_BYTES = 4 << 20
# A header line longer than this is not a header: the file is not a CSV export.
HEADER_BYTES = 1 << 20


class CsvLines:
    """An ERP CSV export read a batch of lines at a time (see `batches`), never held whole.

    Opening it detects the encoding (a pass over the file in chunks) and reads the header line,
    so the headers and the columns mapped onto the fields are known before any line is parsed.
    `errors` holds the first `limits.max_reported_errors` lines with the wrong number of
    columns, `error_count` counts them all; `rows` counts the lines read (blank ones included),
    `skipped` those Arrow skipped (wrong number of columns, or no separator at all), `consumed`
    the bytes of the file read so far.
    """

    def __init__(
        self,
        handle: IO[bytes],
        *,
        mapping: dict[str, str] | None,
        strict: bool,
        limits: ImportLimits,
    ) -> None:
        self.limits = limits
        self.encoding = detect_encoding(handle)
        self._stream = Utf8Stream(handle, self.encoding)
        head = self._stream.read_chunk(HEADER_BYTES)
        end = min((i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0), default=-1)
        if end < 0 and len(head) == HEADER_BYTES:
            logger.info("CSV file has no line end in its first %s bytes", HEADER_BYTES)
            raise _csv_unreadable()
        if 0 <= end == len(head) - 1 and head.endswith(b"\r"):
            head += self._stream.read_chunk(1)  # a CR LF cut between the two
        header_line = (head if end < 0 else head[:end]).decode("utf-8")
        if not header_line.strip():
            raise FileRejected(
                _("The file is empty or its first line (the column headers) is blank.")
            )
        self.delimiter = max(";,\t", key=lambda d: (header_line.count(d), d == ";"))
        try:
            headers = next(csv.reader([header_line], delimiter=self.delimiter))
        except csv.Error as exc:
            logger.info("CSV header cannot be parsed: %s", exc)
            raise _csv_unreadable() from None
        if len(headers) > limits.max_columns:
            raise FileRejected(
                _("The file has %(count)s columns; at most %(max)s are allowed.")
                % {"count": len(headers), "max": limits.max_columns}
            )
        self.headers = headers
        self.columns = resolve_columns(headers, mapping, strict=strict)
        # Lines end as the header's does (CR alone in old Mac exports): the text is cut there.
        crlf = end >= 0 and head[end : end + 2] == b"\r\n"
        self._line_end = b"\r" if end >= 0 and head[end : end + 1] == b"\r" and not crlf else b"\n"
        self._rest = head[end + (2 if crlf else 1) :] if end >= 0 else b""
        self._more = end >= 0
        self.errors: list[LineError] = []
        self.error_count = 0
        self.rows = 0
        self.skipped = 0

    @property
    def consumed(self) -> int:
        return self._stream.consumed

    def _blocks(self) -> Iterator[bytes]:
        """The text after the header in pieces of whole lines, about BLOCK_BYTES each."""
        text, self._rest = self._rest, b""
        while True:
            while self._more and len(text) <= BLOCK_BYTES:
                chunk = self._stream.read_chunk(BLOCK_BYTES)
                self._more = bool(chunk)
                text += chunk
            if not self._more and len(text) <= BLOCK_BYTES:
                if text:
                    yield text
                return
            # Cut after the last line end of the first block's worth of text.
            cut = text.rfind(self._line_end, 0, BLOCK_BYTES) + 1
            if cut == 0:
                logger.info("CSV file has a line longer than %s bytes", BLOCK_BYTES)
                raise _csv_unreadable()
            if text[cut - 1 : cut + 1] == b"\r\n":
                cut += 1  # CR LF in a file whose header ended with CR alone
            yield text[:cut]
            text = text[cut:]

    def _parse(
        self, block: bytes, names: list[str], wanted: list[int]
    ) -> tuple[pa.Table, list[tuple[int, int, int]]]:
        skipped: list[tuple[int, int, int]] = []

        def invalid_row(row: Any) -> str:
            skipped.append((row.number, row.expected_columns, row.actual_columns))
            return "skip"

        try:
            table = pv.read_csv(
                pa.py_buffer(block),
                read_options=pv.ReadOptions(
                    column_names=names, use_threads=False, block_size=2 * BLOCK_BYTES
                ),
                parse_options=pv.ParseOptions(
                    delimiter=self.delimiter,
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
            # Arrow's text is English and technical: for the log, not for the user.
            logger.info("CSV file cannot be parsed: %s", str(exc)[:1000])
            raise _csv_unreadable() from None
        return table, skipped

    def batches(self) -> Iterator[pa.Table]:
        """The lines as raw tables (see table.raw_table), in file order.

        Refuses the file (`FileRejected`) when it cannot be parsed or has more than
        `limits.max_rows` lines, as soon as that shows.
        """
        names = [f"c{i}" for i in range(len(self.headers))]
        wanted = sorted(set(self.columns.values()))
        unspsc = bool(_not_cpv(self.headers, self.columns, pa.array([], pa.string())))
        first_line = 2  # line 1 is the header
        for block in self._blocks():
            table, skipped = self._parse(block, names, wanted)
            del block
            count = table.num_rows
            self.rows += count
            self.skipped += len(skipped)
            if self.rows + self.skipped > self.limits.max_rows:
                raise FileRejected(
                    _("The file has more than %(max)s lines. Split it into smaller files.")
                    % {"max": f"{self.limits.max_rows:,}".replace(",", ".")}
                )
            for number, expected, actual in skipped:
                if actual > 1:  # an empty line is not an error
                    self.error_count += 1
                    if len(self.errors) < self.limits.max_reported_errors:
                        self.errors.append(
                            LineError(
                                line=first_line + number - 1,
                                reason=_(
                                    "The line has %(actual)s columns; the header has %(expected)s."
                                )
                                % {"actual": actual, "expected": expected},
                            )
                        )
            # One line of text is one row (no line ends inside values): the rows are the lines
            # Arrow did not skip.
            numbers = np.arange(1, count + len(skipped) + 1, dtype=np.int64)
            if skipped:
                numbers = np.setdiff1d(
                    numbers, np.array([s[0] for s in skipped], dtype=np.int64), assume_unique=True
                )
            lines = numbers + (first_line - 1)
            first_line += count + len(skipped)
            if not count:
                continue
            fields = {field: table.column(names[index]) for field, index in self.columns.items()}
            if unspsc:
                fields.update(_not_cpv(self.headers, self.columns, fields["category"]))
            del table
            yield raw_table(fields, lines)


def read_csv(
    data: bytes,
    *,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None = None,
) -> RawLines:
    """Read an ERP export whole (or its first `preview` lines) into one raw table."""
    lines = CsvLines(io.BytesIO(data), mapping=mapping, strict=strict, limits=limits)
    tables: list[pa.Table] = []
    rows = 0
    for batch in lines.batches():
        tables.append(batch)
        rows += batch.num_rows
        if preview and rows >= preview:
            break
    table = pa.concat_tables(tables) if tables else raw_table({}, np.zeros(0, dtype=np.int64))
    if preview:
        table = table.slice(0, preview)
    return RawLines(
        table=table,
        errors=lines.errors,
        encoding=lines.encoding,
        headers=lines.headers,
        columns=lines.columns,
        rows_read=table.num_rows + lines.error_count,
        error_count=lines.error_count,
    )


def read_xlsx(
    data: bytes,
    *,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> RawLines:
    archive = open_zip(data, limits, kind="XLSX")
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise FileRejected(_("The XLSX file has no workbook: it is damaged or not an Excel file."))
    refuse_dtds(archive)
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
        return _read_sheet(
            sheet,
            mapping=mapping,
            strict=strict,
            limits=limits,
            preview=preview,
            progress=progress,
        )
    except FileRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        # The library's text is English and technical: for the log, not for the user.
        logger.info("XLSX file cannot be read: %r", exc)
        if _caused_by_dtd(exc):
            raise _dtd_refused() from None
        raise FileRejected(
            _(
                "The XLSX file cannot be read: it is damaged or was not saved by a spreadsheet program. Open it in Excel and save it again as .xlsx."
            )
        ) from None


def _dtd_refused() -> FileRejected:
    return FileRejected(
        _(
            "The XLSX file was refused: it contains a DTD or entity declarations (possibly external entities or entity expansion). Excel files never need them."
        )
    )


def refuse_dtds(archive: Any) -> None:
    """Refuse a workbook whose XML parts declare a DTD, before openpyxl parses any of them.

    A DTD can only come before the root element, so each part's first bytes tell; openpyxl's own
    defusedxml guard remains behind this (see _caused_by_dtd).
    """
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            with archive.open(info) as member:
                head = member.read(16 * 1024)
        except Exception as exc:  # zipfile and zlib raise several kinds for a damaged member
            logger.info("XLSX member %r cannot be unpacked: %r", info.filename, exc)
            raise FileRejected(
                _(
                    "The %(kind)s file is damaged and cannot be opened (it may have been cut off when it was copied or uploaded)."
                )
                % {"kind": "XLSX"}
            ) from None
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _dtd_refused()


def _caused_by_dtd(exc: BaseException | None) -> bool:
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _read_sheet(
    sheet: Any,
    *,
    mapping: dict[str, str] | None,
    strict: bool,
    limits: ImportLimits,
    preview: int | None,
    progress: Callable[[float], None] | None = None,
) -> RawLines:
    rows = sheet.iter_rows(values_only=True)
    # The sheet's declared size (its <dimension>) is what there is to read, if it says.
    expected = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else 0
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
        if progress is not None and expected and number % PROGRESS_ROWS == 0:
            progress(min(number / expected, 1.0))
    arrays = {f: pa.array(v, type=pa.string()) for f, v in values.items()}
    arrays.update(_not_cpv(headers, columns, arrays.get("category")))
    return RawLines(
        table=raw_table(arrays, np.array(lines, dtype=np.int64)),
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
