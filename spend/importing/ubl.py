"""E-invoices: OIOUBL 2.1 and PEPPOL BIS Billing 3 (UBL 2.1) invoices and credit notes.

The amount ex. VAT is the sum of the lines' LineExtensionAmount — never TaxExclusiveAmount, which
OIOUBL fills with the VAT total. Credit notes (and invoices with type code 381) count negative.
The supplier's CVR is an identifier with schemeID 0184 (PEPPOL, often prefixed "DK") or DK:CVR
(OIOUBL). Item classification with listID STI is CPV; TST is UNSPSC.

XML is parsed with defusedxml and DTDs forbidden, so external entities and entity expansion
(billion laughs) are refused before anything is expanded.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .errors import FileRejected, LineError
from .limits import ImportLimits
from .safety import open_zip
from .table import TEXT_COLUMNS, RawLines, raw_table

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": ("invoice", "InvoiceLine"),
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": (
        "creditnote",
        "CreditNoteLine",
    ),
}
CVR_SCHEMES = {"0184", "DK:CVR"}
CREDIT_TYPE_CODES = {"381", "396", "532"}
CENT = Decimal("0.01")

logger = logging.getLogger(__name__)


def looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def read_xml(
    data: bytes, *, name: str, limits: ImportLimits, preview: int | None = None
) -> RawLines:
    rows, errors, total = _Collector(), [], 0
    document_rows(data, name, limits, rows, errors, single=True)
    total = rows.count + len(errors)
    return rows.result(errors, total, preview)


def _nested_zip() -> str:
    return _("ZIP files inside a ZIP file are not imported. Unpack it and import its files.")


def read_zip(
    data: bytes,
    *,
    limits: ImportLimits,
    preview: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> RawLines:
    archive = open_zip(data, limits, kind="ZIP")
    rows, errors = _Collector(), []
    files = [
        info
        for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
    ]
    members = [info for info in files if info.filename.lower().endswith(".xml")]
    # Other files (attachments, PDFs of the invoices) are left alone; a ZIP in the ZIP would
    # hide invoices the user expects imported, so it is an error to see.
    nested = [info for info in files if info.filename.lower().endswith(".zip")]
    if not members:
        if nested:
            raise FileRejected(_nested_zip())
        raise FileRejected(_("The ZIP file holds no XML files (e-invoices)."))
    errors.extend(LineError(line=0, reason=_nested_zip(), file=info.filename) for info in nested)
    for number, info in enumerate(members, start=1):
        try:
            with archive.open(info) as handle:
                content = handle.read(limits.max_xml_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            logger.info("ZIP member %r cannot be unpacked: %r", info.filename, exc)
            errors.append(
                LineError(
                    line=0,
                    reason=_("%(name)s cannot be unpacked: the ZIP file is damaged.")
                    % {"name": info.filename},
                    file=info.filename,
                )
            )
            continue
        document_rows(content, info.filename, limits, rows, errors, single=False)
        if progress is not None and number % 50 == 0:
            progress(number / len(members))
        if rows.count > limits.max_rows:
            raise FileRejected(
                _("The ZIP file has more than %(max)s invoice lines. Split it into smaller files.")
                % {"max": limits.max_rows}
            )
        if preview and rows.count >= preview:
            break
    total = rows.count + len(errors)
    return rows.result(errors, total, preview)


class _Collector:
    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {c: [] for c in TEXT_COLUMNS}
        self.lines: list[int] = []

    @property
    def count(self) -> int:
        return len(self.lines)

    def add(self, line: int, **values: str) -> None:
        for column in TEXT_COLUMNS:
            self.values[column].append(values.get(column, ""))
        self.lines.append(line)

    def result(self, errors: list[LineError], total: int, preview: int | None) -> RawLines:
        n = preview or len(self.lines)
        table = raw_table(
            {c: pa.array(v[:n], type=pa.string()) for c, v in self.values.items()},
            np.array(self.lines[:n], dtype=np.int64),
        )
        return RawLines(table=table, errors=errors, encoding="utf-8", rows_read=total)


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _parse(data: bytes, name: str, limits: ImportLimits) -> ET.Element:
    if len(data) > limits.max_xml_bytes:
        raise FileRejected(
            _("%(name)s: the XML file is larger than %(max)s MB.")
            % {"name": name, "max": limits.max_xml_bytes // (1024 * 1024)}
        )
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FileRejected(
            _(
                "%(name)s was refused: the XML contains a DTD or entity declarations (possibly external entities or entity expansion). E-invoices never need them."
            )
            % {"name": name}
        ) from None


def document_rows(
    data: bytes,
    name: str,
    limits: ImportLimits,
    rows: _Collector,
    errors: list[LineError],
    *,
    single: bool,
) -> None:
    """Append the lines of one UBL document to `rows`, its problems to `errors`."""
    try:
        root = _parse(data, name, limits)
    except ET.ParseError as exc:
        # expat's text is English: the user gets where, the log gets what.
        logger.info("%s is not valid XML: %s", name, exc)
        line, column = getattr(exc, "position", None) or (0, 0)
        reason = _(
            "%(name)s is not valid XML (the error is in line %(line)s, column %(column)s)."
        ) % {
            "name": name,
            "line": line,
            "column": column,
        }
        if single:
            raise FileRejected(reason) from None
        errors.append(LineError(line=0, reason=reason, file=name))
        return
    if root.tag not in ROOTS:
        reason = _("%(name)s is not a UBL invoice or credit note (root element %(tag)s).") % {
            "name": name,
            "tag": re.sub(r"^\{.*\}", "", root.tag)[:50],
        }
        if single:
            raise FileRejected(reason)
        errors.append(LineError(line=0, reason=reason, file=name))
        return
    kind, line_tag = ROOTS[root.tag]
    number = _text(root, "cbc:ID")
    type_code = _text(root, "cbc:InvoiceTypeCode")
    sign = -1 if kind == "creditnote" or type_code in CREDIT_TYPE_CODES else 1
    currency = _text(root, "cbc:DocumentCurrencyCode").upper()
    issue_date = _text(root, "cbc:IssueDate")
    party = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    cvr = supplier_cvr(party)
    supplier_name = _text(party, "cac:PartyName/cbc:Name") or _text(
        party, "cac:PartyLegalEntity/cbc:RegistrationName"
    )
    document_account = _text(root, "cbc:AccountingCost")
    lines = root.findall(f"cac:{line_tag}", NS)
    if not lines:
        errors.append(
            LineError(
                line=0,
                reason=_("The invoice %(number)s has no lines.") % {"number": number},
                file=name,
            )
        )
        return
    for position, line in enumerate(lines, start=1):
        amount_element = line.find("cbc:LineExtensionAmount", NS)
        line_currency = (
            amount_element.get("currencyID", currency).upper()
            if amount_element is not None
            else currency
        )
        reason = ""
        if not cvr:
            reason = _(
                "The supplier has no Danish CVR number (an identifier with schemeID 0184 or DK:CVR)."
            )
        elif line_currency != "DKK":
            reason = _(
                "The amount is in %(currency)s; only Danish kroner (DKK) can be imported."
            ) % {"currency": line_currency or "?"}
        amount = ""
        if not reason:
            try:
                value = (
                    Decimal((amount_element.text or "").strip())
                    if amount_element is not None
                    else None
                )
                if value is None or not value.is_finite():
                    raise InvalidOperation
                amount = str((sign * value).quantize(CENT, rounding=ROUND_HALF_UP))
            except InvalidOperation:
                reason = _("The line has no readable LineExtensionAmount.")
        if reason:
            errors.append(
                LineError(
                    line=position,
                    reason=_("Document %(number)s: %(reason)s")
                    % {"number": number, "reason": reason},
                    file=name,
                )
            )
            continue
        cpv, category = "", ""
        for code in line.findall(
            "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", NS
        ):
            list_id = (code.get("listID") or "").upper()
            value = (code.text or "").strip()
            if list_id == "STI" and not cpv:
                cpv = value
                category = category or value
            elif list_id == "TST" and not category:
                category = value
        if category and not cpv:
            cpv = "-"  # classified, but not with CPV: never read the UNSPSC code as a CPV code
        rows.add(
            position,
            supplier_cvr=cvr,
            supplier_name=supplier_name,
            amount=amount,
            invoice_date=issue_date,
            account=_text(line, "cbc:AccountingCost") or document_account,
            category=category,
            invoice_number=number,
            cpv=cpv,
            line_key=f"{kind}:{number}:{_text(line, 'cbc:ID') or position}",
            source=name,
        )


def supplier_cvr(party: ET.Element | None) -> str:
    """The supplier's CVR from the first identifier with a CVR scheme, without its "DK" prefix."""
    if party is None:
        return ""
    for path in (
        "cbc:EndpointID",
        "cac:PartyIdentification/cbc:ID",
        "cac:PartyLegalEntity/cbc:CompanyID",
        "cac:PartyTaxScheme/cbc:CompanyID",
    ):
        for element in party.findall(path, NS):
            if (element.get("schemeID") or "").upper() in CVR_SCHEMES and element.text:
                return re.sub(r"^DK", "", element.text.strip().replace(" ", ""), flags=re.I)
    return ""
