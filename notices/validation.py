"""Validate a notice twice: the SDK's XSD (lxml) and its Schematron rules for the subtype's phase.

The schemas and the compiled rules are loaded once per process and SDK version and kept; the
compiled rules are also kept on disk (`settings.NOTICES_CACHE_DIR`), so a new process only
loads them (a few seconds per phase), and a notice then validates in well under a second.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from lxml import etree

from .schematron import Finding, Validator, compiled_phase_path

SDK_VERSION = "1.15.1"
SDK_DIR = Path(__file__).parent / "sdk" / SDK_VERSION
MAIN_SCHEMATRON = SDK_DIR / "schematrons" / "static" / "complete-validation.sch"
MAINDOCS = {
    "4": "UBL-PriorInformationNotice-2.3.xsd",
    "16": "UBL-ContractNotice-2.3.xsd",
    "29": "UBL-ContractAwardNotice-2.3.xsd",
}
PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1": "efac",
    "http://data.europa.eu/p27/eforms-ubl-extensions/1": "efext",
    "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1": "efbc",
    "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2": "can",
    "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2": "cn",
    "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2": "pin",
}
SUBTYPE_PATH = (
    "/*/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
    "/efac:NoticeSubType/cbc:SubTypeCode"
)

_lock = threading.Lock()
_schemas: dict[str, etree.XMLSchema] = {}
_validators: dict[str, Validator] = {}


@dataclass
class Report:
    """The outcome of both checks: XSD messages and Schematron findings, with timings."""

    subtype: str
    xsd_errors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def valid(self) -> bool:
        return not self.xsd_errors and not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "subtype": self.subtype,
            "sdk_version": SDK_VERSION,
            "xsd_errors": self.xsd_errors,
            "findings": [asdict(f) | {"diagnostics": list(f.diagnostics)} for f in self.findings],
            "seconds": round(self.seconds, 3),
        }


def subtype_of(document: etree._Element) -> str:
    found = document.xpath(SUBTYPE_PATH, namespaces={v: k for k, v in PREFIXES.items()})
    if not found:
        raise ValueError("The notice names no subtype (efac:NoticeSubType/cbc:SubTypeCode).")
    return found[0].text.strip()


def schema(subtype: str) -> etree.XMLSchema:
    with _lock:
        if subtype not in _schemas:
            _schemas[subtype] = etree.XMLSchema(
                etree.parse(str(SDK_DIR / "schemas" / "maindoc" / MAINDOCS[subtype]))
            )
        return _schemas[subtype]


def rules(subtype: str) -> Validator:
    """The compiled rules of `eforms-<subtype>`, built once per SDK version, loaded once."""
    with _lock:
        if subtype not in _validators:
            stylesheet = compiled_phase_path(
                MAIN_SCHEMATRON,
                f"eforms-{subtype}",
                cache_dir=Path(settings.NOTICES_CACHE_DIR),
                sdk_version=SDK_VERSION,
            )
            _validators[subtype] = Validator(stylesheet, PREFIXES)
        return _validators[subtype]


def validate(xml: bytes) -> Report:
    """XSD first, then the Schematron phase of the notice's own subtype."""
    started = time.perf_counter()
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.fromstring(xml, parser)
    subtype = subtype_of(document)
    if subtype not in MAINDOCS:
        raise ValueError(f"Subtype {subtype} is not one the portal makes.")
    xsd = schema(subtype)
    report = Report(subtype=subtype)
    if not xsd.validate(document):
        report.xsd_errors = [f"{e.line}: {e.message}" for e in xsd.error_log]
    report.findings = rules(subtype).findings(xml)
    report.seconds = time.perf_counter() - started
    return report
