"""Demo members: the 14 members of 12-by Gruppen Indkøbscentral.

Codes, names and regions come from members/data/dk_kommuner.csv (public DAGI data). CVR numbers
are the municipalities' CVR numbers as we know them; check them in the CVR register before using
them for anything real. EAN/GLN numbers are invented (valid check digits, not real locations).
Populations are rounded approximations, marked `is_estimate`, not official figures.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from stdnum import ean

from accounts.models import Organisation
from cpv.models import CpvCode

from .models import Commitment, Contact, FeeModel, Member, Municipality, PopulationFigure

DATA = Path(__file__).parent / "data" / "dk_kommuner.csv"
DEMO_YEAR = 2026
POPULATION_SOURCE = "Afrundet skøn til demo — ikke et officielt tal"


@dataclass(frozen=True)
class DemoMunicipality:
    code: str
    cvr: str
    population: int


@dataclass(frozen=True)
class DemoMember:
    slug: str  # lower-case ASCII; also the demo users' e-mail domain
    name: str
    municipalities: tuple[DemoMunicipality, ...]


DEMO_MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("aarhus", "Aarhus", (DemoMunicipality("751", "55133018", 375_000),)),
    DemoMember("herning", "Herning", (DemoMunicipality("657", "29189919", 90_000),)),
    DemoMember("soenderborg", "Sønderborg", (DemoMunicipality("540", "29189781", 73_000),)),
    DemoMember("vejle", "Vejle", (DemoMunicipality("630", "29189838", 122_000),)),
    DemoMember("middelfart", "Middelfart", (DemoMunicipality("410", "29189587", 40_000),)),
    DemoMember("fredericia", "Fredericia", (DemoMunicipality("607", "69116418", 52_000),)),
    DemoMember("silkeborg", "Silkeborg", (DemoMunicipality("740", "29189641", 102_000),)),
    DemoMember("ikast-brande", "Ikast-Brande", (DemoMunicipality("756", "29189900", 42_000),)),
    # One member, two contracting authorities: each municipality keeps its own CVR.
    DemoMember(
        "holstebro-lemvig",
        "Holstebro-Lemvig",
        (DemoMunicipality("661", "29189579", 59_000), DemoMunicipality("665", "29189447", 19_500)),
    ),
    DemoMember("esbjerg", "Esbjerg", (DemoMunicipality("561", "29189803", 115_000),)),
    DemoMember("kolding", "Kolding", (DemoMunicipality("621", "29189757", 95_000),)),
    DemoMember("randers", "Randers", (DemoMunicipality("730", "29189668", 99_000),)),
    DemoMember("svendborg", "Svendborg", (DemoMunicipality("479", "29189684", 59_000),)),
    DemoMember("odense", "Odense", (DemoMunicipality("461", "35209115", 210_000),)),
)


# What EU notices say about each municipality as a buyer: its NUTS 3 region and the town hall's
# address (public, but check before real use). E-mail addresses are the demo's own.
BUYER_DETAILS = {
    "751": ("DK042", "Rådhuspladsen 2", "8000", "Aarhus C"),
    "657": ("DK041", "Torvet 5", "7400", "Herning"),
    "540": ("DK032", "Rådhustorvet 10", "6400", "Sønderborg"),
    "630": ("DK032", "Skolegade 1", "7100", "Vejle"),
    "410": ("DK031", "Nytorv 9", "5500", "Middelfart"),
    "607": ("DK032", "Gothersgade 20", "7000", "Fredericia"),
    "740": ("DK042", "Søvej 1", "8600", "Silkeborg"),
    "756": ("DK041", "Centerparken 1", "7330", "Brande"),
    "661": ("DK041", "Kirkestræde 11", "7500", "Holstebro"),
    "665": ("DK041", "Rådhusgade 2", "7620", "Lemvig"),
    "561": ("DK032", "Torvegade 74", "6700", "Esbjerg"),
    "621": ("DK032", "Akseltorv 1", "6000", "Kolding"),
    "730": ("DK042", "Laksetorvet 1", "8900", "Randers C"),
    "479": ("DK031", "Ramsherred 5", "5700", "Svendborg"),
    "461": ("DK031", "Flakhaven 2", "5000", "Odense C"),
}


def official_municipalities() -> dict[str, dict[str, str]]:
    """The 98 municipalities by three-digit code: name and region code."""
    with DATA.open(encoding="utf-8") as fh:
        return {
            row["kommunekode"].lstrip("0").zfill(3): {
                "name": row["kommunenavn"],
                "region": row["regionskode"],
            }
            for row in csv.DictReader(fh)
        }


def _buyer_details(code: str, slug: str) -> dict[str, str]:
    nuts, street, postcode, city = BUYER_DETAILS[code]
    return {
        "nuts_code": nuts,
        "address": street,
        "postcode": postcode,
        "city": city,
        "legal_type": "la",
        "email": f"udbud@{slug}.test",
        "phone": f"+45 70 10 {int(code) % 100:02d} 00",
    }


def demo_gln(code: str) -> str:
    body = f"57980000{code}0"
    return body + ean.calc_check_digit(body)


# The secretariat's 2026 budget: eight staff, premises in Odense, systems and legal advice.
DEMO_FEE_MODEL = {
    "budget": Decimal("9850000.00"),
    "base_share": Decimal("0.2500"),
    "minimum_fee": Decimal("400000.00"),
    "population_year": DEMO_YEAR,
    "due_on": date(2026, 3, 31),
    "notes": "Vedtaget på generalforsamlingen i november 2025 (demo).",
}
# Categories every member has committed to join (CPV): office supplies, electricity, food.
BINDING_CPV = ["30192000", "09310000", "15000000"]
FIRST_NAMES = ["Mette", "Lars", "Hanne", "Søren", "Karen", "Jens", "Birgitte", "Anders", "Lone",
               "Peter", "Rikke", "Morten", "Tina", "Henrik"]  # fmt: skip
LAST_NAMES = ["Jørgensen", "Nielsen", "Højgaard", "Østergaard", "Christensen", "Bæk", "Andersen",
              "Mølgaard", "Kjær", "Sørensen", "Larsen", "Damgaard", "Holm", "Thomsen"]  # fmt: skip


def _contacts(index: int, demo: DemoMember) -> list[dict[str, object]]:
    def person(offset: int) -> str:
        return f"{FIRST_NAMES[(index + offset) % 14]} {LAST_NAMES[(index * 3 + offset) % 14]}"

    domain = f"{demo.slug}.test"
    return [
        {"name": person(0), "title": "Indkøbschef", "role": Contact.Role.PROCUREMENT_LEAD,
         "email": f"indkobschef@{domain}", "phone": f"+45 70 10 {index:02d} 00",
         "working_group": "", "hours_per_year": 40},
        {"name": person(5), "title": "Kommunaldirektør", "role": Contact.Role.BOARD_REPRESENTATIVE,
         "email": f"direktion@{domain}", "phone": "", "working_group": "", "hours_per_year": 20},
        {"name": person(9), "title": "Indkøbskonsulent", "role": Contact.Role.WORKING_GROUP,
         "email": f"udbud@{domain}", "phone": "", "working_group": "Fødevarer og kantinedrift",
         "hours_per_year": 60},
    ]  # fmt: skip


def seed_commitments_and_contacts(members: dict[str, Member]) -> None:
    """Two membership periods per member (2022–2025 kept as history, 2026–2029 current)."""
    binding = list(CpvCode.objects.filter(code8__in=BINDING_CPV))
    for index, demo in enumerate(DEMO_MEMBERS):
        member = members[demo.slug]
        for start, decided in ((2022, date(2021, 9, 27)), (2026, date(2025, 9, 22))):
            commitment, _ = Commitment.objects.update_or_create(
                member=member,
                start_year=start,
                defaults={
                    "end_year": start + 3,
                    "economic_terms": "Betaler kontingent efter det enkelte budgetårs kontingentmodel.",
                    "council_decision_on": decided,
                    "case_reference": f"{decided.year}-{index + 10:03d}",
                    "working_group_hours": 120 if start == 2026 else 80,
                    "binding_procedures": ["mini_competition"] if start == 2026 else [],
                    "opt_out_allowed": True,
                    "opt_out_deadline_days": 30,
                    "opt_out_justification_required": True,
                },
            )
            commitment.binding_categories.set(binding if start == 2026 else binding[:1])
        for contact in _contacts(index, demo):
            Contact.objects.update_or_create(
                member=member, role=contact["role"], email=contact["email"], defaults=contact
            )


def seed_fees() -> FeeModel:
    from .fees.services import fees_calculate

    # With more members than the demo's 14 (`seed_demo --scale large`), the budget grows with
    # them, so the minimum fee still fits.
    members = max(len(DEMO_MEMBERS), Member.objects.filter(status=Member.Status.MEMBER).count())
    budget = DEMO_FEE_MODEL["budget"] * members / len(DEMO_MEMBERS)
    defaults = {**DEMO_FEE_MODEL, "budget": budget.quantize(Decimal("1000"))}
    fee_model, _ = FeeModel.objects.update_or_create(year=DEMO_YEAR, defaults=defaults)
    fees_calculate(fee_model=fee_model)
    return fee_model


def seed() -> dict[str, Member]:
    """Create or update the demo members, commitments, contacts and fees; returns members."""
    members = seed_members()
    seed_commitments_and_contacts(members)
    seed_fees()
    return members


def seed_members() -> dict[str, Member]:
    """Create or update the demo members; returns them by slug."""
    official = official_municipalities()
    members: dict[str, Member] = {}
    for demo in DEMO_MEMBERS:
        org, _ = Organisation.objects.update_or_create(
            slug=demo.slug,
            defaults={"kind": Organisation.Kind.MEMBER, "name": demo.name},
        )
        member, _ = Member.objects.update_or_create(
            organisation=org,
            defaults={"status": Member.Status.MEMBER, "joined_on": date(2005, 1, 1)},
        )
        for m in demo.municipalities:
            facts = official[m.code]
            municipality, _ = Municipality.objects.update_or_create(
                code=m.code,
                defaults={
                    "member": member,
                    "name": facts["name"],
                    "region": facts["region"],
                    "cvr": m.cvr,
                    "gln": demo_gln(m.code),
                    **_buyer_details(m.code, demo.slug),
                },
            )
            PopulationFigure.objects.update_or_create(
                municipality=municipality,
                year=DEMO_YEAR,
                defaults={
                    "population": m.population,
                    "is_estimate": True,
                    "source": POPULATION_SOURCE,
                },
            )
        members[demo.slug] = member
    return members
