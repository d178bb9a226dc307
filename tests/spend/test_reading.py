"""Reading and validating spend files without a database: formats, encodings, Danish numbers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from spend.importing import FileRejected, ImportLimits, read_spend_file, validate_lines
from spend.importing.fields import recognise
from spend.importing.normalise import normalise_amount, normalise_date

from .files import CVR_A, HEADER, ROWS, csv_bytes, ubl, xlsx_bytes, zip_bytes

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def read(data: bytes, name: str = "fil.csv", **kwargs):
    parsed = read_spend_file(data, name=name, limits=ImportLimits(), **kwargs)
    checked = validate_lines(
        parsed.raw.table,
        limits=ImportLimits(),
        today=TODAY,
        prior_errors=parsed.raw.errors,
        total=parsed.raw.total,
    )
    return parsed, checked


@pytest.mark.parametrize(
    ("encoding", "bom", "sep", "newline"),
    [
        ("utf-8", False, ";", "\r\n"),
        ("utf-8", True, ";", "\n"),
        ("cp1252", False, ";", "\r\n"),
        ("latin-1", False, ",", "\n"),
        ("utf-8", False, "\t", "\n"),
    ],
)
def test_erp_csv_in_every_encoding_and_separator(encoding, bom, sep, newline) -> None:
    rows = [[c.replace(",", ",") for c in r] for r in ROWS]
    if sep == ",":
        # Comma-separated exports quote amounts with decimal commas.
        rows = [[f'"{c}"' if "," in c else c for c in r] for r in rows]
    parsed, checked = read(csv_bytes(rows, sep=sep, encoding=encoding, bom=bom, newline=newline))
    assert parsed.format == "erp_csv"
    assert checked.error_count == 0, checked.errors
    lines = checked.table.to_pylist()
    assert [line["amount"] for line in lines] == ["12500.00", "1234.56", "-234.56", "999.95"]
    assert [line["invoice_date"] for line in lines] == [
        "2025-01-02",
        "2025-01-03",
        "2025-01-04",
        "2025-02-15",
    ]
    assert lines[3]["supplier_name"] == "Rengøring Øst ApS"
    assert [line["line"] for line in lines] == [2, 3, 4, 5]


def test_cp1252_specific_characters_are_read() -> None:
    rows = [["02-01-2025", CVR_A, "Tavle – Leverandøren €", "100,00", "4410", "F1"]]
    _parsed, checked = read(csv_bytes(rows, encoding="cp1252"))
    assert checked.table.to_pylist()[0]["supplier_name"] == "Tavle – Leverandøren €"


def test_erp_xlsx_with_dates_numbers_and_text() -> None:
    rows = [
        [datetime.datetime(2025, 1, 2), int(CVR_A), "Tavleverandøren", 12500.0, 4410, "T-1"],
        ["03-01-2025", CVR_A, "Tavleverandøren", "1.234,56", "4410", "T-2"],
        [datetime.date(2025, 1, 4), CVR_A, "Tavleverandøren", 99.999, "4410", "T-3"],
    ]
    parsed, checked = read(xlsx_bytes(rows), name="udtraek.xlsx")
    assert parsed.format == "erp_xlsx"
    assert checked.error_count == 0, checked.errors
    assert [r["amount"] for r in checked.table.to_pylist()] == ["12500", "1234.56", "100.00"]
    assert [r["invoice_date"] for r in checked.table.to_pylist()] == [
        "2025-01-02",
        "2025-01-03",
        "2025-01-04",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1234,5", "1234.5"),
        ("-1.234,56", "-1234.56"),
        ("1.234,56-", "-1234.56"),
        ("(75,00)", "-75.00"),
        ("1 234,56", "1234.56"),
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("1234.56", "1234.56"),
        ("kr. 10,00", "10.00"),
        ("12", "12"),
    ],
)
def test_danish_amounts(raw: str, expected: str) -> None:
    import pyarrow as pa

    values, ok = normalise_amount(pa.chunked_array([[raw]]))
    assert ok[0] and values.to_pylist()[0] == expected


@pytest.mark.parametrize("raw", ["12,3,4", "abc", "1,234", "", "--5", "1.2.3,4,5"])
def test_unreadable_amounts(raw: str) -> None:
    import pyarrow as pa

    _values, ok = normalise_amount(pa.chunked_array([[raw]]))
    assert not ok[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31-01-2025", "2025-01-31"),
        ("1-2-2025", "2025-02-01"),
        ("31.01.2025", "2025-01-31"),
        ("31/01/25", "2025-01-31"),
        ("2025-01-31", "2025-01-31"),
        ("2025-01-31 00:00:00", "2025-01-31"),
        ("20250131", "2025-01-31"),
    ],
)
def test_danish_and_iso_dates(raw: str, expected: str) -> None:
    import pyarrow as pa

    text, _dates, ok = normalise_date(pa.chunked_array([[raw]]))
    assert ok[0] and text.to_pylist()[0] == expected


@pytest.mark.parametrize("raw", ["31-02-2025", "2025-13-01", "i går", "01-01"])
def test_impossible_dates(raw: str) -> None:
    import pyarrow as pa

    _text, _dates, ok = normalise_date(pa.chunked_array([[raw]]))
    assert not ok[0]


def test_common_danish_headers_are_recognised() -> None:
    headers = [
        "Bogføringsdato",
        "Leverandør CVR-nr.",
        "Leverandørnavn",
        "Beløb ekskl. moms",
        "Artskonto",
        "UNSPSC",
        "Fakturanummer",
    ]
    assert recognise(headers) == {
        "invoice_date": 0, "supplier_cvr": 1, "supplier_name": 2, "amount": 3, "account": 4,
        "category": 5, "invoice_number": 6,
    }  # fmt: skip


def test_a_mapping_names_columns_of_any_erp() -> None:
    header = ["Dato (bogf.)", "Lev.nr", "Lev.navn", "Netto", "Konto"]
    rows = [["02-01-2025", CVR_A, "Tavleverandøren", "10,00", "4410"]]
    with pytest.raises(FileRejected, match="ingen kolonne"):
        read(csv_bytes(rows, header=header))
    mapping = {
        "invoice_date": "Dato (bogf.)",
        "supplier_cvr": "Lev.nr",
        "supplier_name": "Lev.navn",
        "amount": "Netto",
    }
    _parsed, checked = read(csv_bytes(rows, header=header), mapping=mapping, strict_mapping=True)
    assert checked.valid == 1


def test_oioubl_invoice_uses_line_extension_amounts_not_tax_exclusive_amount() -> None:
    parsed, checked = read(ubl("invoice.xml"), name="invoice.xml")
    assert parsed.format == "ubl_xml"
    lines = checked.table.to_pylist()
    # TaxExclusiveAmount holds the VAT (1262.50) in OIOUBL; the lines hold 5000 + 50 ex. VAT.
    assert [line["amount"] for line in lines] == ["5000.00", "50.00"]
    assert {line["supplier_cvr"] for line in lines} == {"16356700"}
    assert lines[0]["invoice_number"] == "A00095678"
    assert lines[0]["account"] == "5250124502"


def test_oioubl_credit_note_counts_negative() -> None:
    _parsed, checked = read(ubl("credit-note.xml"), name="credit-note.xml")
    assert [line["amount"] for line in checked.table.to_pylist()] == ["-5000.00", "-50.00"]


def test_peppol_cvr_from_scheme_0184_and_classification_codes() -> None:
    _parsed, checked = read(ubl("peppol-invoice-dk-dkk-classified.xml"), name="x.xml")
    lines = checked.table.to_pylist()
    assert [line["supplier_cvr"] for line in lines] == ["10000009", "10000009"]
    assert lines[0]["cpv8"] == "30192000" and lines[0]["category"] == "30192000-1"
    assert lines[1]["cpv8"] == "" and lines[1]["category"] == "44103103"  # UNSPSC (TST)
    assert [line["amount"] for line in lines] == ["88.00", "12.50"]


@pytest.mark.parametrize(
    ("name", "valid", "reason"),
    [
        ("invoice.xml", 2, ""),
        ("credit-note.xml", 2, ""),
        ("nemkonto.xml", 2, ""),
        ("dk-bank.xml", 2, ""),
        ("peppol-invoice-dk-dkk-classified.xml", 2, ""),
        ("peppol-BIS3_Invoice_positive.XML", 0, "CVR-nummeret »12345678« er ikke gyldigt"),
        ("peppol-BIS3_Invoice_negativ.XML", 0, "CVR-nummeret »12345678« er ikke gyldigt"),
        ("peppol-invoice-dk.xml", 0, "kun danske kroner"),
        ("peppol-invoice-complete.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-invoice-multi-line.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-invoice-with-charges.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-invoice-with-contract-ref.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-invoice-corrective.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-credit-note.xml", 0, "intet dansk CVR-nummer"),
        ("peppol-credit-note-peppol.xml", 0, "intet dansk CVR-nummer"),
        ("en16931-ubl-tc434-example1.xml", 0, "intet dansk CVR-nummer"),
        ("en16931-ubl-tc434-example5.xml", 0, "intet dansk CVR-nummer"),
        ("en16931-ubl-tc434-creditnote1.xml", 0, "intet dansk CVR-nummer"),
        ("en16931-guide-example2.xml", 0, "intet dansk CVR-nummer"),
        ("en16931-guide-example3.xml", 0, "intet dansk CVR-nummer"),
    ],
)
def test_every_shared_ubl_file_is_read_or_answered_clearly(
    name: str, valid: int, reason: str
) -> None:
    _parsed, checked = read(ubl(name), name=name)
    assert checked.valid == valid
    if reason:
        assert checked.errors and reason in checked.errors[0].reason, checked.errors
    else:
        assert not checked.errors


def test_zip_of_invoices_and_credit_notes() -> None:
    data = zip_bytes(
        {
            "a/invoice.xml": ubl("invoice.xml"),
            "credit-note.xml": ubl("credit-note.xml"),
            "readme.txt": b"hi",
        }
    )
    parsed, checked = read(data, name="fakturaer.zip")
    assert parsed.format == "ubl_zip"
    assert sorted(float(line["amount"]) for line in checked.table.to_pylist()) == [
        -5000,
        -50,
        50,
        5000,
    ]
    assert {line["source"] for line in checked.table.to_pylist()} == {
        "a/invoice.xml",
        "credit-note.xml",
    }


def test_error_lines_name_the_file_line() -> None:
    rows = [*ROWS, ["05-01-2025", "12345678", "X", "1,00", "4410", "X1"]]
    _parsed, checked = read(csv_bytes(rows))
    assert [e.line for e in checked.errors] == [6]
    assert checked.errors[0].reason.startswith("CVR-nummeret »12345678« er ikke gyldigt")
    assert checked.valid == 4 and checked.total == 5


def test_blank_lines_are_skipped_and_line_numbers_stay_true() -> None:
    data = (
        csv_bytes([ROWS[0]])
        + b"\r\n;;;;;\r\n"
        + ";".join(["05-01-2025", "99", "X", "1", "1", "1"]).encode()
        + b"\r\n"
    )
    _parsed, checked = read(data)
    # Line 1 header, 2 data, 3 empty, 4 only separators, 5 the bad line.
    assert [e.line for e in checked.errors] == [5]
    assert checked.valid == 1 and checked.total == 2


def test_a_short_line_is_an_error_with_its_line_number() -> None:
    data = csv_bytes([ROWS[0], ["03-01-2025", CVR_A, "kort"], ROWS[1]])
    _parsed, checked = read(data)
    assert [e.line for e in checked.errors] == [3]
    assert "Linjen har 3 kolonner; overskriften har 6" in checked.errors[0].reason
    assert checked.valid == 2 and checked.total == 3


def test_duplicates_are_found_across_chunks_of_a_large_file() -> None:
    import numpy as np
    import pyarrow as pa

    from spend.importing.table import raw_table

    row = {
        "supplier_cvr": CVR_A,
        "amount": "1,00",
        "invoice_date": "01-01-2025",
        "invoice_number": "F1",
    }

    def chunk(values: dict, lines: list[int]) -> pa.Table:
        return raw_table(
            {k: pa.array([v] * len(lines)) for k, v in values.items()}, np.array(lines)
        )

    table = pa.concat_tables(
        [chunk(row, [2]), chunk({**row, "amount": "2,00"}, [3]), chunk(row, [4])]
    )
    checked = validate_lines(table, limits=ImportLimits(), today=TODAY)
    assert checked.valid == 2
    assert [(e.line, e.reason[:26]) for e in checked.errors] == [(4, "Linjen gentager linje 2 nø")]


@pytest.mark.parametrize(
    ("header", "mapping", "cpv8"),
    [
        ("UNSPSC", None, ""),
        ("UNSPSC-kode", None, ""),
        ("Varegruppe (UNSPSC)", {"category": "Varegruppe (UNSPSC)"}, ""),
        ("CPV-kode", None, "30192000"),
        ("Kategori", None, "30192000"),
    ],
)
def test_category_codes_follow_the_scheme_the_column_names(header, mapping, cpv8) -> None:
    """An 8-digit UNSPSC code looks like a CPV code; only the column says which it is."""
    rows = [[*ROWS[0], "30192000"]]
    for data, name in (
        (csv_bytes(rows, header=[*HEADER, header]), "fil.csv"),
        (xlsx_bytes(rows, header=[*HEADER, header]), "fil.xlsx"),
    ):
        _parsed, checked = read(data, name=name, mapping=mapping)
        line = checked.table.to_pylist()[0]
        assert (line["category"], line["cpv8"]) == ("30192000", cpv8), name


NESTED_ZIP = "ZIP-filer inde i en ZIP-fil indlæses ikke"


def test_a_zip_inside_the_zip_is_an_error_for_that_file() -> None:
    inner = zip_bytes({"invoice.xml": ubl("invoice.xml")})
    data = zip_bytes({"credit-note.xml": ubl("credit-note.xml"), "mere/fakturaer.zip": inner})
    _parsed, checked = read(data, name="fakturaer.zip")
    assert checked.valid == 2
    assert [(e.file, e.line) for e in checked.errors] == [("mere/fakturaer.zip", 0)]
    assert NESTED_ZIP in checked.errors[0].reason


def test_a_zip_of_zips_only_is_refused() -> None:
    data = zip_bytes({"fakturaer.zip": zip_bytes({"invoice.xml": ubl("invoice.xml")})})
    with pytest.raises(FileRejected) as caught:
        read(data, name="fakturaer.zip")
    assert NESTED_ZIP in caught.value.reason


def test_csv_with_old_mac_line_ends_is_read() -> None:
    _parsed, checked = read(csv_bytes(newline="\r"))
    assert checked.valid == 4 and not checked.errors


def test_csv_parser_errors_are_told_in_danish_and_logged(monkeypatch, caplog) -> None:
    import pyarrow as pa

    from spend.importing import erp

    def broken(*args, **kwargs):
        raise pa.ArrowInvalid("CSV parse error: Expected 6 columns, got 9: 02-01-2025;…")

    monkeypatch.setattr(erp.pv, "read_csv", broken)
    with pytest.raises(FileRejected) as caught:
        read(csv_bytes())
    assert caught.value.reason.startswith("CSV-filen kan ikke læses")
    assert "Expected" not in caught.value.reason and "parse error" not in caught.value.reason
    assert "Expected 6 columns" in caplog.text


def check_csv(data: bytes, **limits):
    """Read and check a CSV as an import does: from a file handle, a block of lines at a time."""
    import io

    from spend.importing.reader import check_spend_file

    return check_spend_file(
        io.BytesIO(data),
        name="fil.csv",
        mapping=None,
        strict_mapping=False,
        limits=ImportLimits(**limits),
        today=TODAY,
    )


def mixed_csv(newline: str, encoding: str, bom: bool = False) -> bytes:
    """Forty lines with every kind of trouble, the same line repeated far from its first."""
    rows = []
    for i in range(40):
        day = f"{1 + i % 28:02d}-01-2025"
        rows.append([day, CVR_A, f"Leverandør – {i} €", f"{i + 1}.000,50", "4410", f"F{i}"])
    rows[5] = []  # an empty line
    rows[9] = [""] * 6  # only separators
    rows[14] = ["03-01-2025", CVR_A, "kort"]  # too few columns
    rows[20][1] = "12345678"  # not a valid CVR
    rows[33] = list(rows[2])  # repeats the line 4
    rows[33][3] = "3000,5"  # the same amount written another way
    return csv_bytes(rows, newline=newline, encoding=encoding, bom=bom)


@pytest.mark.parametrize(
    ("newline", "encoding", "bom"),
    [("\r\n", "cp1252", False), ("\n", "utf-8", True), ("\r", "utf-8", False)],
)
def test_a_csv_read_in_small_blocks_keeps_its_line_numbers_and_finds_repeats_across_blocks(
    monkeypatch, newline, encoding, bom
) -> None:
    from spend.importing import erp

    data = mixed_csv(newline, encoding, bom)
    whole = check_csv(data)  # one block
    monkeypatch.setattr(erp, "BLOCK_BYTES", 100)  # about two lines a block
    blocks = check_csv(data)
    for checked in (whole.lines, blocks.lines):
        # Line 1 is the header; the rows start at line 2.
        assert [e.line for e in checked.errors] == [16, 22, 35]
        assert "Linjen har 3 kolonner" in checked.errors[0].reason
        assert "CVR-nummeret »12345678«" in checked.errors[1].reason
        assert "gentager linje 4" in checked.errors[2].reason
        assert checked.valid == 35 and checked.total == 38 and checked.error_count == 3
        assert (checked.first_date, checked.last_date) == (
            datetime.date(2025, 1, 1),
            datetime.date(2025, 1, 28),
        )
    assert blocks.lines.table.to_pylist() == whole.lines.table.to_pylist()
    assert blocks.lines.table.to_pylist()[-1]["supplier_name"] == "Leverandør – 39 €"
    assert blocks.encoding == whole.encoding == ("utf-8-sig" if bom else encoding)


def test_a_bad_byte_late_in_a_large_file_rejects_it_with_its_position(monkeypatch) -> None:
    from spend.importing import erp

    monkeypatch.setattr(erp, "BLOCK_BYTES", 100)
    data = mixed_csv("\r\n", "cp1252")
    position = len(data)
    data += b"05-01-2025;16356700;Firma \x81;1,00;4410;X\r\n"
    with pytest.raises(FileRejected) as caught:
        check_csv(data)
    assert "byte 0x81 på position" in caught.value.reason
    assert str(position + len(b"05-01-2025;16356700;Firma ")) in caught.value.reason


def test_a_csv_line_longer_than_a_block_is_refused(monkeypatch) -> None:
    from spend.importing import erp

    monkeypatch.setattr(erp, "BLOCK_BYTES", 100)
    data = csv_bytes([ROWS[0], ["02-01-2025", CVR_A, "x" * 500, "1,00", "4410", "F1"]])
    with pytest.raises(FileRejected) as caught:
        check_csv(data)
    assert caught.value.reason.startswith("CSV-filen kan ikke læses")


def test_an_imported_csv_is_read_from_its_file_a_chunk_at_a_time(monkeypatch) -> None:
    """Never the whole file at once: a large export held whole (and again as UTF-8) was most of
    an import's peak memory."""
    import io

    from spend.importing import erp, text
    from spend.importing.reader import check_spend_file

    monkeypatch.setattr(text, "CHUNK", 256)
    monkeypatch.setattr(erp, "BLOCK_BYTES", 256)
    monkeypatch.setattr(erp, "HEADER_BYTES", 256)
    data = mixed_csv("\r\n", "cp1252")  # about 2 KB
    sizes: list[int] = []

    class Recorded(io.BytesIO):
        def read(self, size=-1):
            sizes.append(size)
            return super().read(size)

    checked = check_spend_file(
        Recorded(data),
        name="fil.csv",
        mapping=None,
        strict_mapping=False,
        limits=ImportLimits(),
        today=TODAY,
    ).lines
    assert checked.valid == 35
    # The heads that tell the format and the encoding (64 KB at most), then chunks.
    assert all(0 < size <= 65536 for size in sizes), sizes
    assert sizes.count(256) >= 2 * (len(data) // 256), sizes
