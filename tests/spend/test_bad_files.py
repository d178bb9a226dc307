"""Bad and hostile files: each is answered with a clear Danish error and not one row is written."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from spend.importing import FileRejected, ImportLimits
from spend.models import SpendImport, SpendLine, Supplier, SupplierName

from .files import CVR_A, ROWS, csv_bytes, ubl, xlsx_bytes, zip_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&lol3;</ID></Invoice>"""


def row(**changes: str) -> list[str]:
    keys = ["date", "cvr", "name", "amount", "account", "number"]
    base = dict(zip(keys, ROWS[0], strict=True))
    base.update(changes)
    return [base[k] for k in keys]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("faktura.xml", "w") as member,
    ):
        for _ in range(40):
            member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def huge_sheet() -> bytes:
    """An XLSX whose sheet claims 1,048,576 rows × 16,384 columns."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes `<dimension … />` or `<dimension …/>` (with lxml installed).
                content = re.sub(
                    rb'<dimension ref="A1:F5"\s*/>', b'<dimension ref="A1:XFD1048576"/>', content
                )
                assert b"XFD1048576" in content
            target.writestr(info, content)
    return out.getvalue()


def xlsx_with_sheet(change: Callable[[bytes], bytes]) -> bytes:
    """A valid XLSX whose first sheet's XML is rewritten by `change`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info, content)
    return out.getvalue()


def xlsx_xxe() -> bytes:
    """A sheet that declares an external entity and uses it in a cell."""

    def change(content: bytes) -> bytes:
        doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        content = content.replace(b"<worksheet", doctype + b"<worksheet", 1)
        return content.replace(b"<v>", b"<v>&xxe;", 1)

    return xlsx_with_sheet(change)


def xlsx_bomb() -> bytes:
    """A sheet that unpacks to 60 MB of blanks from a few kilobytes."""
    return xlsx_with_sheet(
        lambda content: content.replace(b"</sheetData>", b" " * (60 << 20) + b"</sheetData>")
    )


def xlsx_truncated() -> bytes:
    data = xlsx_bytes()
    return data[: len(data) * 2 // 3]


def without_lines() -> bytes:
    data = ubl("invoice.xml")
    start, end = (
        data.index(b"<cac:InvoiceLine>"),
        data.rindex(b"</cac:InvoiceLine>") + len(b"</cac:InvoiceLine>"),
    )
    return data[:start] + data[end:]


def encrypted_zip() -> bytes:
    data = bytearray(zip_bytes({"faktura.xml": ubl("invoice.xml")}, zipfile.ZIP_STORED))
    # Set the "encrypted" flag in the local header and the central directory.
    data[6] |= 1
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 1
    return bytes(data)


# Words of the English messages openpyxl, zipfile, expat and Arrow raise.
ENGLISH = re.compile(
    r"\b(the|is|not|file|unable|could|error|found|expected|invalid|token|element|line \d)\b",
    re.IGNORECASE,
)


@dataclass
class Bad:
    id: str
    make: Callable[[], bytes]
    expect: str
    name: str = "udtraek.csv"
    options: dict | None = None
    limits: ImportLimits | None = None
    # Refused at upload, before anything is stored (its first bytes already tell).
    at_upload: bool = False


BAD_FILES = [
    Bad("utf-16", lambda: csv_bytes(encoding="utf-16"), "UTF-16"),
    Bad(
        "binary-png",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "ikke en forbrugsfil",
        at_upload=True,
    ),
    Bad(
        "not-cp1252",
        lambda: csv_bytes([row(name="Firma \x81")], encoding="latin-1"),
        "hverken UTF-8 eller Windows-1252",
    ),
    Bad(
        "bom-but-not-utf8",
        lambda: b"\xef\xbb\xbf" + csv_bytes(encoding="cp1252"),
        "BOM-tegn",
    ),
    Bad("empty", lambda: b"", "Filen er tom", at_upload=True),
    Bad("header-only", lambda: csv_bytes([]), "ingen linjer at indlæse"),
    Bad(
        "no-cvr-column",
        lambda: csv_bytes(
            header=["Bilagsdato", "Firma", "Kreditor", "Beløb ekskl. moms", "Konto", "Fakturanr"]
        ),
        "ingen kolonne til Leverandørens CVR-nummer",
    ),
    Bad(
        "no-amount-column",
        lambda: csv_bytes(
            header=["Bilagsdato", "CVR-nr.", "Kreditor", "Moms", "Konto", "Fakturanr"]
        ),
        "ingen kolonne til Beløb ekskl. moms",
    ),
    Bad(
        "mapping-names-missing-column",
        lambda: csv_bytes(),
        "Kolonnen »Netto« (til Beløb ekskl. moms) findes ikke",
        options={"mapping": {"amount": "Netto"}},
    ),
    Bad(
        "invalid-cvr",
        lambda: csv_bytes([row(cvr="12345678")]),
        "CVR-nummeret »12345678« er ikke gyldigt",
    ),
    Bad("missing-cvr", lambda: csv_bytes([row(cvr="")]), "CVR-nummer mangler"),
    Bad(
        "unreadable-amount",
        lambda: csv_bytes([row(amount="12,3,4")]),
        "kan ikke læses som et beløb",
    ),
    Bad("three-decimals", lambda: csv_bytes([row(amount="1,2345")]), "kan ikke læses som et beløb"),
    Bad("absurd-amount", lambda: csv_bytes([row(amount="9.000.000.000,00")]), "usandsynligt stort"),
    Bad(
        "negative-without-invoice-number",
        lambda: csv_bytes([row(amount="-500,00", number="")]),
        "negativt",
    ),
    Bad(
        "impossible-date",
        lambda: csv_bytes([row(date="31-02-2025")]),
        "Datoen »31-02-2025« kan ikke læses",
    ),
    Bad("future-date", lambda: csv_bytes([row(date="01-01-2030")]), "i fremtiden"),
    Bad("ancient-date", lambda: csv_bytes([row(date="01-01-1999")]), "før år 2000"),
    Bad(
        "outside-period",
        lambda: csv_bytes(),
        "uden for perioden",
        options={"period_start": __import__("datetime").date(2025, 1, 3)},
    ),
    Bad("duplicate-lines", lambda: csv_bytes([ROWS[0], ROWS[1], ROWS[0]]), "gentager linje 2"),
    Bad("short-line", lambda: csv_bytes([ROWS[0], ["03-01-2025", CVR_A]]), "Linjen har 2 kolonner"),
    Bad(
        "category-too-long",
        lambda: csv_bytes(
            [[*ROWS[0], "x" * 30]],
            header=[
                "Bilagsdato",
                "CVR-nr.",
                "Kreditor",
                "Beløb ekskl. moms",
                "Konto",
                "Fakturanr",
                "Kategori",
            ],
        ),
        "længere end 20 tegn",
    ),
    Bad("broken-xml", lambda: ubl("invoice.xml")[:2000], "ikke gyldig XML", name="faktura.xml"),
    Bad("xml-external-entity", lambda: XXE, "DTD", name="faktura.xml", at_upload=True),
    Bad("xml-billion-laughs", lambda: LAUGHS, "DTD", name="faktura.xml", at_upload=True),
    Bad(
        "xml-not-ubl",
        lambda: b"<?xml version='1.0'?><Order><ID>1</ID></Order>",
        "ikke en UBL-faktura",
        name="ordre.xml",
    ),
    Bad(
        "ubl-without-danish-cvr",
        lambda: ubl("peppol-invoice-complete.xml"),
        "intet dansk CVR-nummer",
        name="faktura.xml",
    ),
    Bad(
        "ubl-in-euro", lambda: ubl("peppol-invoice-dk.xml"), "kun danske kroner", name="faktura.xml"
    ),
    Bad("ubl-without-lines", without_lines, "ingen linjer", name="faktura.xml"),
    Bad("zip-bomb", zip_bomb, "zip-bombe", name="fakturaer.zip", at_upload=True),
    Bad(
        "zip-without-xml",
        lambda: zip_bytes({"readme.txt": b"hej"}),
        "ingen XML-filer",
        name="fakturaer.zip",
    ),
    Bad(
        "zip-with-hostile-xml",
        lambda: zip_bytes({"ok.xml": ubl("invoice.xml"), "evil.xml": XXE}),
        "DTD",
        name="fakturaer.zip",
        at_upload=True,
    ),
    Bad("zip-encrypted", encrypted_zip, "adgangskode", name="fakturaer.zip", at_upload=True),
    Bad(
        "zip-too-many-members",
        lambda: zip_bytes({f"f{i}.xml": b"<a/>" for i in range(12)}),
        "højst 10",
        name="fakturaer.zip",
        limits=ImportLimits(max_zip_members=10),
    ),
    Bad("xlsx-huge-sheet", huge_sheet, "Arket er for stort", name="udtraek.xlsx"),
    Bad(
        "xlsx-without-workbook",
        lambda: zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/x.xml": b"<a/>"}),
        "ingen projektmappe",
        name="udtraek.xlsx",
    ),
    Bad("xlsx-external-entity", xlsx_xxe, "DTD", name="udtraek.xlsx", at_upload=True),
    Bad("xlsx-bomb", xlsx_bomb, "zip-bombe", name="udtraek.xlsx", at_upload=True),
    Bad(
        "xlsx-truncated",
        xlsx_truncated,
        "XLSX-filen er beskadiget",
        name="udtraek.xlsx",
        at_upload=True,
    ),
    Bad(
        "zip-inside-zip",
        lambda: zip_bytes(
            {"ok.xml": ubl("invoice.xml"), "flere.zip": zip_bytes({"a.xml": ubl("invoice.xml")})}
        ),
        "ZIP-filer inde i en ZIP-fil indlæses ikke",
        name="fakturaer.zip",
    ),
    Bad(
        "old-xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        ".xls",
        name="udtraek.xls",
        at_upload=True,
    ),
    Bad("too-large", lambda: csv_bytes(), "højst 0 MB", limits=ImportLimits(max_bytes=100)),
    Bad(
        "too-many-rows",
        lambda: csv_bytes(ROWS * 3),
        "mere end 5 linjer",
        limits=ImportLimits(max_rows=5),
    ),
    Bad(
        "xlsx-too-many-rows",
        lambda: xlsx_bytes(ROWS * 3),
        "højst 5 linjer",
        name="udtraek.xlsx",
        limits=ImportLimits(max_rows=5),
    ),
]


def test_at_least_25_kinds_of_bad_file() -> None:
    assert len({bad.id for bad in BAD_FILES}) == len(BAD_FILES) >= 25


@pytest.mark.parametrize("bad", BAD_FILES, ids=[bad.id for bad in BAD_FILES])
def test_bad_file_is_rejected_whole_with_a_clear_error(cast, bad: Bad) -> None:
    if bad.at_upload:
        with pytest.raises(FileRejected) as refused:
            run_import(cast.odense, bad.make(), bad.name, limits=bad.limits)
        assert bad.expect in str(refused.value)
        assert not ENGLISH.search(str(refused.value))
        assert SpendImport.objects.count() == 0
        return
    spend_import = run_import(
        cast.odense, bad.make(), bad.name, limits=bad.limits, **(bad.options or {})
    )
    assert spend_import.status == SpendImport.Status.REJECTED
    reasons = " | ".join(e["reason"] for e in spend_import.errors)
    assert bad.expect in reasons
    # Danish through and through: no library's English text in the message.
    assert not ENGLISH.search(reasons), reasons
    assert spend_import.errors[0]["line"] >= 0
    assert SpendLine.objects.count() == 0
    assert Supplier.objects.count() == 0 and SupplierName.objects.count() == 0
