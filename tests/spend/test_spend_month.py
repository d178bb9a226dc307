"""SpendMonth: each member's spend per month, kept by the database in the statement that writes
the lines — inserts, updates, deletes, bulk and raw SQL alike — and under row-level security."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from consortium import tenancy
from consortium.tenancy import Acting
from spend.models import SpendLine, SpendMonth, Supplier

pytestmark = pytest.mark.django_db

D = datetime.date


def _months() -> dict[tuple[int, datetime.date], tuple[Decimal, int]]:
    return {
        (m.member_id, m.month): (m.amount, m.lines)
        for m in SpendMonth.objects.order_by("member_id", "month")
    }


@pytest.fixture
def supplier() -> Supplier:
    return Supplier.objects.create(cvr="10000009", name="Lyreco Danmark A/S")


def _line(member, supplier, amount: str, day: datetime.date, n: int) -> SpendLine:
    return SpendLine(
        member=member, supplier=supplier, amount=Decimal(amount), invoice_date=day,
        fingerprint=f"f{n}",
    )  # fmt: skip


def test_inserts_updates_and_deletes_keep_the_monthly_sums(cast, supplier) -> None:
    odense, aarhus = cast.odense, cast.aarhus
    SpendLine.objects.bulk_create(
        [
            _line(odense, supplier, "100.00", D(2026, 3, 1), 1),
            _line(odense, supplier, "250.50", D(2026, 3, 31), 2),
            _line(odense, supplier, "-20.25", D(2026, 4, 2), 3),  # a credit note
            _line(aarhus, supplier, "999.99", D(2026, 3, 15), 4),
        ]
    )
    SpendLine.objects.create(
        member=odense, supplier=supplier, amount=Decimal("0.75"), invoice_date=D(2026, 3, 9),
        fingerprint="f5",
    )  # fmt: skip
    assert _months() == {
        (odense.pk, D(2026, 3, 1)): (Decimal("351.25"), 3),
        (odense.pk, D(2026, 4, 1)): (Decimal("-20.25"), 1),
        (aarhus.pk, D(2026, 3, 1)): (Decimal("999.99"), 1),
    }
    # A line moved to another month and another amount.
    SpendLine.objects.filter(fingerprint="f2").update(
        invoice_date=D(2026, 4, 30), amount=Decimal("200.00")
    )
    assert _months()[(odense.pk, D(2026, 3, 1))] == (Decimal("100.75"), 2)
    assert _months()[(odense.pk, D(2026, 4, 1))] == (Decimal("179.75"), 2)
    # Raw SQL too; a month whose last line goes is gone.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM spend_spendline WHERE member_id = %s", [aarhus.pk])
    assert (aarhus.pk, D(2026, 3, 1)) not in _months()
    SpendLine.objects.filter(member=odense, invoice_date__month=4).delete()
    assert _months() == {(odense.pk, D(2026, 3, 1)): (Decimal("100.75"), 2)}


def test_a_member_sees_only_its_own_months(cast, supplier) -> None:
    SpendLine.objects.bulk_create(
        [
            _line(cast.odense, supplier, "100.00", D(2026, 3, 1), 1),
            _line(cast.aarhus, supplier, "250.00", D(2026, 3, 1), 2),
        ]
    )
    odense = Acting(
        scope=tenancy.MEMBER, organisation_id=cast.odense.organisation_id, member_id=cast.odense.pk
    )
    with tenancy.acting_as(odense):
        assert list(SpendMonth.objects.values_list("member_id", "amount")) == [
            (cast.odense.pk, Decimal("100.00"))
        ]
        # The officer's own import writes its own member's months through the trigger.
        SpendLine.objects.create(
            member=cast.odense, supplier=supplier, amount=Decimal("5.00"),
            invoice_date=D(2026, 5, 5), fingerprint="own",
        )  # fmt: skip
        assert SpendMonth.objects.get(month=D(2026, 5, 1)).amount == Decimal("5.00")
    with tenancy.acting_as(tenancy.NOBODY):
        assert not SpendMonth.objects.exists()
