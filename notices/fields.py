"""From a validation finding to what the secretariat must correct, and where in the portal.

A Schematron finding names a rule (`BR-BT-00011-0022`) and, usually, the field it is about
(`ND-ContractingParty_BT-11-Procedure-Buyer`). The field's name comes from the SDK's own
translations (`field|name|<field id>`, Danish or English); the field's business term (BT-11)
decides which field of the portal holds the value (`PORTAL_FIELDS`); the finding's location in
the notice decides which municipality, lot or supplier it concerns. Nothing shows XPath.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from lxml import etree

from .validation import PREFIXES, SDK_DIR

# Where a business term's value lives in the portal: (the field's label, the page to correct it).
# Pages: "municipality" (the municipality's master data), "tender" (the tender's form),
# "timeline", "criteria", "lot", "pooling", "received" (tenders received), "agreement".
PORTAL_FIELDS: dict[str, tuple[Any, str]] = {
    "BT-11": (gettext_lazy("Legal type of the buyer"), "municipality"),
    "BT-500": (gettext_lazy("Name"), "municipality"),
    "BT-501": (gettext_lazy("CVR number"), "municipality"),
    "BT-503": (gettext_lazy("Phone"), "municipality"),
    "BT-506": (gettext_lazy("E-mail for procurement"), "municipality"),
    "BT-507": (gettext_lazy("NUTS code"), "municipality"),
    "BT-510": (gettext_lazy("Address"), "municipality"),
    "BT-512": (gettext_lazy("Postcode"), "municipality"),
    "BT-513": (gettext_lazy("Town"), "municipality"),
    "BT-21": (gettext_lazy("Title"), "tender"),
    "BT-24": (gettext_lazy("Description"), "tender"),
    "BT-23": (gettext_lazy("Contract kind"), "tender"),
    "BT-105": (gettext_lazy("Procedure type"), "tender"),
    "BT-106": (gettext_lazy("Reason for urgency"), "tender"),
    "BT-1351": (gettext_lazy("Reason for urgency"), "tender"),
    "BT-262": (gettext_lazy("Main CPV code"), "tender"),
    "BT-263": (gettext_lazy("Additional CPV codes"), "tender"),
    "BT-765": (gettext_lazy("Framework agreement"), "tender"),
    "BT-113": (gettext_lazy("Maximum number of suppliers on the framework agreement"), "tender"),
    "BT-98": (gettext_lazy("Bids valid for (days)"), "tender"),
    "BT-15": (gettext_lazy("Address of the tender documents"), "tender"),
    "BT-18": (gettext_lazy("Address of the tender documents"), "tender"),
    "ND-LotProcurementDocument": (gettext_lazy("Address of the tender documents"), "tender"),
    "OPT-98": (gettext_lazy("Bids valid for (days)"), "tender"),
    "BT-36": (gettext_lazy("Base term (years)"), "tender"),
    "BT-58": (gettext_lazy("Options (years each)"), "tender"),
    "BT-57": (gettext_lazy("Options (years each)"), "tender"),
    "BT-109": (gettext_lazy("Base term (years)"), "tender"),
    "BT-131": (gettext_lazy("Bid deadline"), "timeline"),
    "BT-132": (gettext_lazy("Bid deadline"), "timeline"),
    "BT-127": (gettext_lazy("Contract notice sent (publication)"), "timeline"),
    "BT-536": (gettext_lazy("Contract start"), "timeline"),
    "BT-1451": (gettext_lazy("Award decision notified"), "timeline"),
    "OPT-999": (gettext_lazy("Award decision notified"), "timeline"),
    "BT-539": (gettext_lazy("Award criteria"), "criteria"),
    "BT-540": (gettext_lazy("Award criteria"), "criteria"),
    "BT-541": (gettext_lazy("Award criteria"), "criteria"),
    "BT-734": (gettext_lazy("Award criteria"), "criteria"),
    "BT-137": (gettext_lazy("Lots"), "lot"),
    "BT-27": (gettext_lazy("Estimated value over the term"), "pooling"),
    "BT-271": (gettext_lazy("Estimated value over the term"), "pooling"),
    "BT-709": (gettext_lazy("Estimated value over the term"), "pooling"),
    "BT-118": (gettext_lazy("Estimated value over the term"), "pooling"),
    "BT-759": (gettext_lazy("Tenders received"), "received"),
    "BT-760": (gettext_lazy("Tenders received"), "received"),
    "BT-13713": (gettext_lazy("Tenders received"), "received"),
    "BT-145": (gettext_lazy("Start"), "agreement"),
    "BT-150": (gettext_lazy("Agreement number"), "agreement"),
    "BT-720": (gettext_lazy("Expected annual value"), "agreement"),
    "BT-142": (gettext_lazy("Suppliers"), "agreement"),
    "OPT-300": (gettext_lazy("Suppliers"), "agreement"),
    "OPT-310": (gettext_lazy("Suppliers"), "agreement"),
}
PAGE_LABELS = {
    "municipality": gettext_lazy("the municipality's master data"),
    "tender": gettext_lazy("the tender's details"),
    "timeline": gettext_lazy("the tender's timeline"),
    "criteria": gettext_lazy("the award criteria"),
    "lot": gettext_lazy("the lots"),
    "pooling": gettext_lazy("the pooling of volumes"),
    "received": gettext_lazy("the tenders received per lot"),
    "agreement": gettext_lazy("the agreements of the tender"),
    "suppliers": gettext_lazy("the suppliers' details"),
}
# A supplier's address and size are corrected on the suppliers' page, not the municipality's.
SUPPLIER_FIELDS: dict[str, Any] = {
    "BT-165": gettext_lazy("Company size"),
    "BT-507": gettext_lazy("NUTS code"),
    "BT-510": gettext_lazy("Address"),
    "BT-512": gettext_lazy("Postcode"),
    "BT-513": gettext_lazy("Town"),
}
_FIELD_IN_DIAGNOSTIC = re.compile(r"^(?:ND-[^_]+_)?((?:BT|OPP|OPT)-[0-9]+[^ ]*)$")
_TERM = re.compile(r"^((?:BT|OPP|OPT)-0*([0-9]+))")
_TERM_IN_RULE = re.compile(r"^BR-(BT|OPP|OPT)-0*([0-9]+)-")
NAMESPACES = {prefix: uri for uri, prefix in PREFIXES.items()}


@dataclass(frozen=True)
class Explanation:
    """One finding as the page shows it."""

    rule_id: str
    is_error: bool
    field_id: str
    sdk_label: str
    portal_label: str
    page: str
    subject: str
    url: str

    @property
    def message(self) -> str:
        parts = {"field": self.sdk_label, "id": self.field_id, "subject": self.subject}
        if self.subject:
            return _("%(field)s (%(id)s) is missing or wrong for %(subject)s.") % parts
        return _("%(field)s (%(id)s) is missing or wrong.") % parts

    @property
    def correction(self) -> str:
        if not self.portal_label:
            return _("The notice's fixed content: tell the portal's administrator.")
        return _("Correct the field %(field)s in %(page)s.") % {
            "field": self.portal_label,
            "page": PAGE_LABELS[self.page],
        }


@functools.cache
def _labels(language: str) -> dict[str, str]:
    path = SDK_DIR / "translations" / f"field_{language}.xml"
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    root = etree.parse(str(path), parser).getroot()
    return {
        entry.get("key")[len("field|name|") :]: (entry.text or "").strip()
        for entry in root.iter("entry")
        if entry.get("key", "").startswith("field|name|")
    }


def field_label(field_id: str) -> str:
    """The SDK's name of a field, in Danish unless the page is in English."""
    language = "en" if (get_language() or "da").startswith("en") else "da"
    labels = _labels(language)
    if field_id in labels:
        return labels[field_id]
    base = _TERM.match(field_id)
    if base:
        for key, label in labels.items():
            if key.startswith((base.group(1) + "-", base.group(1) + "(")):
                return label
    return field_id


# Node ids (a group of fields) some rules name instead of a field: the field that fills them.
NODE_FIELDS = {"ND-LotProcurementDocument-16": "BT-15-Lot"}


def field_of(finding: dict[str, Any]) -> str:
    """The SDK field a finding is about: its diagnostic, else the term its rule id names."""
    if finding["rule_id"] in NODE_FIELDS:
        return NODE_FIELDS[finding["rule_id"]]
    for diagnostic in finding.get("diagnostics", []):
        match = _FIELD_IN_DIAGNOSTIC.match(diagnostic)
        if match:
            return match.group(1)
    rule = finding["rule_id"]
    match = _TERM_IN_RULE.match(rule)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    match = _TERM.match(rule)
    return match.group(0) if match else rule


def business_term(field_id: str) -> str:
    if field_id.startswith("ND-"):
        return field_id.rsplit("-", 1)[0] if field_id[-1].isdigit() else field_id
    match = _TERM.match(field_id)
    return f"{field_id.split('-')[0]}-{match.group(2)}" if match else field_id


def _subject(document: etree._Element | None, location: str, names: dict[str, str]) -> str:
    """The municipality, supplier or lot a finding's location lies in, by its name."""
    if document is None or not location:
        return ""
    try:
        nodes = document.xpath(location, namespaces=NAMESPACES)
    except etree.XPathError:
        return ""
    if not nodes:
        return ""
    node = nodes[0]
    if isinstance(node, etree._ElementUnicodeResult):
        node = node.getparent()
    for ancestor in [node, *node.iterancestors()]:
        local = etree.QName(ancestor).localname
        ids: list[str] = []
        if local in ("Organization", "ContractingParty"):
            ids = ancestor.xpath(".//cac:PartyIdentification/cbc:ID/text()", namespaces=NAMESPACES)
        elif local == "ProcurementProjectLot":
            ids = ancestor.xpath("cbc:ID/text()", namespaces=NAMESPACES)
        elif local in ("LotResult", "LotTender"):
            ids = ancestor.xpath("efac:TenderLot/cbc:ID/text()", namespaces=NAMESPACES)
        if ids and ids[0] in names:
            return names[ids[0]]
    return ""


def explain(notice: Any) -> list[Explanation]:
    """Every finding of a kept notice in the reader's language, errors first."""
    data = notice.data_snapshot
    names = {b["id"]: b["name"] for b in data.get("buyers", [])}
    names |= {o["id"]: o["name"] for o in data.get("organisations", [])}
    names |= {
        lot["id"]: _("lot %(number)s %(title)s") % {"number": lot["number"], "title": lot["title"]}
        for lot in data.get("lots", [])
    }
    codes = {b["id"]: b["municipality"] for b in data.get("buyers", [])}
    suppliers = {o["name"] for o in data.get("organisations", []) if o.get("supplier")}
    try:
        document = etree.fromstring(notice.xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        document = None
    out = []
    for finding in notice.validation.get("findings", []):
        field_id = field_of(finding)
        portal_label, page = PORTAL_FIELDS.get(business_term(field_id), ("", ""))
        subject = _subject(document, finding.get("location", ""), names)
        if subject in suppliers and business_term(field_id) in SUPPLIER_FIELDS:
            portal_label, page = SUPPLIER_FIELDS[business_term(field_id)], "suppliers"
        org = next((k for k, v in names.items() if v == subject and k in codes), None)
        out.append(
            Explanation(
                rule_id=finding["rule_id"],
                is_error=finding["role"].upper() == "ERROR",
                field_id=field_id,
                sdk_label=field_label(field_id),
                portal_label=str(portal_label),
                page=page,
                subject=subject,
                url=_url(page, notice.tender.reference, codes.get(org) if org else None),
            )
        )
    return sorted(out, key=lambda e: not e.is_error)


def _url(page: str, reference: str, municipality: str | None) -> str:
    if page == "municipality":
        if municipality:
            return reverse("members:municipality_edit", args=[municipality])
        return reverse("members:municipality_list")
    urls = {
        "tender": ("tenders:edit", [reference]),
        "timeline": ("tender_timeline:timeline", [reference]),
        "criteria": ("tenders:criteria", [reference]),
        "lot": ("tenders:detail", [reference]),
        "pooling": ("tenders:detail", [reference]),
        "received": ("notices:received", [reference]),
        "agreement": ("agreements:list", []),
        "suppliers": ("notices:suppliers", [reference]),
    }
    if page not in urls:
        return ""
    name, args = urls[page]
    return reverse(name, args=args)
