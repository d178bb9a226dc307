"""E-invoices: OIOUBL 2.1/2.02 and PEPPOL BIS Billing 3 (UBL 2.1) invoices and credit notes.

Reads files and ZIPs of them into raw lines; what one document says (amounts, allowances and
charges, supplier CVR, classification) is read by einvoice.py, whose docstring gives the rules.
Credit notes (and invoices with a credit type code) count negative; any other invoice keeps its
signs. Only Danish kroner are imported: an amount in another currency is refused with an error,
never converted or added to kroner.

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
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pyarrow as pa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from consortium.formatting import format_number

from .einvoice import (
    NS,
    Entry,
    SupplierCvr,
    allowances_and_charges,
    invoice_lines,
    stated_total,
    supplier_cvr,
    text,
)
from .errors import FileRejected, LineError
from .limits import ImportLimits
from .safety import open_zip
from .table import TEXT_COLUMNS, RawLines, raw_table

ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": ("invoice", "InvoiceLine"),
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": (
        "creditnote",
        "CreditNoteLine",
    ),
}
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


def _document_problem(supplier: SupplierCvr) -> str:
    """Why none of the document's lines can be imported, or ""."""
    if supplier.conflicting:
        return _(
            "The supplier's CVR numbers in the invoice disagree (%(numbers)s), so it cannot be assigned to one supplier."
        ) % {"numbers": ", ".join(supplier.conflicting)}
    if not supplier.cvr:
        return _(
            "The supplier has no Danish CVR number (an identifier with schemeID 0184 or DK:CVR)."
        )
    return ""


def _entry_problem(entry: Entry) -> str:
    if entry.currency != "DKK":
        return _("The amount is in %(currency)s; only Danish kroner (DKK) can be imported.") % {
            "currency": entry.currency or "?"
        }
    if entry.amount is None:
        if entry.allowance_charge:
            return _(
                "The document-level allowance or charge has no readable Amount or ChargeIndicator."
            )
        return _("The line has no readable LineExtensionAmount.")
    return ""


def _total_problem(root: ET.Element, entries: list[Entry]) -> str:
    """Whether the lines, allowances and charges add up to the total the invoice states."""
    if any(entry.amount is None or entry.currency != "DKK" for entry in entries):
        return ""  # those lines are errors of their own, and the sum would mix currencies
    stated = stated_total(root, entries)
    if stated is None:
        return ""
    imported = sum((_cents(entry.amount) for entry in entries), Decimal(0))
    if imported == _cents(stated.amount):
        return ""
    return _(
        "The lines, allowances and charges add up to %(sum)s kr., but the invoice states %(total)s kr. ex. VAT (%(source)s). The invoice is not imported, so that no amount is counted wrong."
    ) % {
        "sum": format_number(imported, 2),
        "total": format_number(stated.amount, 2),
        "source": stated.source,
    }


def _cents(amount: Decimal | None) -> Decimal:
    return (amount or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def document_rows(
    data: bytes,
    name: str,
    limits: ImportLimits,
    rows: _Collector,
    errors: list[LineError],
    *,
    single: bool,
) -> None:
    """Append the lines of one UBL document to `rows`, its problems to `errors`.

    The invoice lines come first, then the document-level allowances and charges (see
    einvoice.py), numbered on from the lines. A problem of the whole document (no CVR, CVRs that
    disagree, lines that do not add up to the stated total) is reported on each of its lines.
    """
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
    number = text(root, "cbc:ID")
    type_code = text(root, "cbc:InvoiceTypeCode")
    # A credit note counts negative; an invoice keeps the signs it is written with.
    sign = -1 if kind == "creditnote" or type_code in CREDIT_TYPE_CODES else 1
    currency = text(root, "cbc:DocumentCurrencyCode").upper()
    party = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    supplier = supplier_cvr(party)
    supplier_name = text(party, "cac:PartyName/cbc:Name") or text(
        party, "cac:PartyLegalEntity/cbc:RegistrationName"
    )
    lines = invoice_lines(root, line_tag, currency)
    if not lines:
        errors.append(
            LineError(
                line=0,
                reason=_("The invoice %(number)s has no lines.") % {"number": number},
                file=name,
            )
        )
        return
    entries = lines + allowances_and_charges(
        root, start=len(lines) + 1, currency=currency, lines=lines
    )
    document_problem = _document_problem(supplier) or _total_problem(root, entries)
    issue_date = text(root, "cbc:IssueDate")
    document_account = text(root, "cbc:AccountingCost")
    for entry in entries:
        reason = document_problem or _entry_problem(entry)
        if reason:
            errors.append(
                LineError(
                    line=entry.position,
                    reason=_("Document %(number)s: %(reason)s")
                    % {"number": number, "reason": reason},
                    file=name,
                )
            )
            continue
        rows.add(
            entry.position,
            supplier_cvr=supplier.cvr,
            supplier_name=supplier_name,
            amount=str(_cents(sign * entry.amount)),
            invoice_date=issue_date,
            account=entry.account or document_account,
            category=entry.classification.category,
            unspsc=entry.classification.unspsc,
            invoice_number=number,
            cpv=entry.classification.cpv_column,
            line_key=f"{kind}:{number}:{entry.key}",
            source=name,
        )
