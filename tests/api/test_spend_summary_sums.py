"""The spend summary from the stored sums (whole months by month, whole years by supplier)
agrees with the same summary from the lines, to the øre and the line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from spend.models import SpendLine, Supplier
from tests.api.conftest import api_client_for
from tests.factories import valid_cvr

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def lines(cast):
    suppliers = [
        Supplier.objects.create(cvr=valid_cvr(700 + n), name=f"Leverandør {n}") for n in range(3)
    ]
    amounts = ["100.10", "-20.05", "3333.33", "0.01", "999.99", "45.50", "12.00"]
    days = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 15), D(2026, 2, 28), D(2026, 3, 1),
            D(2026, 12, 31), D(2027, 1, 1)]  # fmt: skip
    SpendLine.objects.bulk_create(
        SpendLine(
            member=member,
            supplier=suppliers[(n + m) % 3],
            amount=Decimal(amount),
            invoice_date=day,
            fingerprint=f"s{m}-{n}",
        )
        for m, member in enumerate((cast.odense, cast.aarhus))
        for n, (amount, day) in enumerate(zip(amounts, days, strict=True))
    )
    return cast


def _expected(member, group_by: str, start, end) -> dict[str, tuple[Decimal, int]]:
    rows: dict[str, tuple[Decimal, int]] = {}
    for line in SpendLine.objects.filter(member=member).select_related("supplier"):
        if (start and line.invoice_date < start) or (end and line.invoice_date > end):
            continue
        key = f"{line.invoice_date:%Y-%m}" if group_by == "month" else line.supplier.cvr
        amount, count = rows.get(key, (Decimal("0.00"), 0))
        rows[key] = (amount + line.amount, count + 1)
    return rows


@pytest.mark.parametrize("group_by", ["month", "supplier"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        (D(2026, 1, 1), None),  # whole months and years
        (None, D(2026, 12, 31)),
        (D(2026, 1, 1), D(2026, 12, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),  # whole month, not a whole year
        (D(2026, 1, 2), None),  # neither
        (None, D(2026, 12, 30)),
    ],
)
def test_stored_sums_and_lines_agree(lines, group_by, start, end) -> None:
    params = {"group_by": group_by}
    if start:
        params["date_from"] = start.isoformat()
    if end:
        params["date_to"] = end.isoformat()
    body = api_client_for(lines.officer).get("/api/v1/spend/summary", params).json()
    got = {r["key"]: (Decimal(r["amount"]), r["lines"]) for r in body["rows"]}
    assert got == _expected(lines.odense, group_by, start, end)
    assert Decimal(body["total"]) == sum((a for a, _n in got.values()), Decimal("0.00"))
