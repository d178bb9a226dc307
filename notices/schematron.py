"""The SDK's Schematron business rules, compiled to XSLT and run by Saxon (saxonche).

The eForms rules use a small subset of ISO Schematron (queryBinding xslt2): namespaces, `let`
at schema and pattern level, phases of active patterns, includes of one pattern per file, rules
with a context and asserts with an id, a role, a flag and diagnostics. No abstract patterns, no
`report`, no `value-of`. `compile_phase` turns one phase into an XSLT 3.0 stylesheet with the
ISO semantics that matter here:

* every active pattern walks the whole document (elements and attributes) in its own mode;
* within a pattern a node is handled by the first rule whose context matches it (so each rule
  gets a priority that falls with its position), and the walk goes on below it;
* an assert whose test is false gives an SVRL `failed-assert` with its id, role, flag, the
  node's location (`path()`) and its diagnostic references.

The generated stylesheet is cached on disk by SDK version, phase and a digest of the rule files
and of this generator, so it is built once per SDK version; `Validator` loads it once per
process (Saxon HE cannot export a compiled stylesheet, so loading is the per-process cost).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL = "http://www.w3.org/1999/XSL/Transform"
_S = f"{{{SCH}}}"
# Bump when the generated stylesheet changes shape: the cache key includes it.
GENERATOR_VERSION = "1"


@dataclass(frozen=True)
class Finding:
    """One failed assert: the rule's id, ERROR or WARN, where, and the fields it names."""

    rule_id: str
    role: str
    location: str
    diagnostics: tuple[str, ...]
    flag: str = ""

    @property
    def is_error(self) -> bool:
        return self.role.upper() == "ERROR"


def _pattern_file_id(path: Path) -> str:
    return f"EFORMS-{path.stem}"


def compile_phase(main: Path, phase: str) -> str:
    """The XSLT 3.0 text that validates one phase of the schema in `main`."""
    schema = etree.parse(str(main)).getroot()
    namespaces = [(ns.get("prefix"), ns.get("uri")) for ns in schema.iter(_S + "ns")]
    phase_el = schema.find(f"{_S}phase[@id='{phase}']")
    if phase_el is None:
        raise ValueError(f"No phase {phase} in {main.name}")
    active = [a.get("pattern") for a in phase_el.iter(_S + "active")]
    patterns: dict[str, etree._Element] = {}
    for include in schema.iter(_S + "include"):
        path = main.parent / include.get("href")
        # Only the files of the phases the product uses are kept; an include of another
        # subtype's stage is skipped by its name (each file holds the pattern it is named for).
        if _pattern_file_id(path) not in active:
            continue
        pattern = etree.parse(str(path)).getroot()
        patterns[pattern.get("id")] = pattern
    missing = [p for p in active if p not in patterns]
    if missing:
        raise ValueError(f"Patterns of {phase} not found: {', '.join(missing)}")

    out: list[str] = []
    ns_decls = " ".join(f"xmlns:{p}={quoteattr(u)}" for p, u in namespaces)
    out.append(
        f'<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}" xmlns:svrl="{SVRL}" {ns_decls} '
        f'exclude-result-prefixes="#all">'
    )
    out.append('<xsl:output method="xml" indent="no"/>')
    # Schema-level and pattern-level lets are global variables (their names are unique across
    # the SDK); they are evaluated lazily, with the notice as the global context item.
    for let in schema.findall(_S + "let"):
        out.append(_variable(let))
    for pattern_id in active:
        for let in patterns[pattern_id].findall(_S + "let"):
            out.append(_variable(let))
    out.append('<xsl:template match="/">')
    out.append(f'<svrl:schematron-output phase="{phase}">')
    for index, pattern_id in enumerate(active):
        out.append(f'<svrl:active-pattern id="{pattern_id}"/>')
        out.append(f'<xsl:apply-templates select="/" mode="p{index}"/>')
    out.append("</svrl:schematron-output>")
    out.append("</xsl:template>")
    for index, pattern_id in enumerate(active):
        mode = f"p{index}"
        rules = patterns[pattern_id].findall(_S + "rule")
        for position, rule in enumerate(rules):
            priority = len(rules) - position
            out.append(
                f"<xsl:template match={quoteattr(rule.get('context'))} mode={quoteattr(mode)} "
                f'priority="{priority}">'
            )
            for let in rule.findall(_S + "let"):
                out.append(_variable(let))
            for check in rule.findall(_S + "assert"):
                out.append(_assert(check))
            out.append(f'<xsl:apply-templates select="@*|*" mode="{mode}"/>')
            out.append("</xsl:template>")
        out.append(
            f'<xsl:template match="document-node()|@*|*" mode="{mode}" priority="-10">'
            f'<xsl:apply-templates select="@*|*" mode="{mode}"/></xsl:template>'
        )
    out.append("</xsl:stylesheet>")
    return "\n".join(out)


def _variable(let: etree._Element) -> str:
    return f"<xsl:variable name={quoteattr(let.get('name'))} select={quoteattr(let.get('value'))}/>"


def _assert(check: etree._Element) -> str:
    attributes = f"id={quoteattr(check.get('id') or '')} role={quoteattr(check.get('role') or '')}"
    if check.get("flag"):
        attributes += f" flag={quoteattr(check.get('flag'))}"
    references = "".join(
        f'<svrl:diagnostic-reference diagnostic="{d}"/>'
        for d in (check.get("diagnostics") or "").split()
    )
    return (
        f"<xsl:if test={quoteattr('not(' + check.get('test') + ')')}>"
        f'<svrl:failed-assert {attributes} location="{{path()}}">{references}'
        f"</svrl:failed-assert></xsl:if>"
    )


def rules_digest(main: Path) -> str:
    """A digest of the rule files and the generator: the cache key of a compiled phase."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(main.parent.glob("*.sch")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def compiled_phase_path(main: Path, phase: str, *, cache_dir: Path, sdk_version: str) -> Path:
    """The cached stylesheet of a phase, generated first if it is not there yet.

    Safe across processes (test workers, Celery workers): one generates under an exclusive
    file lock, the others wait and read the finished file; it is written to a temporary name
    and renamed, so no one ever reads half a file.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"eforms-{sdk_version}-{phase}-{rules_digest(main)}.xsl"
    if target.exists():
        return target
    with open(cache_dir / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.exists():
                temporary = target.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(compile_phase(main, phase), encoding="utf-8")
                temporary.replace(target)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


_NS_IN_PATH = re.compile(r"Q\{([^}]*)\}")


def readable_location(path: str, prefixes: dict[str, str]) -> str:
    """`/Q{urn:…ContractNotice-2}ContractNotice[1]/Q{…}ContractingParty[1]` with prefixes."""
    return _NS_IN_PATH.sub(lambda m: f"{prefixes[m.group(1)]}:" if m.group(1) else "", path)


class Validator:
    """One phase's stylesheet loaded into Saxon, reusable for any number of notices."""

    _lock = threading.Lock()

    def __init__(self, stylesheet: Path, prefixes: dict[str, str]) -> None:
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        self._executable = self._processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(stylesheet)
        )
        self._prefixes = prefixes

    def findings(self, xml: bytes) -> list[Finding]:
        """Every failed assert of the phase for one notice, in document order of the SVRL."""
        with self._lock:  # one Saxon executable is not meant for concurrent transforms
            node = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
            self._executable.set_global_context_item(xdm_item=node)
            svrl = self._executable.apply_templates_returning_string(xdm_value=node)
        root = etree.fromstring(svrl.encode("utf-8"))
        return [
            Finding(
                rule_id=failed.get("id"),
                role=failed.get("role"),
                flag=failed.get("flag") or "",
                location=readable_location(failed.get("location"), self._prefixes),
                diagnostics=tuple(
                    ref.get("diagnostic")
                    for ref in failed.findall(f"{{{SVRL}}}diagnostic-reference")
                ),
            )
            for failed in root.iter(f"{{{SVRL}}}failed-assert")
        ]
