"""The `cpv` filter of tenders, agreements and spend: a code's significant prefix, never less than
its two-digit division (so "30" is office machinery, not every division from 30 to 39)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from agreements.services import agreement_create
from api.filters import cpv_prefix
from cpv.models import CpvCode
from spend.models import SpendLine

from .conftest import api_client_for, make_tender

# One code per subtree the filters must tell apart: 301 (paper), 302 (computers) in division 30;
# division 33 (medical), which "30" once matched; division 45 (construction).
CODES = {
    "paper": "30192000",
    "computers": "30200000",
    "medical": "33141000",
    "building": "45210000",
}
EXPECTED = {
    "30": {"paper", "computers"},
    "30000000": {"paper", "computers"},
    "45": {"building"},
    "45000000": {"building"},
    "301": {"paper"},
    "30192000": {"paper"},
    "33": {"medical"},
    "3019": {"paper"},
}


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("30", "30"), ("30000000", "30"), ("45", "45"), ("301", "301"), ("30192000", "30192"),
     ("03000000", "03"), ("30100000", "301"), ("3010", "301"), ("45210000", "4521")],
)  # fmt: skip
def test_cpv_prefix_keeps_at_least_the_division(code: str, prefix: str) -> None:
    assert cpv_prefix(code) == prefix


@pytest.fixture
def classified(api_world):
    cast = api_world.cast
    today = datetime.date.today()
    for n, (key, code8) in enumerate(CODES.items()):
        cpv = CpvCode.objects.get(code8=code8)
        make_tender(f"2097-{n:03d}", lead=cast.secretariat, title=key, main_cpv=cpv)
        agreement_create(
            number=f"CPV-{key}", title=key, start_date=today,
            base_end_date=today.replace(year=today.year + 2), categories=[cpv],
        )  # fmt: skip
        SpendLine.objects.create(
            member=cast.odense, supplier=api_world.supplier, amount=Decimal(10**n),
            invoice_date=datetime.date(2026, 3, 1), cpv=cpv, fingerprint=f"cpv-{key}",
        )  # fmt: skip
    return api_world


def _amounts(keys: set[str]) -> Decimal:
    return sum((Decimal(10**n) for n, key in enumerate(CODES) if key in keys), Decimal("0"))


@pytest.mark.parametrize(("cpv", "expected"), EXPECTED.items())
def test_tenders_filter_by_cpv_subtree(classified, cpv: str, expected: set[str]) -> None:
    client = api_client_for(classified.cast.viewer)
    items = client.get("/api/v1/tenders", {"cpv": cpv, "limit": 500}).json()["items"]
    titles = {t["title"] for t in items if t["reference"].startswith("2097-")}
    assert titles == expected


@pytest.mark.parametrize(("cpv", "expected"), EXPECTED.items())
def test_agreements_filter_by_cpv_subtree(classified, cpv: str, expected: set[str]) -> None:
    client = api_client_for(classified.cast.viewer)
    items = client.get("/api/v1/agreements", {"cpv": cpv, "limit": 500}).json()["items"]
    assert {a["title"] for a in items if a["number"].startswith("CPV-")} == expected


@pytest.mark.parametrize(("cpv", "expected"), EXPECTED.items())
def test_spend_filters_by_cpv_subtree(classified, cpv: str, expected: set[str]) -> None:
    client = api_client_for(classified.cast.officer)
    body = client.get(
        "/api/v1/spend/summary", {"cpv": cpv, "date_from": "2026-03-01", "date_to": "2026-03-31"}
    ).json()
    assert Decimal(body["total"]) == _amounts(expected)
