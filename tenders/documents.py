"""Tender documents: rendered from Django templates and a snapshot of the tender's data.

Every rendering is a numbered version (per tender and kind) with the SHA-256 of its file and the
data it was made from. Documents are made from the snapshot alone, so a stored snapshot explains
(and can reproduce) what a bidder received. A kind is *current* when its latest version was made
from the same data (tender, award criteria, lots, participants, declarations, timeline and
template texts) as the tender has now; `documents_ready(tender)` is true when every kind is
current — the workflow refuses publication until then.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format

from consortium import xlsx
from consortium.figure_store import stored
from consortium.formatting import format_weight
from consortium.pdf import render_pdf

from .models import (
    AwardCriterion,
    Corrigendum,
    DocumentKind,
    DocumentTemplate,
    Milestone,
    Participation,
    Tender,
    TenderDocument,
)
from .models.milestones import milestone_due_text

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Kinds in the order they are rendered and listed; file name stem and format of each.
KINDS: tuple[str, ...] = tuple(DocumentKind.values)
FILE_STEMS = {
    DocumentKind.CONDITIONS: "udbudsbetingelser",
    DocumentKind.REQUIREMENTS: "kravspecifikation",
    DocumentKind.AUTHORITIES: "ordregivere",
    DocumentKind.VOLUME_ANNEX: "maengdebilag",
    DocumentKind.PRICE_SCHEDULE: "tilbudsliste",
}
SPREADSHEET_KINDS = frozenset({DocumentKind.PRICE_SCHEDULE})

# The texts a template starts with until the secretariat edits it. Danish: they are document
# content, not interface text.
DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    DocumentKind.CONDITIONS: {
        "title": "Udbudsbetingelser",
        "introduction": (
            "12-by Gruppen Indkøbscentral udbyder hermed på vegne af de deltagende ordregivere "
            "[udbud] (udbud [reference]).\n\n"
            "Udbuddet gennemføres efter udbudsloven (lov nr. 1564 af 15. december 2015 med senere "
            "ændringer)."
        ),
        "body": (
            "Tilbud skal afgives elektronisk via det udbudssystem, der er angivet i "
            "udbudsbekendtgørelsen. Tilbud, der modtages efter tilbudsfristen, tages ikke i "
            "betragtning.\n\n"
            "Spørgsmål til udbudsmaterialet stilles skriftligt inden fristen for spørgsmål. "
            "Spørgsmål og svar offentliggøres i anonymiseret form for alle tilbudsgivere.\n\n"
            "Tilbudsgiver er bundet af sit tilbud i 6 måneder fra tilbudsfristen."
        ),
        "closing": (
            "Ordregiverne forbeholder sig ret til at annullere udbuddet, hvis der er saglig "
            "grund hertil."
        ),
    },
    DocumentKind.REQUIREMENTS: {
        "title": "Kravspecifikation",
        "introduction": (
            "Kravspecifikationen beskriver de krav, som ydelserne under [udbud] skal opfylde. "
            "Mindstekrav skal være opfyldt; et tilbud, der ikke opfylder et mindstekrav, er "
            "ukonditionsmæssigt."
        ),
        "body": (
            "Leverandøren skal levere ydelserne i overensstemmelse med gældende lovgivning, "
            "herunder arbejdsmiljø- og miljølovgivning.\n\n"
            "Leverandøren skal kunne levere til alle de deltagende ordregiveres leveringsadresser."
        ),
        "closing": "",
    },
    DocumentKind.AUTHORITIES: {
        "title": "Deltagende ordregivere",
        "introduction": (
            "Rammeaftalen kan alene anvendes af de ordregivere, der er nævnt i denne oversigt. "
            "Hver ordregiver er en selvstændig ordregiver med eget CVR-nummer."
        ),
        "body": "",
        "closing": "",
    },
    DocumentKind.VOLUME_ANNEX: {
        "title": "Mængdebilag",
        "introduction": (
            "De anførte mængder er de deltagende ordregiveres forventede årlige forbrug pr. "
            "delaftale. Mængderne er vejledende og ikke bindende for ordregiverne."
        ),
        "body": "",
        "closing": "",
    },
    DocumentKind.PRICE_SCHEDULE: {
        "title": "Tilbudsliste",
        "introduction": (
            "Tilbudsgiver udfylder enhedspriser i kr. ekskl. moms for hver linje i de "
            "delaftaler, der bydes på. Samlet pris beregnes automatisk."
        ),
        "body": "",
        "closing": "",
    },
}


# --- templates -------------------------------------------------------------------------------


def document_template_for(kind: str) -> DocumentTemplate:
    """The template of `kind`: the secretariat's texts, or (unsaved) the default texts."""
    template = DocumentTemplate.objects.filter(kind=kind).first()
    return template or DocumentTemplate(kind=kind, **DEFAULT_TEXTS[kind])


# --- snapshot --------------------------------------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def tender_snapshot(tender: Tender) -> dict[str, Any]:
    """The tender's data that goes into its documents, as JSON (labels in Danish)."""
    with translation.override("da"):
        lots = list(tender.lots.prefetch_related("line_items").order_by("number"))
        participations = (
            Participation.objects.filter(tender=tender)
            .participating()
            .select_related("member__organisation")
            .prefetch_related(
                "member__municipalities",
                Prefetch("declarations", to_attr="lot_declarations"),
            )
            .order_by("member__organisation__name")
        )
        milestones = Milestone.objects.filter(tender=tender).order_by("due")
        criteria = AwardCriterion.objects.filter(tender=tender).order_by("position", "pk")
        cpv = tender.main_cpv
        return {
            "tender": {
                "reference": tender.reference,
                "title": tender.title,
                "description": tender.description,
                "procedure_type": tender.procedure_type,
                "procedure_label": str(tender.get_procedure_type_display()),
                "main_cpv": {"code": cpv.code, "label": cpv.label_da} if cpv else None,
                "additional_cpv": [
                    {"code": c.code, "label": c.label_da}
                    for c in tender.additional_cpv.order_by("code")
                ],
                "lead": tender.lead_organisation.name,
                "responsible": str(tender.responsible) if tender.responsible else "",
                "term_years": tender.term_years,
                "option_years": [int(y) for y in tender.option_years],
                "total_years": tender.total_years,
                "climate_flag": tender.climate_flag,
            },
            # Bidders must know the award criteria and their weights from the tender
            # conditions (udbudsloven § 160 and § 161).
            "criteria": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "kind_label": str(c.get_kind_display()),
                    "weight": _decimal(c.weight),
                    "weight_display": format_weight(c.weight),
                    "is_climate": c.is_climate,
                }
                for c in criteria
            ],
            "milestones": [
                {
                    "kind": m.kind,
                    "label": str(m.get_kind_display()),
                    "due": m.due.isoformat(),
                    "due_display": milestone_due_text(m.kind, m.due, long=True),
                    "electronic": m.electronic,
                }
                for m in milestones
            ],
            "lots": [
                {
                    "number": lot.number,
                    "title": lot.title,
                    "description": lot.description,
                    "line_items": [
                        {
                            "number": item.number,
                            "description": item.description,
                            "unit": item.unit,
                            "quantity": _decimal(item.quantity),
                        }
                        for item in lot.line_items.all()
                    ],
                }
                for lot in lots
            ],
            "participants": [
                {
                    "member": p.member.name,
                    "municipalities": [
                        {"name": m.name, "code": m.code, "cvr": m.cvr, "address": m.address}
                        for m in sorted(p.member.municipalities.all(), key=lambda m: m.name)
                    ],
                    "declarations": {
                        str(d.lot_id): {
                            "annual_volume": _decimal(d.annual_volume),
                            "quantity": _decimal(d.quantity),
                        }
                        for d in p.lot_declarations
                    },
                }
                for p in participations
            ],
            "lot_ids": {str(lot.number): lot.pk for lot in lots},
        } | _corrigenda_snapshot(tender)


def _corrigenda_snapshot(tender: Tender) -> dict[str, Any]:
    """The corrigenda a document includes (number and Danish date); no key before the first,
    so documents rendered before corrigenda existed keep their digest."""
    corrigenda = [
        {
            "number": c.number,
            "date_display": date_format(timezone.localtime(c.created_at), "SHORT_DATE_FORMAT"),
        }
        for c in Corrigendum.objects.filter(tender=tender).order_by("number")
    ]
    return {"corrigenda": corrigenda} if corrigenda else {}


def template_snapshot(template: DocumentTemplate) -> dict[str, str]:
    return {
        "title": template.title,
        "introduction": template.introduction,
        "body": template.body,
        "closing": template.closing,
    }


def digest(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of `data`."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def document_snapshot(common: dict[str, Any], template: DocumentTemplate) -> dict[str, Any]:
    return {**common, "template": template_snapshot(template)}


# --- rendering (from the snapshot only) -------------------------------------------------------


def _fill(text: str, tender: dict[str, Any]) -> str:
    return (
        text.replace("[udbud]", tender["title"])
        .replace("[titel]", tender["title"])
        .replace("[reference]", tender["reference"])
    )


def _paragraphs(text: str, tender: dict[str, Any]) -> list[str]:
    return [p.strip() for p in _fill(text, tender).split("\n\n") if p.strip()]


def _volume_rows(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Per lot: each participant's declared annual volume and quantity, and the totals."""
    rows = []
    for lot in snapshot["lots"]:
        lot_id = str(snapshot["lot_ids"][str(lot["number"])])
        members, total = [], Decimal(0)
        for participant in snapshot["participants"]:
            declaration = participant["declarations"].get(lot_id)
            volume = Decimal(declaration["annual_volume"]) if declaration else None
            total += volume or 0
            members.append(
                {
                    "participant": participant,
                    "annual_volume": volume,
                    "quantity": declaration["quantity"] if declaration else None,
                }
            )
        # Quantities are in the units of the lot's lines: one unit names the column, several
        # are listed with the lines above the table.
        units = list(dict.fromkeys(item["unit"] for item in lot["line_items"]))
        rows.append({"lot": lot, "members": members, "total": total, "units": units})
    return rows


def render_document(kind: str, snapshot: dict[str, Any], *, version: int) -> bytes:
    """The file of `kind` made from `snapshot` (PDF, or XLSX for the price schedule)."""
    if kind == DocumentKind.PRICE_SCHEDULE:
        return render_price_schedule(snapshot, version=version)
    tender = snapshot["tender"]
    template = snapshot["template"]
    context = {
        "title": template["title"],
        "doc": snapshot,
        "tender": tender,
        "version": version,
        "introduction": _paragraphs(template["introduction"], tender),
        "body": _paragraphs(template["body"], tender),
        "closing": _paragraphs(template["closing"], tender),
        "volume_rows": _volume_rows(snapshot) if kind == DocumentKind.VOLUME_ANNEX else [],
    }
    return render_pdf(f"tenders/documents/pdf/{kind}.html", context, language="da")


def render_price_schedule(snapshot: dict[str, Any], *, version: int) -> bytes:
    """The tilbudsliste: a sheet of contracting authorities, then one sheet per lot.

    A supplier fills in the unit prices (the coloured cells); each line's total and the lot's
    total are formulas. Descriptions and units are the secretariat's text and stay text.
    """
    tender = snapshot["tender"]
    title = snapshot["template"]["title"]

    def frame(sheet: xlsx.Sheet) -> None:
        sheet.print_frame(
            header_left=f"Udbud {tender['reference']} – {tender['title']}",
            header_right=f"{title}, version {version}",
            footer_left="12-by Gruppen Indkøbscentral",
            page_label="Side {page} af {pages}",
        )

    book = xlsx.Book()
    cover = book.sheet("Ordregivere")
    frame(cover)
    cover.title(f"{title} – udbud {tender['reference']}")
    cover.append([tender["title"]])
    for corrigendum in snapshot.get("corrigenda", []):
        cover.append(
            [f"Omfatter rettelsesblad nr. {corrigendum['number']} af {corrigendum['date_display']}"]
        )
    for paragraph in _paragraphs(snapshot["template"]["introduction"], tender):
        cover.append([paragraph])
    cover.blank()
    # Not frozen: the introduction above the list would stay on screen.
    cover.header(
        [
            xlsx.Column("Deltagende ordregiver", width=38),
            xlsx.Column("Kommunekode", width=14),
            xlsx.Column("CVR-nummer", width=14),
            xlsx.Column("Medlem", width=24),
        ],
        freeze=False,
    )
    for participant in snapshot["participants"]:
        for municipality in participant["municipalities"]:
            cover.append(
                [
                    f"{municipality['name']} Kommune",
                    municipality["code"],
                    municipality["cvr"],
                    participant["member"],
                ]
            )

    for lot in snapshot["lots"]:
        sheet = book.sheet(f"Delaftale {lot['number']}")
        frame(sheet)
        sheet.title(f"Delaftale {lot['number']}: {lot['title']}")
        sheet.blank()
        sheet.header(
            [
                xlsx.Column("Nr.", width=6),
                xlsx.Column("Beskrivelse", width=50),
                xlsx.Column("Enhed", width=12),
                xlsx.Column("Estimeret årlig mængde", xlsx.QUANTITY, 22),
                xlsx.Column("Enhedspris (kr. ekskl. moms)", xlsx.MONEY, 26),
                xlsx.Column("Samlet pris (kr.)", xlsx.MONEY, 18),
            ]
        )
        first = sheet.next_row
        for item in lot["line_items"]:
            row = sheet.next_row
            quantity = Decimal(item["quantity"]) if item["quantity"] is not None else None
            sheet.append(
                [
                    item["number"],
                    item["description"],
                    item["unit"],
                    quantity,
                    xlsx.Cell(None, fill=xlsx.INPUT_FILL),
                    xlsx.Formula(f'=IF(E{row}="","",D{row}*E{row})'),
                ]
            )
        last = sheet.next_row - 1
        total = xlsx.Formula(f"=SUM(F{first}:F{last})") if last >= first else 0
        sheet.append([None, xlsx.Cell("I alt", bold=True), None, None, None, total])

    return book.to_bytes()


# --- state -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentState:
    kind: str
    label: str
    latest: TenderDocument | None
    current: bool


def documents_state(tender: Tender) -> list[DocumentState]:
    """Per kind: the latest version and whether it was made from the tender's current data."""
    common = tender_snapshot(tender)
    latest: dict[str, TenderDocument] = {}
    for document in (
        TenderDocument.objects.filter(tender=tender)
        .defer("data_snapshot")
        .select_related("rendered_by")
        .order_by("kind", "-version")
    ):
        latest.setdefault(document.kind, document)
    states = []
    for kind in KINDS:
        document = latest.get(kind)
        current = bool(
            document
            and document.data_digest
            == digest(document_snapshot(common, document_template_for(kind)))
        )
        states.append(DocumentState(kind, str(DocumentKind(kind).label), document, current))
    return states


@stored()
def documents_state_kept(tender: Tender) -> list[DocumentState]:
    """`documents_state`, kept between requests until the tender's data or documents change:
    the secretariat's tender page shows it at every visit, and building the snapshot of a
    tender with a hundred participants costs some 45 ms."""
    return documents_state(tender)


def documents_ready(tender: Tender) -> bool:
    """True when every kind of tender document has been rendered from the current data."""
    return all(state.current for state in documents_state(tender))
