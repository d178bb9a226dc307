"""SupplierSpend: each member's spend per supplier and year, kept by the database in the
statement that writes the lines, and what the supplier register and a supplier's page read."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from consortium import tenancy
from consortium.tenancy import Acting
from spend.models import SpendLine, Supplier, SupplierSpend
from spend.selectors import supplier_registry, supplier_spend_by_member
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date


def _stored() -> dict[tuple[int, int, int], tuple[Decimal, int]]:
    return {
        (s.member_id, s.supplier_id, s.year): (s.amount, s.lines)
        for s in SupplierSpend.objects.all()
    }


def _from_lines() -> dict[tuple[int, int, int], tuple[Decimal, int]]:
    rows = (
        SpendLine.objects.annotate(year=ExtractYear("invoice_date"))
        .values("member_id", "supplier_id", "year")
        .annotate(amount=Sum("amount"), lines=Count("pk"))
    )
    return {(r["member_id"], r["supplier_id"], r["year"]): (r["amount"], r["lines"]) for r in rows}


def _line(member, supplier, amount: str, day: datetime.date, n: int) -> SpendLine:
    return SpendLine(
        member=member, supplier=supplier, amount=Decimal(amount), invoice_date=day,
        fingerprint=f"f{n}",
    )  # fmt: skip


@pytest.fixture
def suppliers() -> tuple[Supplier, Supplier]:
    return (
        Supplier.objects.create(cvr="10000009", name="Lyreco Danmark A/S"),
        Supplier.objects.create(cvr="20000001", name="Dustin A/S"),
    )


def test_inserts_updates_and_deletes_keep_the_sums(cast, suppliers) -> None:
    lyreco, dustin = suppliers
    odense, aarhus = cast.odense, cast.aarhus
    SpendLine.objects.bulk_create(
        [
            _line(odense, lyreco, "100.00", D(2025, 12, 31), 1),
            _line(odense, lyreco, "250.50", D(2026, 1, 1), 2),
            _line(odense, lyreco, "-20.25", D(2026, 4, 2), 3),  # a credit note
            _line(odense, dustin, "40.00", D(2026, 4, 2), 4),
            _line(aarhus, lyreco, "999.99", D(2026, 3, 15), 5),
        ]
    )
    assert _stored() == {
        (odense.pk, lyreco.pk, 2025): (Decimal("100.00"), 1),
        (odense.pk, lyreco.pk, 2026): (Decimal("230.25"), 2),
        (odense.pk, dustin.pk, 2026): (Decimal("40.00"), 1),
        (aarhus.pk, lyreco.pk, 2026): (Decimal("999.99"), 1),
    }
    # A line moved to another year, another supplier and another amount.
    SpendLine.objects.filter(fingerprint="f1").update(
        invoice_date=D(2026, 2, 1), supplier=dustin, amount=Decimal("60.00")
    )
    assert (odense.pk, lyreco.pk, 2025) not in _stored()
    assert _stored()[(odense.pk, dustin.pk, 2026)] == (Decimal("100.00"), 2)
    # Raw SQL too.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM spend_spendline WHERE member_id = %s", [aarhus.pk])
    assert _stored() == _from_lines()
    SpendLine.objects.filter(supplier=lyreco).delete()
    assert _stored() == _from_lines() == {(odense.pk, dustin.pk, 2026): (Decimal("100.00"), 2)}


def test_the_register_and_a_suppliers_page_read_the_sums(cast, suppliers) -> None:
    lyreco, dustin = suppliers
    SpendLine.objects.bulk_create(
        [
            _line(cast.odense, lyreco, "100.00", D(2025, 6, 1), 1),
            _line(cast.aarhus, lyreco, "50.00", D(2026, 6, 1), 2),
            _line(cast.aarhus, dustin, "500.00", D(2026, 6, 1), 3),
        ]
    )
    assert [(s.name, s.total_spend) for s in supplier_registry()[:2]] == [
        ("Dustin A/S", Decimal("500.00")),
        ("Lyreco Danmark A/S", Decimal("150.00")),
    ]
    assert [
        (r["member__organisation__name"], r["year"], r["total"], r["lines"])
        for r in supplier_spend_by_member(lyreco)
    ] == [
        (cast.aarhus.name, 2026, Decimal("50.00"), 1),
        (cast.odense.name, 2025, Decimal("100.00"), 1),
    ]
    page = client_for(cast.staff).get(f"/spend/suppliers/{lyreco.cvr}/").content.decode()
    assert "2025" in page and "2026" in page


def test_a_member_sees_only_its_own_sums(cast, suppliers) -> None:
    lyreco, _dustin = suppliers
    SpendLine.objects.bulk_create(
        [
            _line(cast.odense, lyreco, "100.00", D(2026, 3, 1), 1),
            _line(cast.aarhus, lyreco, "250.00", D(2026, 3, 1), 2),
        ]
    )
    odense = Acting(tenancy.MEMBER, cast.odense.organisation_id, cast.odense.pk)
    with tenancy.acting_as(odense):
        assert set(SupplierSpend.objects.values_list("member_id", flat=True)) == {cast.odense.pk}
