"""Detect a spend file's format from its bytes and read it with the matching reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import erp, ubl
from .errors import FileRejected
from .limits import ImportLimits
from .table import RawLines
from .text import to_utf8

ERP_CSV, ERP_XLSX, UBL_XML, UBL_ZIP = "erp_csv", "erp_xlsx", "ubl_xml", "ubl_zip"


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
    if data.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")):
        raise FileRejected(_("The file is not a spend file (CSV, XLSX, XML or ZIP)."))
    if ubl.looks_like_xml(data):
        return UBL_XML
    return ERP_CSV


def read_spend_file(
    data: bytes,
    *,
    name: str,
    mapping: dict[str, str] | None = None,
    strict_mapping: bool = False,
    limits: ImportLimits | None = None,
    preview: int | None = None,
) -> ParsedFile:
    """Read a spend file into raw lines; `FileRejected` if the file as a whole is unusable."""
    limits = limits or ImportLimits.from_settings()
    if len(data) > limits.max_bytes:
        raise FileRejected(
            _(
                "The file is %(size)s MB; at most %(max)s MB are allowed. Split it into smaller files."
            )
            % {"size": len(data) // (1024 * 1024), "max": limits.max_bytes // (1024 * 1024)}
        )
    kind = detect_format(data, name)
    if kind == ERP_CSV:
        # Hand the text on without keeping the original bytes alive in this frame.
        text, encoding = to_utf8(data)
        del data
        raw = erp.read_csv(
            text,
            encoding=encoding,
            mapping=mapping,
            strict=strict_mapping,
            limits=limits,
            preview=preview,
        )
    elif kind == ERP_XLSX:
        raw = erp.read_xlsx(
            data, mapping=mapping, strict=strict_mapping, limits=limits, preview=preview
        )
    elif kind == UBL_XML:
        raw = ubl.read_xml(data, name=name, limits=limits, preview=preview)
    else:
        raw = ubl.read_zip(data, limits=limits, preview=preview)
    if raw.total == 0:
        raise FileRejected(_("The file has no lines to import."))
    return ParsedFile(format=kind, raw=raw)
