"""Historical spend in a tender's categories, for all participants in one query."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cpv.models import CpvCode
from spend.models import SpendLine, Supplier
from spend.selectors import member_spend_in_categories, members_spend_in_categories
from tests.factories import valid_cvr


def _line(member, supplier, amount: str, code8: str, day: datetime.date, n: int) -> None:
    SpendLine.objects.create(
        member=member, supplier=supplier, amount=Decimal(amount), invoice_date=day,
        cpv=CpvCode.objects.get(code8=code8), fingerprint=f"t{n}",
    )  # fmt: skip


def test_spend_in_categories_covers_subtrees_dates_and_members(
    cast, django_assert_num_queries
) -> None:
    supplier = Supplier.objects.create(cvr=valid_cvr(700), name="Kontor A/S")
    day = datetime.date(2026, 3, 1)
    _line(cast.odense, supplier, "100.00", "30192000", day, 1)  # office supplies
    _line(cast.odense, supplier, "-20.50", "30192100", day, 2)  # below it: counts (credit)
    _line(cast.odense, supplier, "999.00", "15000000", day, 3)  # food: other category
    _line(cast.odense, supplier, "50.00", "30192000", datetime.date(2025, 1, 1), 4)  # too early
    _line(cast.aarhus, supplier, "70.00", "30190000", day, 5)  # above the code: not in it
    office = CpvCode.objects.get(code8="30192000")
    start, end = datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)
    with django_assert_num_queries(1):
        totals = members_spend_in_categories([cast.odense.pk, cast.aarhus.pk], [office], start, end)
    assert totals == {cast.odense.pk: Decimal("79.50")}
    assert member_spend_in_categories(cast.aarhus.pk, [office], start, end) == Decimal("0.00")
    assert members_spend_in_categories([cast.odense.pk], [], start, end) == {}
