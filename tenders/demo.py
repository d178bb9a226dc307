"""Demo tenders: one in every status, with lots, line items, criteria, answers and volumes.

Keyed on the tender reference, so running it again refreshes the same tenders. Dates are set
relative to today so that deadlines are in the future or the past as each status needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from cpv.models import CpvCode
from members.models import Contact, Member

from . import demo_history as history
from . import timeline as rules
from .demo_timeline import seed as seed_timeline
from .models import (
    AwardCriterion,
    ContractKind,
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
from .services import tender_documents_render, tender_pool_volumes

S = TenderStatus


@dataclass(frozen=True)
class DemoTender:
    reference: str
    title: str
    status: str
    cpv: str
    kind: str
    procedure: str
    lots: tuple[tuple[str, tuple[tuple[str, str, int | None], ...]], ...]
    # Per member and lot: annual DKK per 1,000 inhabitants (scaled by the member's population).
    per_thousand: tuple[int, ...]
    term: tuple[int, ...] = (2, 1, 1)


DEMO: tuple[DemoTender, ...] = (
    DemoTender("2026-021", "Personbiler og leasing", S.PLANNED, "34110000-1", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("Personbiler", (("Mindre personbil, el", "stk.", 40),)),), (0,)),
    DemoTender("2026-019", "Oversættelse og tolkning", S.NEEDS_ANALYSIS, "79530000-8", ContractKind.SERVICES, ProcedureType.OPEN,
               (("Skriftlig oversættelse", (("Normalside", "side", None),)), ("Tolkning", (("Fremmødetolkning", "time", None),))), (0, 0)),
    DemoTender("2026-014", "Kontorartikler og papir", S.VOLUME_COLLECTION, "30192000-1", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("Kontorartikler", (("Kuglepen, blå", "stk.", 20000), ("Hæftemaskine", "stk.", 800))),
                ("Kopipapir", (("A4 80 g, 500 ark", "pakke", 60000),))), (2400, 1800)),
    DemoTender("2026-011", "Rengøringsmidler", S.PREPARATION, "39830000-9", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("Rengøringsmidler", (("Universalrengøring, 1 l", "flaske", 12000),)),
                ("Håndhygiejne", (("Håndsæbe, 1 l", "flaske", 9000),))), (1500, 900)),
    DemoTender("2026-008", "Bærbare computere", S.PUBLISHED, "30213100-6", ContractKind.SUPPLIES, ProcedureType.MINI_COMPETITION,
               (("Bærbare computere", (("Standard bærbar", "stk.", 3000),)),), (9000,)),
    DemoTender("2026-005", "Medicinske forbrugsmaterialer", S.EVALUATION, "33140000-3", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("Sårpleje", (("Forbinding, steril", "pakke", 40000),)),
                ("Inkontinens", (("Ble, voksen", "pakke", 30000),)),
                ("Handsker", (("Nitrilhandske", "æske", 50000),))), (2000, 3500, 1200)),
    DemoTender("2025-031", "Rengøring af kommunale bygninger", S.AWARDED, "90911200-8", ContractKind.SERVICES, ProcedureType.RESTRICTED,
               (("Rengøring, administration", (("Ugentlig rengøring", "m²", None),)),), (6000,)),
    DemoTender("2025-022", "Elektricitet", S.CONCLUDED, "09310000-5", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("El", (("Elforbrug", "MWh", 90000),)),), (14000,), (3, 1)),
    DemoTender("2025-017", "Fødevarer til institutioner", S.CANCELLED, "15000000-8", ContractKind.SUPPLIES, ProcedureType.OPEN,
               (("Kolonial", (("Havregryn, 1 kg", "pose", 5000),)),), (3000,)),
)  # fmt: skip

ORDER = [
    S.PLANNED, S.NEEDS_ANALYSIS, S.VOLUME_COLLECTION, S.PREPARATION, S.PUBLISHED,
    S.EVALUATION, S.AWARDED, S.CONCLUDED,
]  # fmt: skip
# Members that decline, with the category and their own words; which of its reasons a member
# gives depends on the tender (by reference), so the demo's declines fall in several categories.
DECLINERS: dict[str, list[tuple[str, str]]] = {
    "middelfart": [
        (DeclineCategory.OWN_AGREEMENT, "Vi har en egen aftale, der løber til 2028."),
        (DeclineCategory.CAPACITY, "Vi har ikke folk til implementeringen før efter sommer."),
    ],
    "svendborg": [
        (DeclineCategory.NO_NEED, "Ingen behov i perioden."),
        (DeclineCategory.BUDGET, "Budgettet til området er skåret ned i 2027."),
        (DeclineCategory.REQUIREMENTS, "Kravene passer ikke til vores decentrale indkøb."),
    ],
}
# Members that have not answered yet in the tender that is collecting volumes.
PENDING = {"esbjerg", "randers", "kolding"}


def _population(member: Member) -> int:
    return member.population(2026) or 50_000


def seed() -> list[Tender]:
    secretariat = Organisation.objects.get(kind=Organisation.Kind.SECRETARIAT)
    staff = User.objects.filter(email="sekretariat@12by.test").first()
    members = list(Member.objects.active().select_related("organisation"))
    contacts = _working_group(members)
    now = timezone.now()
    tenders = []
    for demo in DEMO:
        tenders.append(_seed_one(demo, secretariat, staff, members, contacts, now))
    # A tender with a checked timeline and a rendered set of tender documents.
    seed_timeline()
    return tenders


def _working_group(members: list[Member]) -> list[Contact]:
    """The working-group contacts that the members' demo data gave Odense, Aarhus and Vejle."""
    wanted = {"odense", "aarhus", "vejle"}
    return [
        contact
        for member in members
        if member.organisation.slug in wanted
        for contact in member.contacts.filter(role=Contact.Role.WORKING_GROUP).order_by("pk")[:1]
    ]


# Per stage (index in ORDER): days from today of the participation deadline, the dispatch of
# the contract notice, the bid deadline, the award decision and the contract start. The bid
# deadline, standstill and contract start are then moved as far as the time limits require.
PLAN: dict[int, tuple[int, int, int, int, int]] = {
    0: (60, 95, 130, 150, 200),
    1: (35, 70, 105, 125, 180),
    2: (14, 45, 80, 100, 150),
    3: (-5, 20, 55, 75, 120),
    4: (-40, -5, 30, 50, 100),
    5: (-90, -50, -12, 10, 60),
    6: (-130, -90, -40, -5, 30),
    7: (-240, -200, -150, -80, -45),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def demo_timeline(procedure: str, stage: int, today: date) -> dict[str, PlannedMilestone]:
    """A timeline for a demo tender at `stage`, valid under the procedure's time limits."""
    volume, publication, bid, award, start = (today + timedelta(days=d) for d in PLAN[stage])
    planned = {
        MilestoneKind.NEEDS_ANALYSIS: volume - timedelta(days=45),
        MilestoneKind.VOLUME_DEADLINE: volume,
        MilestoneKind.PUBLICATION: publication,
    }
    # A deadline lies after the end of its period's last day (rules.period_expiry).
    if procedure in rules.REQUEST_PROCEDURES:
        requests = rules.period_expiry(publication, 30).date()
        invitation = requests + timedelta(days=5)
        planned[MilestoneKind.REQUESTS_DEADLINE] = requests
        planned[MilestoneKind.INVITATION] = invitation
        bid = max(bid, rules.period_expiry(invitation, 10 if procedure == rules.DPS else 25).date())
    elif procedure == rules.OPEN:
        bid = max(bid, rules.period_expiry(publication, 30).date())
    award = max(award, bid + timedelta(days=14))
    planned[MilestoneKind.QUESTIONS_DEADLINE] = bid - timedelta(days=10)
    planned[MilestoneKind.BID_DEADLINE] = bid
    planned[MilestoneKind.AWARD_DECISION] = award
    if procedure in rules.STANDSTILL_PROCEDURES:
        standstill = rules.standstill_end(award)
        planned[MilestoneKind.STANDSTILL_END] = standstill
        start = max(start, standstill + timedelta(days=1))
    planned[MilestoneKind.CONTRACT_START] = start
    hours = {
        MilestoneKind.PUBLICATION: (9, 0),
        MilestoneKind.AWARD_DECISION: (10, 0),
        MilestoneKind.STANDSTILL_END: (23, 59),
        MilestoneKind.CONTRACT_START: (0, 0),
    }
    return {
        kind: PlannedMilestone(_at(day, *hours.get(kind, (12, 0)))) for kind, day in planned.items()
    }


def _seed_one(
    demo: DemoTender,
    secretariat: Organisation,
    staff: User | None,
    members: list[Member],
    contacts: list[Contact],
    now: datetime,
) -> Tender:
    stage = ORDER.index(demo.status) if demo.status in ORDER else ORDER.index(S.VOLUME_COLLECTION)
    days = timedelta(days=1)
    planned = demo_timeline(demo.procedure, stage, timezone.localdate(now))
    if demo.status == S.CANCELLED:
        planned = {MilestoneKind.VOLUME_DEADLINE: PlannedMilestone(now - 20 * days)}
    elif stage >= 1:  # the needs analysis began a few weeks after the tender was registered
        analysis = planned[MilestoneKind.NEEDS_ANALYSIS].due
        planned[MilestoneKind.NEEDS_ANALYSIS] = PlannedMilestone(
            history.analysis_start(demo.reference, analysis)
        )
    award = planned.get(MilestoneKind.AWARD_DECISION)
    steps = history.steps_for(
        demo.reference, demo.status, {k: m.due for k, m in planned.items()}, now
    )
    fields = {
        "title": demo.title,
        "description": f"Fællesudbud for 12-by Gruppens medlemmer: {demo.title.lower()}.",
        "procedure_type": demo.procedure,
        "contract_kind": demo.kind,
        "main_cpv": CpvCode.objects.filter(code=demo.cpv).first(),
        "lead_organisation": secretariat,
        "responsible": staff,
        "term_years": demo.term[0],
        "option_years": list(demo.term[1:]),
        # What the EU notices say about the agreement and the bids.
        "framework_type": "fa-w-rc"
        if demo.procedure == ProcedureType.MINI_COMPETITION
        else "fa-wo-rc",
        "framework_max_participants": 3 if demo.procedure == ProcedureType.MINI_COMPETITION else 1,
        "bid_validity_days": 90,
        "documents_url": f"https://udbud.12-by.test/{demo.reference}",
    }
    outcome = {
        "status": demo.status,
        "awarded_at": award.due if award and stage >= 6 else None,
        "cancel_reason": (
            "Behovsafdækningen viste for få deltagere til et fælles udbud."
            if demo.status == S.CANCELLED
            else ""
        ),
    }
    tender, created = Tender.objects.update_or_create(
        reference=demo.reference,
        defaults={**fields, **outcome},
        # A new tender starts as registered; its recorded history takes it to its demo status.
        create_defaults={**fields, "status": S.PLANNED},
    )
    if created:
        history.record_history(tender, steps, outcome)
    # The milestones are the source of the tender's dates (they set its deadlines too).
    timeline_update(tender=tender, user=staff, planned=planned, allow_published_change=True)
    tender.working_group.set(contacts)
    lots = []
    for number, (title, items) in enumerate(demo.lots, start=1):
        lot, _ = Lot.objects.update_or_create(
            tender=tender, number=number, defaults={"title": title}
        )
        for line, (description, unit, quantity) in enumerate(items, start=1):
            LineItem.objects.update_or_create(
                lot=lot,
                number=line,
                defaults={
                    "description": description,
                    "unit": unit,
                    "quantity": Decimal(quantity) if quantity is not None else None,
                },
            )
        lots.append(lot)
    if stage >= 3 or demo.status == S.CANCELLED:
        _criteria(tender)
    if stage >= 2 or demo.status == S.CANCELLED:
        _answers(tender, demo, members, lots, collecting=demo.status == S.VOLUME_COLLECTION)
    if stage >= 3:
        tender.pooling_runs.all().delete()
        tender_pool_volumes(tender=tender, user=staff)
    if demo.status == S.PUBLISHED:
        # What the bidders received: a rendered, current document set (unchanged data makes no
        # new versions when the demo is seeded again).
        tender.refresh_from_db()
        tender_documents_render(tender=tender, user=staff)
    return tender


def _criteria(tender: Tender) -> None:
    rows = [
        ("Pris", AwardCriterion.Kind.PRICE, Decimal(60), False),
        ("Kvalitet og service", AwardCriterion.Kind.QUALITY, Decimal(30), False),
        ("Miljø og klima", AwardCriterion.Kind.ENVIRONMENT, Decimal(10), True),
    ]
    for position, (name, kind, weight, climate) in enumerate(rows, start=1):
        AwardCriterion.objects.update_or_create(
            tender=tender,
            position=position,
            defaults={"name": name, "kind": kind, "weight": weight, "is_climate": climate},
        )
    Tender.objects.filter(pk=tender.pk).update(climate_flag=True)


def _answers(
    tender: Tender, demo: DemoTender, members: list[Member], lots: list[Lot], *, collecting: bool
) -> None:
    officers = {u.organisation_id: u for u in User.objects.filter(role="officer").order_by("email")}
    for member in members:
        slug = member.organisation.slug
        if collecting and slug in PENDING:
            answer, category, reason = Participation.Answer.PENDING, "", ""
        elif slug in DECLINERS:
            options = DECLINERS[slug]
            category, reason = options[int(tender.reference[-3:]) % len(options)]
            answer = Participation.Answer.DECLINE
        else:
            answer, category, reason = Participation.Answer.PARTICIPATE, "", ""
        officer = officers.get(member.organisation_id)
        participation, _ = Participation.objects.update_or_create(
            tender=tender,
            member=member,
            defaults={
                "answer": answer,
                "decline_category": category,
                "decline_reason": reason,
                "answered_by": officer if answer != "pending" else None,
                "answered_at": (
                    min(tender.volume_deadline, timezone.now()) - timedelta(days=3)
                    if answer != "pending" and tender.volume_deadline
                    else None
                ),
            },
        )
        if answer != Participation.Answer.PARTICIPATE:
            participation.declarations.all().delete()
            continue
        thousands = Decimal(_population(member)) / 1000
        for lot, rate in zip(lots, demo.per_thousand, strict=False):
            VolumeDeclaration.objects.update_or_create(
                participation=participation,
                lot=lot,
                defaults={"annual_volume": (thousands * rate / 1000).quantize(Decimal(1)) * 1000},
            )
