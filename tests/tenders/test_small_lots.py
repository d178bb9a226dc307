"""The small-lots exemption (delydelsesreglen): the limit by contract kind and the 20 % cap."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tenders.pooling import (
    Declaration,
    LotInput,
    MemberInput,
    PoolingInput,
    ThresholdRow,
    compute_pooling,
    small_lot_exemptions,
)
from tests.conftest import client_for

D = Decimal
SINCE_2016 = datetime.date(2016, 4, 18)
IN_2026 = datetime.date(2026, 6, 1)
ROWS = [
    ThresholdRow("supplies_services", "sub_central", "DKK", D(1_600_000), SINCE_2016, None, "t"),
    ThresholdRow("works", "", "DKK", D(40_000_000), SINCE_2016, None, "t"),
    ThresholdRow("small_lot", "", "DKK", D(600_000), SINCE_2016, None, "art. 5(10)"),
    ThresholdRow("small_lot_works", "", "DKK", D(7_500_000), SINCE_2016, None, "art. 5(10)"),
]


def pooled(values: list[int], *, kind: str = "supplies") -> dict:
    """A one-year tender with one participant declaring `values` (one lot each)."""
    lots = [LotInput(i + 1, i + 1, f"Delaftale {i + 1}") for i in range(len(values))]
    return compute_pooling(
        PoolingInput(
            lots=lots,
            members=[MemberInput(1, "Odense", "participate")],
            declarations=[
                Declaration(1, lot.id, D(v)) for lot, v in zip(lots, values, strict=True)
            ],
            spend={},
            term_years=1,
            option_years=[],
            contract_kind=kind,
            authority_level="sub_central",
            thresholds=ROWS,
            on=IN_2026,
        )
    )


def test_only_lots_within_twenty_percent_of_all_lots_may_be_exempted() -> None:
    # All lots: 2,000,000. Cap: 400,000. Below the limit: 150,000, 200,000, 300,000.
    # Smallest first: 150,000 + 200,000 = 350,000 fits; + 300,000 would be 650,000.
    r = pooled([1_350_000, 300_000, 150_000, 200_000])
    small = r["small_lots"]
    assert small["cap_dkk"] == "400000.00"
    assert small["exempt"] == [3, 4]
    assert small["exempt_total"] == "350000.00"
    assert small["over_cap"] == [2]
    assert [lot["small_lot_exempt"] for lot in r["lots"]] == [False, False, True, True]


def test_a_lot_exactly_filling_the_cap_is_exempted_and_one_ore_more_is_not() -> None:
    assert small_lot_exemptions([(1, D("800000")), (2, D("200000"))], D(600000), D(1_000_000))[
        "exempt"
    ] == [2]
    over = small_lot_exemptions([(1, D("799999.99")), (2, D("200000.01"))], D(600000), D(1_000_000))
    assert over["exempt"] == [] and over["over_cap"] == [2]


def test_a_lot_at_the_limit_is_not_small() -> None:
    result = small_lot_exemptions([(1, D("600000")), (2, D("5000000"))], D(600000), D(5_600_000))
    assert result["below_limit"] == [] and result["exempt"] == []


def test_works_lots_are_measured_against_the_works_limit() -> None:
    # A 5,000,000 works lot is far above the supplies limit but below EUR 1,000,000 (7,500,000).
    r = pooled([40_000_000, 5_000_000], kind="works")
    assert r["small_lot_limit"]["kind"] == "small_lot_works"
    assert r["small_lots"]["exempt"] == [2]  # 5,000,000 ≤ 20 % of 45,000,000 = 9,000,000
    assert [lot["below_small_lot_limit"] for lot in r["lots"]] == [False, True]


def test_no_exemption_needed_below_the_eu_threshold() -> None:
    r = pooled([500_000, 100_000])
    assert r["eu_procedure_required"] is False
    assert r["small_lots"] is None


@pytest.mark.django_db
def test_works_small_lot_limit_is_seeded_from_the_euro_value() -> None:
    from tenders.models import Threshold

    works = Threshold.objects.filter(kind="small_lot_works")
    assert {(t.currency, t.amount) for t in works} == {
        ("EUR", D("1000000.00")),
        ("DKK", D("7441800.00")),
    }
    assert all("§ 8, stk. 2" in t.source for t in works)


@pytest.mark.django_db
def test_tender_page_names_the_lots_the_secretariat_may_exempt(cast) -> None:
    from tenders.services import tender_pool_volumes

    from .conftest import declare, invite, make_tender

    tender = make_tender(cast, lots=3, term_years=1, option_years=[])
    (odense,) = invite(tender, [cast.odense])
    declare(odense, 1_900_000, 100_000, 400_000)
    tender_pool_volumes(tender=tender, user=cast.staff)
    html = (
        client_for(cast.staff)
        .get(reverse("tenders:detail", args=[tender.reference]), headers={"Accept-Language": "da"})
        .content.decode()
    )
    # All lots 2,400,000: cap 480,000; lot 2 fits, lot 3 (400,000) would pass it.
    assert "Sekretariatet må tildele delaftale 2 uden EU-udbud" in html
    assert "udbudsloven § 8, stk. 2" in html.replace("Udbudsloven", "udbudsloven")
    assert "Delaftale 3 ligger også under grænsen" in html
