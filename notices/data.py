"""What a notice says, read from the portal: the tender, its buyers, lots, criteria, timeline
and, for an award notice, the agreements and suppliers it ended in.

`notice_content` is the tender's data only (JSON); a kept notice stores it, and its digest tells
whether the tender has changed since (`notices.selectors.is_outdated`). `notice_data` adds what
belongs to one sending: the notice's id, version and time of issue.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from agreements.models import Agreement, AgreementSupplier
from members.models import Member, Municipality
from tenders.models import (
    AwardCriterion,
    FrameworkType,
    Milestone,
    MilestoneKind,
    Participation,
    PoolingRun,
    Tender,
)

from .models import SUBTYPES, NoticeKind, ReceivedTenders

CENT = Decimal("0.01")
# A UUID namespace for the portal's procedure identifiers (BT-04): one tender, one identifier,
# the same in every notice about it, as the notices of one procedure must share it.
PROCEDURE_NAMESPACE = uuid.UUID("6f7c1c0e-2d43-4a55-9d1f-12b7e0f0e5a1")
# eForms procurement-procedure-type (BT-105). A framework agreement with mini-competition is
# concluded in an open procedure; the mini-competitions come later, under the agreement.
PROCEDURES = {"open": "open", "restricted": "restricted", "mini_competition": "open"}
# eForms award-criterion-type: price, cost or quality (environment and climate are quality).
CRITERION_TYPES = {AwardCriterion.Kind.PRICE: "price"}
CONTRACT_NATURE = {"supplies": "supplies", "services": "services", "works": "works", "social": "services"}  # fmt: skip


def _money(value: Decimal | str | None) -> str | None:
    if value in (None, ""):
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _when(value: Any) -> str | None:
    """A date-time in Danish time, ISO with its offset, as notices give dates and times."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def buyers_of(tender: Tender) -> list[Municipality]:
    """Every municipality of a participating member; before anyone has answered, of every
    member (a prior information notice announces the tender to all of them)."""
    participating = Participation.objects.filter(
        tender=tender, answer=Participation.Answer.PARTICIPATE
    ).values("member")
    members = Member.objects.filter(pk__in=participating)
    if not members.exists():
        members = Member.objects.filter(status=Member.Status.MEMBER)
    return list(Municipality.objects.filter(member__in=members).order_by("name", "code"))


def _buyer(municipality: Municipality, index: int, lead: bool) -> dict[str, Any]:
    return {
        "id": f"ORG-{index:04d}",
        "municipality": municipality.code,
        "name": f"{municipality.name} Kommune",
        "cvr": municipality.cvr,
        "legal_type": municipality.legal_type,
        "nuts": municipality.nuts_code,
        "street": municipality.address,
        "postcode": municipality.postcode,
        "city": municipality.city,
        "email": municipality.email,
        "phone": municipality.phone,
        "lead": lead,
    }


def _lead(tender: Tender, municipalities: list[Municipality]) -> Municipality | None:
    """The group lead (OPP-050): the lead member's first municipality when it is a buyer; the
    secretariat leading, the first buyer in alphabetical order."""
    for municipality in municipalities:
        member = municipality.member
        if member is not None and member.organisation_id == tender.lead_organisation_id:
            return municipality
    return municipalities[0] if municipalities else None


def _milestones(tender: Tender) -> dict[str, Any]:
    return {m.kind: m.due for m in Milestone.objects.filter(tender=tender)}


def notice_content(tender: Tender, kind: str) -> dict[str, Any]:
    """The tender's data a notice of `kind` is made from (JSON, no time of making)."""
    subtype = SUBTYPES[NoticeKind(kind)]
    municipalities = buyers_of(tender)
    lead = _lead(tender, municipalities)
    buyers = [
        _buyer(m, index, lead is not None and m.pk == lead.pk)
        for index, m in enumerate(municipalities, start=1)
    ]
    review = settings.NOTICES_REVIEW_BODY
    organisations = [{"id": "ORG-0900", **review}]
    milestones = _milestones(tender)
    pooling = PoolingRun.objects.filter(tender=tender).order_by("-computed_at").first()
    pooled_lots = {
        str(lot["id"]): lot for lot in (pooling.result.get("lots", []) if pooling else [])
    }
    nuts = sorted({b["nuts"] for b in buyers if b["nuts"]})
    months = tender.term_years * 12
    renewals = len(tender.option_years)
    framework = tender.framework_type
    lots = []
    for lot in tender.lots.order_by("number"):
        pooled = pooled_lots.get(str(lot.pk))
        value = _money(pooled["estimated_value"]) if pooled else None
        lots.append(
            {
                "id": f"LOT-{lot.number:04d}",
                "pk": lot.pk,
                "number": lot.number,
                "internal_id": f"{tender.reference}-{lot.number}",
                "title": lot.title,
                "description": lot.description or lot.title,
                "estimated_value": value,
                "main_cpv": tender.main_cpv.code8 if tender.main_cpv else None,
                "framework": framework,
                "max_participants": tender.framework_max_participants
                if framework != FrameworkType.NONE
                else None,
                # The framework's maximum value: the pooled estimate over the whole term
                # including options, the value the EU threshold was measured against.
                "max_value": value if framework != FrameworkType.NONE else None,
                "duration_months": months,
                "start": _when(milestones.get(MilestoneKind.CONTRACT_START)),
                "renewals": renewals,
                "renewal_description": (
                    f"Aftalen kan forlænges {renewals} gang(e): {tender.term_display} år."
                    if renewals
                    else ""
                ),
                "duration_justification": (
                    "Varigheden svarer til den samlede kontraktperiode inkl. optioner."
                    if framework != FrameworkType.NONE and months > 48
                    else ""
                ),
            }
        )
    content: dict[str, Any] = {
        "kind": kind,
        "subtype": subtype,
        "reference": tender.reference,
        "procedure_id": stable_uuid(tender.reference),
        "procedure": PROCEDURES.get(tender.procedure_type, tender.procedure_type),
        "accelerated": bool(tender.urgency_reason.strip()),
        "accelerated_reason": tender.urgency_reason.strip(),
        "contract_nature": CONTRACT_NATURE[tender.contract_kind],
        "buyers": buyers,
        "central_purchasing": len(buyers) > 1,
        "lead_buyer_id": next((b["id"] for b in buyers if b["lead"]), "ORG-0001"),
        "organisations": organisations,
        "review_body_id": "ORG-0900",
        "nuts": nuts,
        "project": {
            "internal_id": tender.reference,
            "title": tender.title,
            "description": tender.description or tender.title,
            "estimated_value": _money(pooling.estimated_value) if pooling else None,
            "main_cpv": tender.main_cpv.code8 if tender.main_cpv else None,
            "additional_cpv": sorted(c.code8 for c in tender.additional_cpv.all()),
        },
        "lots": lots,
        "criteria": [
            {
                "type": CRITERION_TYPES.get(c.kind, "quality"),
                "name": c.name,
                "weight": format(c.weight.normalize(), "f"),
            }
            for c in tender.criteria.order_by("position", "pk")
        ],
        "bid_deadline": _when(milestones.get(MilestoneKind.BID_DEADLINE)),
        "requests_deadline": _when(milestones.get(MilestoneKind.REQUESTS_DEADLINE)),
        "questions_deadline": _when(milestones.get(MilestoneKind.QUESTIONS_DEADLINE)),
        "planned_publication": _when(milestones.get(MilestoneKind.PUBLICATION)),
        "documents_url": tender.documents_url,
        # Bids are submitted where the tender documents are (the consortium's e-tendering system).
        "submission_url": tender.documents_url,
        "bid_validity_days": tender.bid_validity_days,
    }
    if kind == NoticeKind.AWARD:
        content["award"] = _award(tender, lots, organisations)
    return content


def tender_suppliers(tender: Tender) -> list[Any]:
    """The suppliers on the agreements the tender ended in, each once, by name."""
    from spend.models import Supplier

    return list(
        Supplier.objects.filter(agreement_links__agreement__tender=tender)
        .distinct()
        .order_by("name")
    )


def _award(tender: Tender, lots: list[dict[str, Any]], organisations: list[dict]) -> dict:
    """Results per lot from the agreements the tender ended in: one tender per supplier."""
    agreements = list(
        Agreement.objects.filter(tender=tender).select_related("lot").order_by("number")
    )
    received = {r.lot_id: r for r in ReceivedTenders.objects.filter(lot__tender=tender)}
    suppliers: dict[str, str] = {}
    tenders, contracts, lot_results = [], [], []
    for lot in lots:
        lot_agreements = [a for a in agreements if a.lot_id in (lot["pk"], None)]
        result_tenders, result_contracts = [], []
        for agreement in lot_agreements:
            contract_id = f"CON-{len(contracts) + 1:04d}"
            contract_tenders = []
            links = AgreementSupplier.objects.filter(agreement=agreement).select_related("supplier")
            for position, link in enumerate(links, start=1):
                supplier = link.supplier
                if supplier.cvr not in suppliers:
                    org_id = f"ORG-{1000 + len(suppliers) + 1:04d}"
                    suppliers[supplier.cvr] = org_id
                    organisations.append(
                        {"id": org_id, "name": supplier.name, "cvr": supplier.cvr,
                         "street": supplier.address, "postcode": supplier.postcode,
                         "city": supplier.city, "nuts": supplier.nuts_code,
                         "size": supplier.company_size, "supplier": True}
                    )  # fmt: skip
                tender_id = f"TEN-{len(tenders) + 1:04d}"
                years = Decimal(tender.total_years)
                tenders.append(
                    {
                        "id": tender_id,
                        "rank": link.rank or position,
                        "value": _money(agreement.expected_annual_value * years),
                        "party_id": f"TPA-{int(suppliers[supplier.cvr][4:]) - 1000:04d}",
                        "lot_id": lot["id"],
                        "reference": f"{agreement.number}-{supplier.cvr}",
                    }
                )
                contract_tenders.append(tender_id)
            result_tenders += contract_tenders
            contracts.append(
                {
                    "id": contract_id,
                    "number": agreement.number,
                    # Concluded when the tender was (its status changed to concluded).
                    "signed": _day(tender.status_changed_at) or agreement.start_date.isoformat(),
                    "tenders": contract_tenders,
                }
            )
            result_contracts.append(contract_id)
        record = received.get(lot["pk"])
        lot_results.append(
            {
                "id": f"RES-{len(lot_results) + 1:04d}",
                "lot_id": lot["id"],
                "tenders": result_tenders,
                "contracts": result_contracts,
                "max_value": lot["max_value"],
                "received": None
                if record is None
                else {
                    "tenders": record.tenders,
                    "sme": record.sme,
                    "large": record.tenders - record.sme,
                    "other_eea": record.other_eea,
                    "non_eea": record.non_eea,
                    "electronic": record.tenders,
                },
            }
        )
    values = [Decimal(lot["max_value"]) for lot in lots if lot["max_value"]]
    contract_values = [Decimal(t["value"]) for t in tenders if t["value"]]
    framework = lots and lots[0]["framework"] != FrameworkType.NONE
    return {
        "award_date": _award_date(tender),
        "total": None if framework else _money(sum(contract_values, Decimal(0))),
        "framework_total": _money(sum(values, Decimal(0))) if framework and values else None,
        "lot_results": lot_results,
        "tenders": tenders,
        "contracts": contracts,
        "parties": [
            {"id": f"TPA-{int(org_id[4:]) - 1000:04d}", "org_id": org_id}
            for org_id in suppliers.values()
        ],
    }


def _award_date(tender: Tender) -> str | None:
    decision = Milestone.objects.filter(tender=tender, kind=MilestoneKind.AWARD_DECISION).first()
    return _day(decision.due if decision else tender.awarded_at)


def _day(moment: Any) -> str | None:
    """The Danish day of a moment with its offset, as eForms writes a date: 2027-05-01+02:00."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    return f"{local.date().isoformat()}{offset[:3]}:{offset[3:]}"


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def notice_data(content: dict[str, Any], *, version: int, issued: Any) -> dict[str, Any]:
    """The content plus what belongs to this notice: its id, version and time of issue."""
    notice_id = stable_uuid(f"{content['reference']}/{content['kind']}/{version}")
    return {**content, "notice_id": notice_id, "version": version, "issued": _when(issued)}


def stable_uuid(name: str) -> str:
    """A UUID in the version-4 form eForms requires (BT-04, BT-701), derived from a name, so
    that a tender keeps one procedure identifier in all its notices."""
    digest = uuid.uuid5(PROCEDURE_NAMESPACE, name).bytes
    return str(uuid.UUID(bytes=digest, version=4))
