"""What one UBL 2.1 invoice or credit note says: its supplier's CVR, its lines and its totals.

Pure functions over a parsed document (no files, no database); `ubl.document_rows` turns what
they find into raw lines and errors.

**Amounts.** The amount ex. VAT of an invoice is the sum of its lines' LineExtensionAmount, minus
its document-level allowances, plus its document-level charges (EN 16931 BT-109 = BT-106 − BT-107
+ BT-108, business rule BR-CO-13). Each document-level `cac:AllowanceCharge` becomes a line of
its own, an allowance (ChargeIndicator false) negative, so the imported lines of an invoice add up
to its amount ex. VAT. That total is checked against what the invoice states: PEPPOL BIS 3 and
EN 16931 state it as `LegalMonetaryTotal/TaxExclusiveAmount`; OIOUBL (2.02 and 2.1) puts the
VAT in TaxExclusiveAmount, so there it is LineExtensionAmount − AllowanceTotalAmount +
ChargeTotalAmount of the LegalMonetaryTotal (the sums of the allowances and charges where those
totals are left out).

**Category of an allowance or charge.** A document-level allowance or charge concerns the whole
invoice, not one of its lines. It takes the invoice's classification only when every line of the
invoice has the same one; otherwise it has none, since any split across categories would be
invented.

**Supplier.** PEPPOL BIS 3's Danish rules DK-R-002 ("Danish suppliers MUST provide legal entity
(CVR-number)") and DK-R-014 (schemeID 0184, DK CVR-number, on
AccountingSupplierParty/Party/PartyLegalEntity/CompanyID) make the legal entity's id with scheme
0184 the supplier's CVR. OIOUBL marks CVR numbers with schemeID "DK:CVR". See `supplier_cvr`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
PEPPOL_CVR = "0184"  # ISO 6523 ICD 0184: DIGSTORG, the Danish CVR number
OIOUBL_CVR = "DK:CVR"
# Where the supplier's CVR is read, first to last (see `supplier_cvr`).
CVR_PLACES = (
    ("cac:PartyLegalEntity/cbc:CompanyID", (PEPPOL_CVR,)),
    ("cac:PartyLegalEntity/cbc:CompanyID", (OIOUBL_CVR,)),
    ("cac:PartyTaxScheme/cbc:CompanyID", (OIOUBL_CVR,)),
    ("cac:PartyIdentification/cbc:ID", (OIOUBL_CVR,)),
    ("cac:PartyIdentification/cbc:ID", (PEPPOL_CVR,)),
    ("cbc:EndpointID", (PEPPOL_CVR, OIOUBL_CVR)),
)
# Item classification lists (UNCL 7143): PEPPOL writes CPV as STI and UNSPSC as TST; OIOUBL
# writes UNSPSC as "UNSPSC". Both are 8-digit codes, so only the list says which one a code is.
CPV_LISTS = {"STI"}
UNSPSC_LISTS = {"TST", "UNSPSC"}


def text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def decimal(element: ET.Element | None) -> Decimal | None:
    """The element's amount, or None when it is absent or not a finite number."""
    if element is None:
        return None
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class SupplierCvr:
    cvr: str  # the CVR to use, 8 digits as written (checked later); "" when there is none
    conflicting: tuple[str, ...] = ()  # every distinct CVR found, when they disagree


def supplier_cvr(party: ET.Element | None) -> SupplierCvr:
    """The supplier's CVR: the first found in `CVR_PLACES`, without a "DK" prefix.

    PartyLegalEntity/CompanyID with scheme 0184 first (PEPPOL DK-R-002/DK-R-014), then OIOUBL's
    DK:CVR ids on PartyLegalEntity, PartyTaxScheme and PartyIdentification, and only then a
    PartyIdentification or EndpointID with scheme 0184 (an endpoint is where the invoice is sent,
    which need not be the seller itself). The VAT number in PartyTaxScheme without a scheme is
    never read as the CVR: a Danish SE number can differ from the CVR. When the ids found
    disagree, `conflicting` lists them and the invoice is not imported.
    """
    if party is None:
        return SupplierCvr("")
    found: list[str] = []
    for path, schemes in CVR_PLACES:
        for element in party.findall(path, NS):
            if (element.get("schemeID") or "").strip().upper() in schemes and element.text:
                value = re.sub(r"[\s\-]", "", element.text)
                found.append(re.sub(r"^DK", "", value, flags=re.IGNORECASE))
    distinct = tuple(dict.fromkeys(v for v in found if v))
    if not distinct:
        return SupplierCvr("")
    return SupplierCvr(distinct[0], distinct if len(distinct) > 1 else ())


@dataclass(frozen=True)
class Classification:
    cpv: str = ""  # as written (e.g. "30192000-1")
    unspsc: str = ""  # as written

    @property
    def category(self) -> str:
        """The category code as given: CPV when there is one, else UNSPSC."""
        return self.cpv or self.unspsc

    @property
    def cpv_column(self) -> str:
        # "-": classified, but not with CPV, so validation never reads the UNSPSC code as CPV.
        return self.cpv or ("-" if self.unspsc else "")


def classification(line: ET.Element) -> Classification:
    """The line's first CPV code (listID STI) and first UNSPSC code (listID TST or UNSPSC)."""
    cpv = unspsc = ""
    for code in line.findall("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", NS):
        list_id = (code.get("listID") or "").strip().upper()
        value = (code.text or "").strip()
        if not value:
            continue
        if list_id in CPV_LISTS and not cpv:
            cpv = value
        elif list_id in UNSPSC_LISTS and not unspsc:
            unspsc = value
    return Classification(cpv, unspsc)


@dataclass(frozen=True)
class Entry:
    """One line to import: an invoice line or a document-level allowance or charge."""

    position: int  # the line's place in its invoice; allowances and charges follow the lines
    key: str  # the line's identity within its invoice
    amount: Decimal | None  # as written, signed as the document means it; None: unreadable
    currency: str
    account: str
    classification: Classification
    allowance_charge: bool = False


def _currency(element: ET.Element | None, default: str) -> str:
    if element is None:
        return default
    return (element.get("currencyID") or default).strip().upper()


def invoice_lines(root: ET.Element, line_tag: str, currency: str) -> list[Entry]:
    entries = []
    for position, line in enumerate(root.findall(f"cac:{line_tag}", NS), start=1):
        element = line.find("cbc:LineExtensionAmount", NS)
        entries.append(
            Entry(
                position=position,
                key=text(line, "cbc:ID") or str(position),
                amount=decimal(element),
                currency=_currency(element, currency),
                account=text(line, "cbc:AccountingCost"),
                classification=classification(line),
            )
        )
    return entries


def is_charge(allowance_charge: ET.Element) -> bool | None:
    """True for a charge, False for an allowance (xsd:boolean: true/false/1/0), else None."""
    value = text(allowance_charge, "cbc:ChargeIndicator").lower()
    return {"true": True, "1": True, "false": False, "0": False}.get(value)


def allowances_and_charges(
    root: ET.Element, *, start: int, currency: str, lines: list[Entry]
) -> list[Entry]:
    """The document-level allowances (negative) and charges (positive) as lines of their own.

    They take the invoice's classification only when all its lines share one (see the module's
    docstring), and the document's account when they name none of their own.
    """
    shared = {line.classification for line in lines}
    common = shared.pop() if len(shared) == 1 else Classification()
    entries = []
    for number, element in enumerate(root.findall("cac:AllowanceCharge", NS), start=1):
        amount_element = element.find("cbc:Amount", NS)
        amount, charge = decimal(amount_element), is_charge(element)
        if amount is not None and charge is not None:
            amount = amount if charge else -amount
        else:
            amount = None
        entries.append(
            Entry(
                position=start + number - 1,
                key=f"allowance-charge:{number}",
                amount=amount,
                currency=_currency(amount_element, currency),
                account=text(element, "cbc:AccountingCost"),
                classification=common,
                allowance_charge=True,
            )
        )
    return entries


def is_oioubl(root: ET.Element) -> bool:
    """OIOUBL 2.02 or 2.1 (CustomizationID "OIOUBL-2.02"/"OIOUBL-2.1"; 2.02 is UBL 2.0)."""
    customization = text(root, "cbc:CustomizationID").upper()
    return customization.startswith("OIOUBL") or text(root, "cbc:UBLVersionID") == "2.0"


@dataclass(frozen=True)
class StatedTotal:
    amount: Decimal
    source: str  # which elements state it, for the error message


def stated_total(root: ET.Element, entries: list[Entry]) -> StatedTotal | None:
    """The amount ex. VAT the invoice states for itself (see the module's docstring)."""
    totals = root.find("cac:LegalMonetaryTotal", NS)
    if totals is None:
        return None
    if not is_oioubl(root):
        amount = decimal(totals.find("cbc:TaxExclusiveAmount", NS))
        return StatedTotal(amount, "TaxExclusiveAmount") if amount is not None else None
    lines = decimal(totals.find("cbc:LineExtensionAmount", NS))
    if lines is None:
        return None
    document = [e.amount for e in entries if e.allowance_charge and e.amount is not None]
    allowances = decimal(totals.find("cbc:AllowanceTotalAmount", NS))
    charges = decimal(totals.find("cbc:ChargeTotalAmount", NS))
    if allowances is None:
        allowances = -sum((a for a in document if a < 0), Decimal(0))
    if charges is None:
        charges = sum((a for a in document if a > 0), Decimal(0))
    return StatedTotal(
        lines - allowances + charges,
        "LineExtensionAmount − AllowanceTotalAmount + ChargeTotalAmount",
    )
