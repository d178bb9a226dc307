"""Detect a spend file's format from its bytes and read it with the matching reader."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from . import erp, ubl
from .errors import FileRejected
from .limits import ImportLimits
from .memory import map_large_allocations
from .table import RawLines
from .validate import LineChecker, ValidatedLines, validate_lines

ERP_CSV, ERP_XLSX, UBL_XML, UBL_ZIP = "erp_csv", "erp_xlsx", "ubl_xml", "ubl_zip"
# What the preview of a CSV reads: plenty for its first rows, cut at a line end.
PREVIEW_BYTES = 256 * 1024

Fraction = Callable[[float], None]
# How far the checking has come, and of how many lines (known once the file is read).
Checking = Callable[[int, float], None]


@dataclass
class ParsedFile:
    format: str
    raw: RawLines


def detect_format(data: bytes, name: str = "") -> str:
    if not data[:65536].strip():
        raise FileRejected(_("The file is empty."))
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        head = data[:4096]
        if b"[Content_Types].xml" in data[:65536] and (
            b"xl/" in head or name.lower().endswith(".xlsx")
        ):
            return ERP_XLSX
        if name.lower().endswith((".xlsx", ".xlsm")):
            return ERP_XLSX
        return UBL_ZIP
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            _("Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or CSV.")
        )
    if _not_a_spend_file(data):
        raise FileRejected(_("The file is not a spend file (CSV, XLSX, XML or ZIP)."))
    if ubl.looks_like_xml(data):
        return UBL_XML
    return ERP_CSV


# What other files start with: images, PDF, programs, and web pages (which a browser would run).
_FOREIGN_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"MZ",
    b"\x7fELF",
    b"BM",
    b"II*\x00",
)
_FOREIGN_MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<head", b"<body", b"<script")


def _not_a_spend_file(data: bytes) -> bool:
    """Whether the first bytes show a kind of file that is never spend data.

    Text with NUL bytes is binary (UTF-16 text is told apart: its own message comes when read).
    """
    if data.startswith(_FOREIGN_MAGIC):
        return True
    markup = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if markup.startswith(_FOREIGN_MARKUP):
        return True
    bom_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    return not bom_utf16 and b"\x00" in data[:65536]


def check_size(size: int, limits: ImportLimits) -> None:
    if size > limits.max_bytes:
        raise FileRejected(
            _(
                "The file is %(size)s MB; at most %(max)s MB are allowed. Split it into smaller files."
            )
            % {"size": size // (1024 * 1024), "max": limits.max_bytes // (1024 * 1024)}
        )


def read_preview_bytes(handle: IO[bytes], *, name: str, limits: ImportLimits) -> bytes:
    """What the preview needs of a stored file: a CSV's head (whole lines), any other file whole.

    A CSV can be decoded from its first lines; an XLSX or ZIP needs its directory at the end.
    """
    head = handle.read(PREVIEW_BYTES)
    try:
        kind = detect_format(head, name)
    except FileRejected:
        return head  # reading it again refuses it the same way
    if kind != ERP_CSV:
        return head + handle.read(limits.max_bytes + 1 - len(head))
    if len(head) < PREVIEW_BYTES or not handle.read(1):
        return head  # the whole file
    end = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return head[: end + 1] if end > 0 else head


def read_spend_file(
    data: bytes,
    *,
    name: str,
    mapping: dict[str, str] | None = None,
    strict_mapping: bool = False,
    limits: ImportLimits | None = None,
    preview: int | None = None,
    progress: Fraction | None = None,
) -> ParsedFile:
    """Read a spend file into raw lines; `FileRejected` if the file as a whole is unusable.

    `progress(fraction)` is told how far the reading has come, where the format allows.
    """
    limits = limits or ImportLimits.from_settings()
    progress = progress or _ignore
    check_size(len(data), limits)
    kind = detect_format(data, name)
    if kind == ERP_CSV:
        raw = erp.read_csv(
            data, mapping=mapping, strict=strict_mapping, limits=limits, preview=preview
        )
    elif kind == ERP_XLSX:
        raw = erp.read_xlsx(
            data,
            mapping=mapping,
            strict=strict_mapping,
            limits=limits,
            preview=preview,
            progress=progress,
        )
    elif kind == UBL_XML:
        raw = ubl.read_xml(data, name=name, limits=limits, preview=preview)
    else:
        raw = ubl.read_zip(data, limits=limits, preview=preview, progress=progress)
    if raw.total == 0:
        raise FileRejected(_("The file has no lines to import."))
    progress(1.0)
    return ParsedFile(format=kind, raw=raw)


def check_spend_file(
    handle: IO[bytes],
    *,
    name: str,
    mapping: dict[str, str] | None,
    strict_mapping: bool,
    limits: ImportLimits,
    today: datetime.date,
    period: tuple[datetime.date | None, datetime.date | None] = (None, None),
    reading: Fraction | None = None,
    checking: Checking | None = None,
) -> CheckedFile:
    """Read and check a stored file for an import; `FileRejected` if it is unusable as a whole.

    An ERP CSV is read and checked a batch of lines at a time straight from `handle`, so neither
    its text nor its raw lines are ever held whole (a million lines take about 250 MB less at
    the peak); other formats are read whole (their own limits bound them), then checked.
    `reading(fraction)` follows the reading, `checking(lines, fraction)` the checks after it.
    """
    map_large_allocations()
    reading = reading or _ignore
    checking = checking or (lambda total, fraction: None)
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    check_size(size, limits)
    kind = detect_format(handle.read(65536), name)
    handle.seek(0)
    if kind != ERP_CSV:
        parsed = read_spend_file(
            handle.read(limits.max_bytes + 1),
            name=name,
            mapping=mapping,
            strict_mapping=strict_mapping,
            limits=limits,
            progress=reading,
        )
        total = parsed.raw.total
        checked = validate_lines(
            parsed.raw.table,
            limits=limits,
            today=today,
            period=period,
            prior_errors=parsed.raw.errors,
            prior_error_count=parsed.raw.error_count,
            total=total,
            progress=lambda fraction: checking(total, fraction),
        )
        return CheckedFile(format=kind, encoding=parsed.raw.encoding, lines=checked)

    lines = erp.CsvLines(handle, mapping=mapping, strict=strict_mapping, limits=limits)
    checker = LineChecker(limits=limits, today=today, period=period)
    for batch in lines.batches():
        checker.add(batch)
        del batch
        reading(lines.consumed / max(size, 1))
    total = lines.rows + lines.error_count
    if total == 0:
        raise FileRejected(_("The file has no lines to import."))
    reading(1.0)
    checked = checker.finish(
        prior_errors=lines.errors,
        prior_error_count=lines.error_count,
        total=total,
        progress=lambda fraction: checking(total, fraction),
    )
    return CheckedFile(format=kind, encoding=lines.encoding, lines=checked)


@dataclass
class CheckedFile:
    format: str
    encoding: str
    lines: ValidatedLines


def _ignore(fraction: float) -> None:
    return None
