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
from pathlib import Path

from stdnum import ean

from accounts.models import Organisation

from .models import Member, Municipality, PopulationFigure

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


def demo_gln(code: str) -> str:
    body = f"57980000{code}0"
    return body + ean.calc_check_digit(body)


def seed() -> dict[str, Member]:
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
