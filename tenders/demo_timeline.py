"""Demo timeline and documents: one joint tender with lots, participants, declarations, a checked
timeline and a rendered document set. Idempotent: stable keys, and rendering from unchanged data
makes no new versions.

Wired from `tenders/demo.py`'s `seed()` (seed_demo calls only `<app>.demo.seed`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Organisation, User
from cpv.models import CpvCode
from members.models import Member

from . import demo_history as history
from .models import (
    DeclineCategory,
    LineItem,
    Lot,
    MilestoneKind,
    Participation,
    ProcedureType,
    Tender,
    TenderStatus,
    VolumeDeclaration,
)
from .schedule import PlannedMilestone, timeline_update
from .services import tender_documents_render

CPH = ZoneInfo("Europe/Copenhagen")
REFERENCE = "2026-007"

LOTS = {
    1: (
        "Kontorartikler",
        [
            ("Kuglepen, blå, 10 stk.", "pakke", "4000"),
            ("Hæftemaskine", "stk.", None),
            ("Post-it-blok, 76 × 76 mm", "pakke", "2500"),
        ],
    ),
    2: (
        "Kopipapir",
        [
            ("Kopipapir A4, 80 g, 500 ark", "pakke", "18000"),
            ("Kopipapir A3, 80 g, 500 ark", "pakke", "900"),
        ],
    ),
}
# Member slug → annual volume (DKK) per lot.
DECLARATIONS = {
    "odense": {1: "420000", 2: "310000"},
    "aarhus": {1: "610000", 2: "450000"},
    "holstebro-lemvig": {1: "95000", 2: "60000"},
    "soenderborg": {1: "120000"},
    "vejle": {1: "150000", 2: "98000"},
}
TIMELINE = {
    MilestoneKind.NEEDS_ANALYSIS: datetime(2026, 9, 15, 9, 0),
    MilestoneKind.VOLUME_DEADLINE: datetime(2026, 11, 6, 12, 0),
    MilestoneKind.PUBLICATION: datetime(2027, 1, 11, 9, 0),
    MilestoneKind.QUESTIONS_DEADLINE: datetime(2027, 2, 1, 12, 0),
    MilestoneKind.BID_DEADLINE: datetime(2027, 2, 15, 12, 0),
    MilestoneKind.AWARD_DECISION: datetime(2027, 3, 15, 10, 0),
    # Day 10 is skærtorsdag 25 March 2027; Easter runs the standstill to Tuesday 30 March.
    MilestoneKind.STANDSTILL_END: datetime(2027, 3, 30, 23, 59),
    MilestoneKind.CONTRACT_START: datetime(2027, 5, 1, 0, 0),
}


def seed() -> Tender:
    secretariat = Organisation.objects.get(slug="sekretariat")
    admin = User.objects.filter(email="admin@12by.test").first()
    # An existing tender with this reference (from the tenders demo) is used as it is.
    tender, created = Tender.objects.get_or_create(
        reference=REFERENCE,
        defaults={
            "title": "Kontorartikler og kopipapir",
            "description": "Fælles rammeaftale om kontorartikler og kopipapir til de deltagende kommuner.",
            "status": TenderStatus.PLANNED,
            "procedure_type": ProcedureType.OPEN,
            "lead_organisation": secretariat,
            "responsible": admin,
            "term_years": 2,
            "option_years": [1, 1],
            "main_cpv": CpvCode.objects.filter(code="30192000-1").first(),
            "bid_validity_days": 90,
            "documents_url": f"https://udbud.12-by.test/{REFERENCE}",
        },
    )
    if created:  # registered in the summer, now in preparation: its steps in the audit trail
        dates = {k: v.replace(tzinfo=CPH) for k, v in TIMELINE.items()}
        steps = history.steps_for(REFERENCE, TenderStatus.PREPARATION, dates, timezone.now())
        history.record_history(tender, steps, {"status": TenderStatus.PREPARATION})
    lots = {}
    for number, (title, items) in LOTS.items():
        lot, _ = Lot.objects.get_or_create(tender=tender, number=number, defaults={"title": title})
        lots[number] = lot
        for index, (description, unit, quantity) in enumerate(items, start=1):
            LineItem.objects.get_or_create(
                lot=lot,
                number=index,
                defaults={
                    "description": description,
                    "unit": unit,
                    "quantity": Decimal(quantity) if quantity else None,
                },
            )
    for member in Member.objects.active().select_related("organisation"):
        volumes = DECLARATIONS.get(member.organisation.slug)
        participation, _ = Participation.objects.get_or_create(
            tender=tender,
            member=member,
            defaults={
                "answer": Participation.Answer.PARTICIPATE
                if volumes
                else Participation.Answer.DECLINE,
                "decline_category": "" if volumes else DeclineCategory.OWN_AGREEMENT,
                "decline_reason": "" if volumes else "Egen aftale løber til 2028.",
                "answered_at": datetime(2026, 11, 2, 10, 0, tzinfo=CPH),
            },
        )
        for number, volume in (volumes or {}).items():
            VolumeDeclaration.objects.get_or_create(
                participation=participation,
                lot=lots[number],
                defaults={"annual_volume": Decimal(volume)},
            )
    if not tender.milestones.exists():
        timeline_update(
            tender=tender,
            user=admin,
            planned={k: PlannedMilestone(v.replace(tzinfo=CPH)) for k, v in TIMELINE.items()},
            allow_published_change=True,
        )
    tender_documents_render(tender=tender, user=admin)
    return tender
