"""Builders for agreement tests: suppliers, spend lines and a hand-computable world."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from agreements.models import Agreement
from agreements.services import agreement_create
from cpv.models import CpvCode
from members.models import Member
from spend.models import SpendLine, Supplier
from tests.conftest import Cast, make_member
from tests.factories import valid_cvr

D = datetime.date


def supplier(n: int, name: str) -> Supplier:
    return Supplier.objects.get_or_create(cvr=valid_cvr(5000 + n), defaults={"name": name})[0]


def line(
    member: Member, supplier: Supplier, cpv: str | None, day: datetime.date, amount: str
) -> SpendLine:
    count = SpendLine.objects.count()
    return SpendLine.objects.create(
        member=member,
        supplier=supplier,
        cpv_id=cpv,
        invoice_date=day,
        amount=Decimal(amount),
        fingerprint=f"test-{count}",
    )


@dataclass
class HandWorld:
    """The data behind the hand computation in test_compliance.py."""

    cast: Cast
    a: Agreement
    b: Agreement
    svendborg: Member
    s: dict[str, Supplier] = field(default_factory=dict)


@pytest.fixture
def hand_world(cast: Cast) -> HandWorld:
    odense, aarhus = cast.odense, cast.aarhus
    svendborg = make_member("svendborg", "Svendborg", "479")
    s = {
        "s1": supplier(1, "Kontor A/S"),
        "s2": supplier(2, "Papir ApS"),
        "s3": supplier(3, "PC Huset A/S"),
        "s4": supplier(4, "Udenfor Aftale A/S"),
    }
    a = agreement_create(
        number="2024-101",
        title="Kontorartikler",
        start_date=D(2025, 1, 1),
        base_end_date=D(2026, 12, 31),
        members=[odense, aarhus],
        categories=[CpvCode.objects.get(code="30192000-1")],
        suppliers=[(s["s1"], 1), (s["s2"], 2)],
        allocation=Agreement.Allocation.RANKING,
        baseline_price_level=Decimal("100"),
        agreement_price_level=Decimal("92"),
    )
    b = agreement_create(
        number="2025-007",
        title="PC'er",
        start_date=D(2025, 7, 1),
        base_end_date=D(2027, 6, 30),
        members=[odense],
        categories=[CpvCode.objects.get(code="30213000-5")],
        suppliers=[(s["s3"], None)],
        baseline_price_level=Decimal("100"),
        agreement_price_level=Decimal("85"),
    )
    o, r, x = odense, aarhus, svendborg
    rows = [
        (o, "s1", "30192100-2", D(2025, 3, 5), "1000.00"),  # A: subtree of 30192, supplier
        (o, "s4", "30192000-1", D(2025, 3, 20), "500.00"),  # A: category, not supplier
        (o, "s2", None, D(2025, 3, 28), "250.00"),  # A: no category but an A supplier
        (o, "s4", None, D(2025, 3, 28), "999.00"),  # nothing: no category, no supplier
        (o, "s1", "30213000-5", D(2025, 3, 10), "300.00"),  # nothing: B not started yet
        (o, "s1", "30192000-1", D(2025, 4, 2), "-200.00"),  # A: credit note
        (o, "s2", "30192000-1", D(2025, 4, 3), "1200.00"),  # A
        (o, "s4", "30192000-1", D(2025, 4, 15), "800.00"),  # A: category only
        (r, "s1", "30192000-1", D(2025, 3, 1), "400.00"),  # A, Aarhus
        (x, "s1", "30192000-1", D(2025, 3, 1), "7777.00"),  # nothing: Svendborg not bound
        (o, "s1", "30192000-1", D(2024, 12, 31), "5000.00"),  # nothing: before A starts
        (o, "s3", "30213000-5", D(2025, 7, 1), "2000.00"),  # B
        (o, "s1", "30213000-5", D(2025, 7, 15), "1000.00"),  # B: category only
        (r, "s3", "30213000-5", D(2025, 7, 1), "3000.00"),  # nothing: Aarhus not bound to B
        (o, "s3", None, D(2025, 7, 20), "333.33"),  # B: no category, B supplier
    ]
    for member, key, cpv, day, amount in rows:
        line(member, s[key], cpv, day, amount)
    return HandWorld(cast=cast, a=a, b=b, svendborg=svendborg, s=s)
