"""E-invoices as spend lines: allowances and charges, the supplier's CVR, classifications.

Real public examples (tests/spend/data, see SOURCES.md) and variants of them made here, each
change spelt out, so what a test asserts can be checked against the file it names.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring
from django.db.models import Sum
from django.utils import translation

from spend.importing import ImportLimits, read_spend_file, validate_lines
from spend.importing.einvoice import NS, allowances_and_charges, invoice_lines, stated_total, text
from spend.importing.ubl import ROOTS
from spend.models import SpendImport, SpendLine

from .files import CVR_A, CVR_B, DATA, csv_bytes, ubl, zip_bytes
from .helpers import run_import

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def changed(data: bytes, *pairs: tuple[str, str], count: int = 1) -> bytes:
    """The file with each `old` text (found exactly `count` times) replaced by `new`."""
    text = data.decode()
    for old, new in pairs:
        assert text.count(old) == count, (old, text.count(old))
        text = text.replace(old, new)
    return text.encode()


def read(data: bytes, name: str = "faktura.xml"):
    parsed = read_spend_file(data, name=name, limits=ImportLimits())
    return validate_lines(
        parsed.raw.table,
        limits=ImportLimits(),
        today=TODAY,
        prior_errors=parsed.raw.errors,
        total=parsed.raw.total,
    )


def amounts(checked) -> list[str]:
    return [line["amount"] for line in checked.table.to_pylist()]


def total(checked) -> Decimal:
    return sum((Decimal(a) for a in amounts(checked)), Decimal(0))


# --- Variants of real examples -----------------------------------------------------------------

# The OIOUBL sample supplier's CVR, valid (modulus 11), in place of the EN 16931 examples'
# supplier ids: "DK16356706" in guide-example3 fails the CVR check digit and has no scheme.
GUIDE3_LEGAL = (
    "<cbc:RegistrationName>SubscriptionSeller</cbc:RegistrationName>\n"
    "                <cbc:CompanyID>DK16356706</cbc:CompanyID>"
)


def guide3_with_cvr() -> bytes:
    """guide-example3 (DKK, two lines of 400 kr., a 100 kr. freight charge, TaxExclusiveAmount
    900 kr.) with its supplier's legal entity id given PEPPOL's CVR scheme 0184 (DK-R-014)."""
    return changed(
        ubl("en16931-guide-example3.xml"),
        (
            GUIDE3_LEGAL,
            GUIDE3_LEGAL.replace(
                "<cbc:CompanyID>DK16356706", f'<cbc:CompanyID schemeID="0184">DK{CVR_A}'
            ),
        ),
    )


def example5_with_cvr() -> bytes:
    """EN 16931 example 5 (DKK, a 150 kr. allowance and a 150 kr. charge at document level),
    its supplier identified by a CVR with scheme 0184 in place of its GLN."""
    return changed(
        ubl("en16931-ubl-tc434-example5.xml"),
        (
            '<cbc:ID schemeID="0088">5790000436101</cbc:ID>',
            f'<cbc:ID schemeID="0184">DK{CVR_A}</cbc:ID>',
        ),
    )


OIOUBL_ALLOWANCE = """  <cac:AllowanceCharge>
    <cbc:ID>1</cbc:ID>
    <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
    <cbc:AllowanceChargeReason>Rabat</cbc:AllowanceChargeReason>
    <cbc:MultiplierFactorNumeric>1</cbc:MultiplierFactorNumeric>
    <cbc:SequenceNumeric>1</cbc:SequenceNumeric>
    <cbc:Amount currencyID="DKK">{amount}</cbc:Amount>
  </cac:AllowanceCharge>
  <cac:TaxTotal>"""


def oioubl_with_discount(amount: str = "505.00", allowance_total: bool = True) -> bytes:
    """The OIOUBL sample invoice (lines 5000 + 50 kr.) with a document discount; its
    TaxExclusiveAmount (OIOUBL: the VAT) and the other totals adjusted to match."""
    lines = Decimal("5050.00")
    net = lines - Decimal(amount)
    vat = (net / 4).quantize(Decimal("0.01"))
    totals = f'<cbc:LineExtensionAmount currencyID="DKK">{lines}</cbc:LineExtensionAmount>\n'
    if allowance_total:
        totals += (
            f'    <cbc:AllowanceTotalAmount currencyID="DKK">{amount}</cbc:AllowanceTotalAmount>\n'
        )
    return changed(
        ubl("invoice.xml"),
        ("  <cac:TaxTotal>\n    <cbc:TaxAmount", OIOUBL_ALLOWANCE.format(amount=amount) + "\n    <cbc:TaxAmount"),
        (
            '<cbc:LineExtensionAmount currencyID="DKK">5050.00</cbc:LineExtensionAmount>\n'
            '    <cbc:TaxExclusiveAmount currencyID="DKK">1262.50</cbc:TaxExclusiveAmount>\n'
            '    <cbc:TaxInclusiveAmount currencyID="DKK">6312.50</cbc:TaxInclusiveAmount>\n'
            '    <cbc:PayableAmount currencyID="DKK">6312.50</cbc:PayableAmount>',
            totals
            + f'    <cbc:TaxExclusiveAmount currencyID="DKK">{vat}</cbc:TaxExclusiveAmount>\n'
            f'    <cbc:TaxInclusiveAmount currencyID="DKK">{net + vat}</cbc:TaxInclusiveAmount>\n'
            f'    <cbc:PayableAmount currencyID="DKK">{net + vat}</cbc:PayableAmount>',
        ),
    )  # fmt: skip


def peppol_classified_with_charge(charge: str = "20.00", *, single_category: bool = False) -> bytes:
    """The derived PEPPOL invoice (line 1 CPV 30192000-1, line 2 UNSPSC 44103103; 100.50 kr.)
    with a document charge; with `single_category`, line 2 is classified as line 1 is."""
    data = changed(
        ubl("peppol-invoice-dk-dkk-classified.xml"),
        (
            "  <cac:TaxTotal>",
            "  <cac:AllowanceCharge>\n"
            "    <cbc:ChargeIndicator>true</cbc:ChargeIndicator>\n"
            "    <cbc:AllowanceChargeReason>Fragt</cbc:AllowanceChargeReason>\n"
            f'    <cbc:Amount currencyID="DKK">{charge}</cbc:Amount>\n'
            "  </cac:AllowanceCharge>\n  <cac:TaxTotal>",
        ),
        (
            '<cbc:TaxExclusiveAmount currencyID="DKK">100.50</cbc:TaxExclusiveAmount>',
            f'<cbc:TaxExclusiveAmount currencyID="DKK">{Decimal("100.50") + Decimal(charge)}'
            "</cbc:TaxExclusiveAmount>",
        ),
    )
    if single_category:
        data = changed(
            data,
            (
                '<cbc:ItemClassificationCode listID="TST">44103103</cbc:ItemClassificationCode>',
                '<cbc:ItemClassificationCode listID="STI">30192000-1</cbc:ItemClassificationCode>',
            ),
        )
    return data


# --- 1. Allowances and charges at document level ------------------------------------------------


def test_a_document_charge_is_a_line_and_the_invoice_adds_up_to_its_tax_exclusive_amount() -> None:
    checked = read(guide3_with_cvr())
    assert not checked.errors
    assert amounts(checked) == ["400.00", "400.00", "100.00"]
    assert total(checked) == Decimal("900.00")  # LegalMonetaryTotal/TaxExclusiveAmount
    assert {line["supplier_cvr"] for line in checked.table.to_pylist()} == {CVR_A}
    keys = [line["line_key"] for line in checked.table.to_pylist()]
    assert keys == ["invoice:TOSL108:1", "invoice:TOSL108:2", "invoice:TOSL108:allowance-charge:1"]


def test_an_invoice_with_a_document_charge_imports_to_its_tax_exclusive_amount(cast) -> None:
    spend_import = run_import(cast.odense, guide3_with_cvr(), "faktura.xml")
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors
    lines = SpendLine.objects.filter(member=cast.odense)
    assert lines.aggregate(total=Sum("amount"))["total"] == Decimal("900.00")
    assert {line.supplier.cvr for line in lines} == {CVR_A}
    # Imported again, alone or in a ZIP: nothing new, the charge line included.
    assert run_import(cast.odense, guide3_with_cvr(), "faktura.xml").lines_new == 0
    zipped = run_import(cast.odense, zip_bytes({"f.xml": guide3_with_cvr()}), "fakturaer.zip")
    assert (zipped.lines_new, zipped.lines_existing) == (0, 3)
    assert lines.count() == 3


def test_document_allowances_are_negative_and_charges_positive() -> None:
    checked = read(example5_with_cvr())
    assert not checked.errors
    # Lines 1000 + 500 + 2500 (each net of its own line allowances and charges), then the
    # document's allowance of 150 and charge of 150: TaxExclusiveAmount 4000.
    assert amounts(checked)[-2:] == ["-150.00", "150.00"]
    assert total(checked) == Decimal("4000.00")


@pytest.mark.parametrize(("allowance", "charge"), [("false", "true"), ("0", "1")])
def test_charge_indicator_is_read_as_xml_boolean(allowance: str, charge: str) -> None:
    data = example5_with_cvr()
    for old, new, count in ((b">false<", allowance, 3), (b">true<", charge, 2)):
        tag = b"<cbc:ChargeIndicator>%s</cbc:ChargeIndicator>"
        assert data.count(tag % old[1:-1]) == count  # at document level and on the lines
        data = data.replace(tag % old[1:-1], tag % new.encode())
    assert amounts(read(data))[-2:] == ["-150.00", "150.00"]


def test_an_oioubl_document_discount_lowers_the_amount_ex_vat() -> None:
    # OIOUBL's TaxExclusiveAmount is the VAT; the amount ex. VAT is the lines less the discount.
    checked = read(oioubl_with_discount("505.00"))
    assert not checked.errors
    assert amounts(checked) == ["5000.00", "50.00", "-505.00"]
    assert total(checked) == Decimal("4545.00")
    # Without AllowanceTotalAmount, the allowances themselves are the total to check.
    assert total(read(oioubl_with_discount("505.00", allowance_total=False))) == Decimal("4545.00")


def test_a_credit_note_with_a_document_charge_stays_negative(cast) -> None:
    note = changed(
        ubl("credit-note.xml"),
        (
            "  <cac:TaxTotal>\n    <cbc:TaxAmount",
            OIOUBL_ALLOWANCE.format(amount="25.00").replace(">false<", ">true<")
            + "\n    <cbc:TaxAmount",
        ),
        (
            '<cbc:LineExtensionAmount currencyID="DKK">5050.00</cbc:LineExtensionAmount>\n',
            '<cbc:LineExtensionAmount currencyID="DKK">5050.00</cbc:LineExtensionAmount>\n'
            '    <cbc:ChargeTotalAmount currencyID="DKK">25.00</cbc:ChargeTotalAmount>\n',
        ),
    )
    checked = read(note)
    assert not checked.errors
    assert amounts(checked) == ["-5000.00", "-50.00", "-25.00"]
    spend_import = run_import(cast.odense, note, "kreditnota.xml")
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors
    assert SpendLine.objects.aggregate(total=Sum("amount"))["total"] == Decimal("-5075.00")


def test_a_negative_invoice_stays_as_signed() -> None:
    # The real BIS 3 negative invoice, its supplier's CVR (DK12345678, a failing check digit)
    # replaced by a valid one everywhere it appears.
    data = changed(ubl("peppol-BIS3_Invoice_negativ.XML"), ("DK12345678", f"DK{CVR_A}"), count=4)
    checked = read(data)
    assert not checked.errors
    assert amounts(checked) == ["-625743.54"]


def test_lines_that_do_not_add_up_to_the_stated_total_are_refused_with_both_amounts() -> None:
    data = changed(
        guide3_with_cvr(),
        (
            '<cbc:TaxExclusiveAmount currencyID="DKK">900.00</cbc:TaxExclusiveAmount>',
            '<cbc:TaxExclusiveAmount currencyID="DKK">1000.00</cbc:TaxExclusiveAmount>',
        ),
    )
    checked = read(data)
    assert checked.valid == 0 and checked.error_count == 3
    reason = checked.errors[0].reason
    assert "giver tilsammen 900,00 kr." in reason and "1.000,00 kr. ekskl. moms" in reason
    assert "TaxExclusiveAmount" in reason


def test_an_allowance_or_charge_that_does_not_say_which_it_is_is_an_error() -> None:
    data = changed(
        peppol_classified_with_charge(),
        ("<cbc:ChargeIndicator>true</cbc:ChargeIndicator>", "<cbc:ChargeIndicator>ja</cbc:ChargeIndicator>"),
    )  # fmt: skip
    checked = read(data)
    assert amounts(checked) == ["88.00", "12.50"]
    assert [(e.line, e.reason) for e in checked.errors] == [
        (
            3,
            "Bilag DK-DKK-0001: Rabatten eller gebyret for hele fakturaen har intet læsbart "
            "Amount eller ChargeIndicator.",
        )
    ]


def test_a_document_charge_takes_the_category_only_of_a_single_category_invoice() -> None:
    mixed = read(peppol_classified_with_charge()).table.to_pylist()
    assert [(line["cpv8"], line["category"]) for line in mixed] == [
        ("30192000", "30192000-1"),
        ("", "44103103"),
        ("", ""),  # the charge: the invoice has two categories, so none
    ]
    single = read(peppol_classified_with_charge(single_category=True)).table.to_pylist()
    assert [line["cpv8"] for line in single] == ["30192000"] * 3
    assert single[2]["amount"] == "20.00"


# --- Foreign currency ---------------------------------------------------------------------------


def test_a_line_in_another_currency_is_refused_never_added_to_kroner(cast) -> None:
    data = changed(
        ubl("peppol-invoice-dk-dkk-classified.xml"),
        (
            '<cbc:LineExtensionAmount currencyID="DKK">12.50</cbc:LineExtensionAmount>',
            '<cbc:LineExtensionAmount currencyID="EUR">12.50</cbc:LineExtensionAmount>',
        ),
    )
    checked = read(data)
    assert amounts(checked) == ["88.00"]
    assert [(e.line, e.reason) for e in checked.errors] == [
        (2, "Bilag DK-DKK-0001: Beløbet er i EUR; kun danske kroner (DKK) kan indlæses.")
    ]
    # All or nothing: the file is refused; only when asked are the kroner lines imported.
    assert run_import(cast.odense, data, "f.xml").status == SpendImport.Status.REJECTED
    assert not SpendLine.objects.exists()
    run_import(cast.odense, data, "f.xml", valid_only=True)
    assert list(SpendLine.objects.values_list("amount", flat=True)) == [Decimal("88.00")]


def test_a_document_charge_in_another_currency_is_refused() -> None:
    data = changed(
        peppol_classified_with_charge(),
        ('<cbc:Amount currencyID="DKK">20.00</cbc:Amount>', '<cbc:Amount currencyID="EUR">20.00</cbc:Amount>'),
    )  # fmt: skip
    checked = read(data)
    assert amounts(checked) == ["88.00", "12.50"]
    assert [e.line for e in checked.errors] == [3]
    assert "Beløbet er i EUR" in checked.errors[0].reason


def test_a_real_invoice_in_norwegian_kroner_is_refused_line_by_line() -> None:
    # guide-example2 (NOK, with document allowances and charges), its supplier given a CVR
    # in place of its GLN so that the currency is what stops it.
    data = changed(
        ubl("en16931-guide-example2.xml"),
        ('<cbc:ID schemeID="0088">1238764941386</cbc:ID>', f'<cbc:ID schemeID="0184">{CVR_A}</cbc:ID>'),
    )  # fmt: skip
    checked = read(data)
    assert checked.valid == 0 and checked.error_count > 5
    assert {e.reason.split(": ", 1)[1] for e in checked.errors} == {
        "Beløbet er i NOK; kun danske kroner (DKK) kan indlæses."
    }


# --- 2. The supplier's CVR ----------------------------------------------------------------------


def test_the_legal_entity_cvr_comes_first_and_a_dk_prefix_is_dropped() -> None:
    # The endpoint is a GLN (0088), the legal entity a CVR (0184), written "DK…".
    checked = read(guide3_with_cvr())
    assert {line["supplier_cvr"] for line in checked.table.to_pylist()} == {CVR_A}


def test_a_party_identification_with_scheme_0184_is_the_last_resort() -> None:
    checked = read(example5_with_cvr())
    assert {line["supplier_cvr"] for line in checked.table.to_pylist()} == {CVR_A}


def test_disagreeing_cvr_numbers_are_an_error_not_a_silent_choice() -> None:
    # The legal entity says one CVR, the endpoint another.
    data = changed(
        ubl("peppol-invoice-dk-dkk-classified.xml"),
        ('<cbc:EndpointID schemeID="0184">10000009<', f'<cbc:EndpointID schemeID="0184">DK{CVR_A}<'),
    )  # fmt: skip
    checked = read(data)
    assert checked.valid == 0 and checked.error_count == 2
    assert checked.errors[0].reason == (
        "Bilag DK-DKK-0001: Leverandørens CVR-numre i fakturaen er forskellige "
        f"({CVR_B}, {CVR_A}), så den kan ikke henføres til én leverandør."
    )


def test_oioubl_cvr_ids_that_disagree_are_an_error() -> None:
    data = changed(
        ubl("invoice.xml"),
        (
            f'<cbc:CompanyID schemeID="DK:CVR">DK{CVR_A}</cbc:CompanyID>',
            f'<cbc:CompanyID schemeID="DK:CVR">DK{CVR_B}</cbc:CompanyID>',
        ),
    )
    assert "er forskellige" in read(data).errors[0].reason


def test_a_vat_or_se_number_is_not_read_as_the_cvr() -> None:
    # A Danish SE number may differ from the CVR; it neither supplies nor contradicts it.
    data = changed(
        ubl("invoice.xml"),
        (f'<cbc:CompanyID schemeID="DK:SE">DK{CVR_A}<', f'<cbc:CompanyID schemeID="DK:SE">DK{CVR_B}<'),
    )  # fmt: skip
    checked = read(data)
    assert not checked.errors
    assert {line["supplier_cvr"] for line in checked.table.to_pylist()} == {CVR_A}


# --- 3. Classifications -------------------------------------------------------------------------


def test_oioubl_unspsc_classification_is_kept_and_never_read_as_cpv() -> None:
    # 30192000 is a UNSPSC code here and also a CPV code: the list decides.
    data = changed(
        ubl("invoice.xml"),
        (
            "<cbc:Name>Hejsetavle</cbc:Name>\n",
            "<cbc:Name>Hejsetavle</cbc:Name>\n      <cac:CommodityClassification>\n"
            '        <cbc:ItemClassificationCode listAgencyID="113" listID="UNSPSC" '
            'listVersionID="19.0501">30192000</cbc:ItemClassificationCode>\n'
            "      </cac:CommodityClassification>\n",
        ),
    )
    line = read(data).table.to_pylist()[0]
    assert (line["unspsc"], line["category"], line["cpv8"]) == ("30192000", "30192000", "")


def test_peppol_line_keeps_both_its_cpv_and_its_unspsc_code() -> None:
    data = changed(
        ubl("peppol-invoice-dk-dkk-classified.xml"),
        (
            '<cbc:ItemClassificationCode listID="STI">30192000-1</cbc:ItemClassificationCode>',
            '<cbc:ItemClassificationCode listID="TST" listVersionID="19.05.01">44121716'
            "</cbc:ItemClassificationCode>\n"
            '        <cbc:ItemClassificationCode listID="STI">30192000-1</cbc:ItemClassificationCode>',
        ),
    )
    first, second = read(data).table.to_pylist()
    assert (first["cpv8"], first["category"], first["unspsc"]) == (
        "30192000",
        "30192000-1",
        "44121716",
    )
    assert (second["cpv8"], second["category"], second["unspsc"]) == ("", "44103103", "44103103")


def test_unspsc_codes_are_stored_on_the_lines(cast) -> None:
    data = changed(
        ubl("peppol-invoice-dk-dkk-classified.xml"),
        ('listID="TST">44103103<', 'listID="TST">30192000<'),
    )
    spend_import = run_import(cast.odense, data, "faktura.xml")
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors
    paper, toner = SpendLine.objects.order_by("-amount")
    assert (paper.cpv_id, paper.unspsc) == ("30192000-1", "")
    assert (toner.cpv_id, toner.unspsc, toner.category_code) == (None, "30192000", "30192000")


def test_an_erp_category_column_headed_unspsc_is_kept_as_unspsc() -> None:
    header = ["Bilagsdato", "CVR-nr.", "Kreditor", "Beløb ekskl. moms", "UNSPSC", "Fakturanr"]
    rows = [["02-01-2025", CVR_A, "Tavleverandøren A/S", "100,00", "44103103", "T-1"]]
    checked = read(csv_bytes(rows, header=header), name="udtraek.csv")
    line = checked.table.to_pylist()[0]
    assert (line["unspsc"], line["cpv8"]) == ("44103103", "")


# --- Every real example, unchanged ---------------------------------------------------------------

REAL = sorted(
    path.name
    for path in DATA.iterdir()
    if path.suffix.lower() == ".xml" and path.name != "peppol-invoice-dk-dkk-classified.xml"
)


@pytest.mark.parametrize("name", REAL)
def test_every_real_example_adds_up_to_the_total_it_states(name: str) -> None:
    """Lines plus document allowances and charges give each real invoice's amount ex. VAT:
    TaxExclusiveAmount for PEPPOL BIS 3 and EN 16931 (e.g. peppol-invoice-with-charges.xml,
    1800 + a 50 charge = 1850), the lines less allowances plus charges for OIOUBL."""
    root = fromstring(ubl(name))
    _kind, line_tag = ROOTS[root.tag]
    currency = text(root, "cbc:DocumentCurrencyCode")
    lines = invoice_lines(root, line_tag, currency)
    entries = lines + allowances_and_charges(
        root, start=len(lines) + 1, currency=currency, lines=lines
    )
    stated = stated_total(root, entries)
    assert stated is not None
    assert sum(entry.amount for entry in entries) == stated.amount
    assert len(entries) - len(lines) == len(root.findall("cac:AllowanceCharge", NS))
