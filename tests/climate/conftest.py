"""A hand-computable world for the climate figures (the numbers are worked out in
test_compute.py's docstring)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from agreements.models import Agreement
from agreements.services import agreement_create
from cpv.models import CpvCode
from members.models import Member
from spend.models import SpendLine, Supplier
from tests.conftest import Cast
from tests.factories import PopulationFigureFactory, valid_cvr

D = datetime.date


def supplier(n: int, name: str) -> Supplier:
    return Supplier.objects.get_or_create(cvr=valid_cvr(7000 + n), defaults={"name": name})[0]


def line(member: Member, supplier: Supplier, cpv: str | None, day: datetime.date, amount: str):
    count = SpendLine.objects.count()
    return SpendLine.objects.create(
        member=member,
        supplier=supplier,
        cpv_id=cpv,
        invoice_date=day,
        amount=Decimal(amount),
        fingerprint=f"climate-{count}",
    )


OFFICE = "30192000-1"  # division 30, 0.0746 kg/DKK
FOOD = "15000000-8"  # division 15, 0.0796
DIESEL = "09134100-8"  # division 09 (fuels), 0.0686
ELECTRICITY = "09310000-5"  # needs metered consumption


@dataclass
class ClimateWorld:
    cast: Cast
    agreement: Agreement
    kontor: Supplier
    food: Supplier
    energy: Supplier


@pytest.fixture
def world(cast: Cast) -> ClimateWorld:
    odense, aarhus = cast.odense, cast.aarhus
    kontor = supplier(1, "Grøn Kontor A/S")
    food = supplier(2, "Madhuset ApS")
    energy = supplier(3, "Fyns Energi A/S")
    agreement = agreement_create(
        number="2026-201",
        title="Kontorartikler",
        start_date=D(2026, 1, 1),
        base_end_date=D(2027, 12, 31),
        members=[odense],
        categories=[CpvCode.objects.get(code=OFFICE)],
        suppliers=[(kontor, None)],
        climate_requirements="Svanemærkede produkter",
    )
    for municipality, population in ((odense.municipalities.get(), 200000),):
        PopulationFigureFactory(municipality=municipality, year=2025, population=population)
    PopulationFigureFactory(municipality=aarhus.municipalities.get(), year=2026, population=50000)
    line(odense, kontor, OFFICE, D(2026, 3, 10), "1000.00")
    line(odense, kontor, OFFICE, D(2026, 4, 1), "250.50")
    line(odense, food, FOOD, D(2026, 5, 2), "2000.00")
    line(odense, energy, ELECTRICITY, D(2026, 1, 31), "5000.00")
    line(odense, food, None, D(2026, 6, 1), "750.00")
    line(odense, food, DIESEL, D(2026, 6, 2), "300.00")
    line(odense, kontor, None, D(2026, 7, 1), "100.00")
    line(odense, kontor, OFFICE, D(2025, 12, 31), "400.00")
    line(aarhus, food, FOOD, D(2026, 2, 2), "1000.00")
    return ClimateWorld(cast, agreement, kontor, food, energy)
