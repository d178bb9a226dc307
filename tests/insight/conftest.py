"""A hand-computable world for the insight figures (the numbers are worked out in test_compute).

Tender 2024-050, lot 1: Odense declared 100.000 kr. a year, Aarhus 200.000 kr.

A 2025-101 Kontorartikler (tender 2024-050 lot 1), CPV 30192000 (prefix 30192), supplier s1,
  savings 1 − 90/100 = 0,10, 1.1.2025–31.12.2026, Odense and Aarhus bound, maximum 500.000 kr.
B 2025-102 PC'er, CPV 30213000 (prefix 30213), supplier s3, savings 0,15, 1.7.2025–30.6.2027, Odense.
C 2025-103 Kontormaskiner, CPV 30000000 (division 30), supplier s2, savings 0,05,
  1.1.2025–31.12.2025, Odense.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from agreements.models import Agreement
from agreements.services import agreement_create, compliance_recompute
from consortium.procurement import ProcedureType
from cpv.models import CpvCode
from insight.models import FrameworkMaximum
from insight.services import recompute
from members.models import Member
from spend.models import SpendLine, Supplier
from tenders.models import Lot, Participation, Tender, TenderStatus, VolumeDeclaration
from tests.conftest import Cast, make_member
from tests.factories import valid_cvr

D = datetime.date
TODAY = D(2026, 3, 31)


def supplier(n: int, name: str) -> Supplier:
    return Supplier.objects.get_or_create(cvr=valid_cvr(7000 + n), defaults={"name": name})[0]


def line(
    member: Member, s: Supplier, cpv: str | None, day: datetime.date, amount: str
) -> SpendLine:
    count = SpendLine.objects.count()
    return SpendLine.objects.create(
        member=member, supplier=s, cpv_id=cpv, invoice_date=day, amount=Decimal(amount),
        fingerprint=f"insight-{count}", invoice_number=f"F{count:04d}",
    )  # fmt: skip


@dataclass
class World:
    cast: Cast
    a: Agreement
    b: Agreement
    c: Agreement
    svendborg: Member
    s: dict[str, Supplier] = field(default_factory=dict)


def cpv(code: str) -> CpvCode:
    return CpvCode.objects.get(code=code)


@pytest.fixture
def world(cast: Cast) -> World:
    odense, aarhus = cast.odense, cast.aarhus
    svendborg = make_member("svendborg", "Svendborg", "479")
    s = {
        "s1": supplier(1, "Kontor A/S"),
        "s2": supplier(2, "Maskiner ApS"),
        "s3": supplier(3, "PC Huset A/S"),
        "s4": supplier(4, "Lokal Boghandel ApS"),
        "s5": supplier(5, "Nærbutikken A/S"),
    }
    tender = Tender.objects.create(
        reference="2024-050", title="Kontorartikler", status=TenderStatus.CONCLUDED,
        lead_organisation=cast.secretariat, term_years=2, procedure_type=ProcedureType.OPEN,
    )  # fmt: skip
    lot1 = Lot.objects.create(tender=tender, number=1, title="Kontorartikler")
    lot2 = Lot.objects.create(tender=tender, number=2, title="Papir")
    for member, volume in ((odense, "100000.00"), (aarhus, "200000.00")):
        p = Participation.objects.create(
            tender=tender, member=member, answer=Participation.Answer.PARTICIPATE
        )
        VolumeDeclaration.objects.create(participation=p, lot=lot1, annual_volume=Decimal(volume))
        # A declaration on another lot is not the agreement's.
        VolumeDeclaration.objects.create(participation=p, lot=lot2, annual_volume=Decimal("9999"))
    a = agreement_create(
        number="2025-101", title="Kontorartikler", tender=tender, lot=lot1,
        start_date=D(2025, 1, 1), base_end_date=D(2026, 12, 31), members=[odense, aarhus],
        categories=[cpv("30192000-1")], suppliers=[(s["s1"], 1)],
        baseline_price_level=Decimal("100"), agreement_price_level=Decimal("90"),
    )  # fmt: skip
    b = agreement_create(
        number="2025-102", title="PC'er", start_date=D(2025, 7, 1), base_end_date=D(2027, 6, 30),
        members=[odense], categories=[cpv("30213000-5")], suppliers=[(s["s3"], None)],
        baseline_price_level=Decimal("100"), agreement_price_level=Decimal("85"),
    )  # fmt: skip
    c = agreement_create(
        number="2025-103", title="Kontormaskiner", start_date=D(2025, 1, 1),
        base_end_date=D(2025, 12, 31), members=[odense], categories=[cpv("30000000-9")],
        suppliers=[(s["s2"], None)],
        baseline_price_level=Decimal("100"), agreement_price_level=Decimal("95"),
    )  # fmt: skip
    FrameworkMaximum.objects.create(agreement=a, maximum_value=Decimal("500000.00"))
    o, r, x = odense, aarhus, svendborg
    rows = [
        # Volume kept on A
        (o, "s1", "30192000-1", D(2025, 2, 1), "40000.00"),
        (o, "s1", "30192100-2", D(2025, 6, 1), "25000.00"),
        (r, "s1", "30192000-1", D(2025, 5, 1), "320000.00"),
        (o, "s1", "30192000-1", D(2026, 2, 1), "20000.00"),
        # Off-contract
        (o, "s4", "30192000-1", D(2025, 3, 10), "1000.00"),  # A and C cover: counts under A
        (o, "s5", "30192000-1", D(2025, 4, 1), "2000.00"),  # A
        (o, "s2", "30192000-1", D(2025, 3, 11), "700.00"),  # on C, which covers it: not off
        (o, "s4", "30213000-5", D(2025, 8, 1), "333.33"),  # B and C cover: under B
        (o, "s4", "30213000-5", D(2025, 5, 1), "400.00"),  # B not started: under C
        (o, "s4", None, D(2025, 5, 2), "999.00"),  # no category: never off-contract
        (o, "s4", "45000000-7", D(2025, 5, 3), "888.00"),  # no agreement covers it
        (x, "s4", "30192000-1", D(2025, 3, 10), "7777.00"),  # Svendborg is bound by none
    ]
    for member, key, code, day, amount in rows:
        line(member, s[key], code, day, amount)
    return World(cast=cast, a=a, b=b, c=c, svendborg=svendborg, s=s)


@pytest.fixture
def computed(world: World) -> World:
    compliance_recompute()
    recompute(today=TODAY)
    return world
