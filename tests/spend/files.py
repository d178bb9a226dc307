"""Builders for the spend files the tests import: ERP CSV/XLSX, UBL, ZIPs and hostile files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

DATA = Path(__file__).parent / "data"

HEADER = ["Bilagsdato", "CVR-nr.", "Kreditor", "Beløb ekskl. moms", "Konto", "Fakturanr"]
# Valid CVR numbers (modulus 11): the OIOUBL sample supplier and two more.
CVR_A, CVR_B, CVR_C = "16356700", "10000009", "30000005"

ROWS = [
    ["02-01-2025", CVR_A, "Tavleverandøren A/S", "12.500,00", "4410", "T-1001"],
    ["03-01-2025", CVR_B, "Kontorland ApS", "1.234,56", "4420", "K-77"],
    ["04-01-2025", CVR_B, "Kontorland", "-234,56", "4420", "K-78"],
    ["15-02-2025", CVR_C, "Rengøring Øst ApS", "999,95", "4430", "R-5"],
]


def csv_bytes(
    rows: list[list[str]] | None = None,
    *,
    header: list[str] | None = None,
    sep: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
) -> bytes:
    lines = [sep.join(header or HEADER)] + [sep.join(r) for r in (ROWS if rows is None else rows)]
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list[object]] | None = None, *, header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows if rows is not None else ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ubl(name: str) -> bytes:
    return (DATA / name).read_bytes()
