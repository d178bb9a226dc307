"""What is checked of an upload before it is stored: its name, its size, its first bytes, and
an archive's directory.

Everything here is cheap (no line is read): a file refused here is never stored, so nothing of it
stays on disk or in the database. The full reading (`reader.check_spend_file`) still checks all
of it again when the import runs.
"""

from __future__ import annotations

import logging
import os
from typing import IO

from django.utils.translation import gettext as _

from .erp import refuse_dtds
from .errors import FileRejected
from .limits import ImportLimits
from .reader import ERP_XLSX, UBL_XML, UBL_ZIP, check_size, detect_format
from .safety import open_zip

# The names spend files are saved under by ERP systems, spreadsheets and e-invoice exports.
SPEND_SUFFIXES = (".csv", ".tsv", ".txt", ".xls", ".xlsx", ".xlsm", ".xml", ".zip")
MAX_NAME = 255  # SpendImport.original_name, and what file systems allow
# OWASP's formula characters: a spreadsheet program runs a cell that starts with one of them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

logger = logging.getLogger(__name__)
XML_HEAD = 16 * 1024  # a DTD comes before the root element, so within the first bytes


def screen_upload(handle: IO[bytes], name: str, limits: ImportLimits | None = None) -> str:
    """The format of an upload, or `FileRejected` with the reason, before anything is stored."""
    limits = limits or ImportLimits.from_settings()
    handle.seek(0, os.SEEK_END)
    check_size(handle.tell(), limits)
    handle.seek(0)
    head = handle.read(65536)
    handle.seek(0)
    try:
        kind = detect_format(head, name)
        if kind == UBL_XML and _declares_dtd(head[:XML_HEAD]):
            raise _dtd_refused(name)
        if kind in (ERP_XLSX, UBL_ZIP):
            _screen_archive(handle, kind, limits)
    finally:
        handle.seek(0)
    check_name(name)
    return kind


def check_name(name: str) -> None:
    """Refuse a file name a person would not give a spend file: path parts, control characters,
    a formula's first character, an excessive length, or the name of another kind of file."""
    if len(name) > MAX_NAME:
        raise FileRejected(
            _("The file name is longer than %(max)s characters. Give the file a shorter name.")
            % {"max": MAX_NAME}
        )
    if "/" in name or "\\" in name or name.strip(". ") == "" or not name.isprintable():
        raise FileRejected(
            _(
                "The file name contains folder parts or control characters. Give the file a plain name."
            )
        )
    if name.startswith(FORMULA_START):
        raise FileRejected(
            _(
                "The file name starts with “%(char)s”, which spreadsheet programs read as a formula. Rename the file."
            )
            % {"char": name[0]}
        )
    if not name.lower().endswith(SPEND_SUFFIXES):
        raise FileRejected(
            _(
                "The file name must end in .csv, .txt, .xlsx, .xml or .zip (the kinds of spend file the portal reads)."
            )
        )


def _declares_dtd(head: bytes) -> bool:
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _dtd_refused(name: str) -> FileRejected:
    return FileRejected(
        _(
            "%(name)s was refused: the XML contains a DTD or entity declarations (possibly external entities or entity expansion). E-invoices never need them."
        )
        % {"name": os.path.basename(name.replace("\\", "/"))[:100]}
    )


def _screen_archive(handle: IO[bytes], kind: str, limits: ImportLimits) -> None:
    """An archive's directory (bombs, encryption, too many files), its member names, and the
    first bytes of its XML parts (DTDs)."""
    archive = open_zip(handle, limits, kind="XLSX" if kind == ERP_XLSX else "ZIP")
    for info in archive.infolist():
        member = info.filename
        parts = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise FileRejected(
                _(
                    "The %(kind)s file was refused: “%(name)s” points outside the archive. Make the archive again from the files themselves."
                )
                % {"kind": "XLSX" if kind == ERP_XLSX else "ZIP", "name": member[:100]}
            )
    if kind == ERP_XLSX:
        refuse_dtds(archive)
        return
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith(".xml"):
            continue
        try:
            with archive.open(info) as member_file:
                head = member_file.read(XML_HEAD)
        except Exception as exc:  # a damaged member is reported by the import, file by file
            logger.info("ZIP member %r cannot be unpacked at upload: %r", info.filename, exc)
            continue
        if _declares_dtd(head):
            raise _dtd_refused(info.filename)
