"""Pooling and threshold verdicts as pure computations, checked against hand computation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tenders.pooling import (
    PROVISIONAL_EUR_DKK_RATE,
    Declaration,
    LotInput,
    MemberInput,
    PoolingInput,
    ThresholdRow,
    compute_pooling,
    eu_procedure_required,
    pick_threshold,
)

D = Decimal
JAN_2026 = datetime.date(2026, 1, 1)
END_2027 = datetime.date(2027, 12, 31)
JAN_2024 = datetime.date(2024, 1, 1)
END_2025 = datetime.date(2025, 12, 31)
EUR = "Delegated Regulation (EU) 2025/2152"
DKK = "Danish values 2024–2025"

# The seed of migration 0004, as pure rows.
ROWS = [
    ThresholdRow("supplies_services", "sub_central", "EUR", D(216000), JAN_2026, END_2027, EUR),
    ThresholdRow("supplies_services", "central", "EUR", D(140000), JAN_2026, END_2027, EUR),
    ThresholdRow("works", "", "EUR", D(5404000), JAN_2026, END_2027, EUR),
    ThresholdRow("social", "", "EUR", D(750000), JAN_2026, END_2027, EUR),
    ThresholdRow("small_lot", "", "EUR", D(80000), datetime.date(2016, 4, 18), None, "art. 5(10)"),
    ThresholdRow("supplies_services", "sub_central", "DKK", D(1644638), JAN_2024, END_2025, DKK),
    ThresholdRow("supplies_services", "central", "DKK", D(1064177), JAN_2024, END_2025, DKK),
    ThresholdRow("social", "", "DKK", D(5581350), JAN_2024, END_2025, DKK),
    ThresholdRow("small_lot", "", "DKK", D(595344), JAN_2024, END_2025, DKK),
]

IN_2025 = datetime.date(2025, 6, 1)
IN_2026 = datetime.date(2026, 6, 1)


def test_official_dkk_value_applies_when_entered() -> None:
    t = pick_threshold(ROWS, kind="supplies_services", level="sub_central", on=IN_2025)
    assert t.amount_dkk == D(1644638)
    assert not t.provisional


def test_missing_dkk_value_is_converted_and_marked_provisional() -> None:
    t = pick_threshold(ROWS, kind="supplies_services", level="sub_central", on=IN_2026)
    assert t.provisional
    assert t.amount_eur == D(216000)
    assert t.rate == PROVISIONAL_EUR_DKK_RATE
    assert t.amount_dkk == D(1611442)  # 216,000 × 7.46038 = 1,611,442.08 → whole kroner


def test_entered_dkk_value_replaces_the_provisional_one() -> None:
    official = ThresholdRow(
        "supplies_services", "sub_central", "DKK", D(1612000), JAN_2026, END_2027, "C/2025/7081"
    )
    t = pick_threshold([*ROWS, official], kind="supplies_services", level="sub_central", on=IN_2026)
    assert (t.amount_dkk, t.provisional) == (D(1612000), False)


def test_no_threshold_in_force_gives_no_verdict() -> None:
    t = pick_threshold(ROWS, kind="works", level="sub_central", on=IN_2025)
    assert t is None  # no works value in DKK for 2024–2025 and no EUR row then in the seed
    assert eu_procedure_required(D(10**9), t) is None


CASES = [
    # kind, level, on, threshold in DKK
    ("supplies_services", "sub_central", IN_2025, D(1644638)),
    ("supplies_services", "central", IN_2025, D(1064177)),
    ("social", "sub_central", IN_2025, D(5581350)),
    ("small_lot", "sub_central", IN_2025, D(595344)),
    ("supplies_services", "sub_central", IN_2026, D(1611442)),
    ("supplies_services", "central", IN_2026, D(1044453)),  # 140,000 × 7.46038 = 1,044,453.2
    ("works", "sub_central", IN_2026, D(40315894)),  # 5,404,000 × 7.46038 = 40,315,893.52
    ("social", "sub_central", IN_2026, D(5595285)),  # 750,000 × 7.46038 = 5,595,285
]


@pytest.mark.parametrize(("kind", "level", "on", "amount"), CASES)
def test_verdict_at_just_below_and_just_above_each_threshold(kind, level, on, amount) -> None:
    t = pick_threshold(ROWS, kind=kind, level=level, on=on)
    assert t.amount_dkk == amount
    assert eu_procedure_required(amount, t) is True  # equal to the threshold: the directive applies
    assert eu_procedure_required(amount - D("0.01"), t) is False
    assert eu_procedure_required(amount + D("0.01"), t) is True


def _input(**overrides) -> PoolingInput:
    lots = [LotInput(10, 1, "Kontor"), LotInput(20, 2, "Papir")]
    members = [
        MemberInput(1, "Odense", "participate"),
        MemberInput(2, "Aarhus", "participate"),
        MemberInput(3, "Vejle", "decline"),
        MemberInput(4, "Esbjerg", "pending"),
    ]
    declarations = [
        Declaration(1, 10, D("100000.00"), D(50)),
        Declaration(1, 20, D("40000.50")),
        Declaration(2, 10, D("250000.00"), D(120)),
        # Vejle declined: its old declaration must not count.
        Declaration(3, 10, D("999999.00")),
    ]
    data = {
        "lots": lots,
        "members": members,
        "declarations": declarations,
        "spend": {1: D("123456.78")},
        "term_years": 2,
        "option_years": [1, 1],
        "contract_kind": "supplies",
        "authority_level": "sub_central",
        "thresholds": ROWS,
        "on": IN_2026,
    }
    data.update(overrides)
    return PoolingInput(**data)


def test_pooling_matches_hand_computation() -> None:
    r = compute_pooling(_input())
    # By hand: lot 1 = 100,000 + 250,000 = 350,000; lot 2 = 40,000.50 (Aarhus declared nothing).
    assert [lot["annual_total"] for lot in r["lots"]] == ["350000.00", "40000.50"]
    assert r["lots"][0]["quantity_total"] == "170"
    assert r["lots"][1]["quantity_total"] is None
    assert r["annual_total"] == "390000.50"
    # Term 2 + 1 + 1 = 4 years: 390,000.50 × 4 = 1,560,002.00; per lot 1,400,000 and 160,002.
    assert r["total_years"] == 4
    assert r["estimated_value"] == "1560002.00"
    assert [lot["estimated_value"] for lot in r["lots"]] == ["1400000.00", "160002.00"]
    odense, aarhus = r["members"]
    assert odense["volumes"] == {"10": "100000.00", "20": "40000.50"}
    assert odense["annual_total"] == "140000.50"
    assert odense["historical_spend"] == "123456.78"
    assert aarhus["volumes"] == {"10": "250000.00", "20": "0.00"}
    assert aarhus["historical_spend"] is None  # no spend data: absent, not zero
    assert r["historical_spend_total"] == "123456.78"
    assert r["counts"] == {"participating": 2, "declined": 1, "pending": 1}
    # 1,560,002 < 1,611,442 (provisional 2026 value for sub-central supplies).
    assert r["eu_procedure_required"] is False
    assert r["provisional"] is True
    assert r["threshold"]["amount_dkk"] == "1611442"
    # Small lots: 80,000 EUR × 7.46038 = 596,830; lot 2 (160,002) is under it, lot 1 is not.
    assert [lot["below_small_lot_limit"] for lot in r["lots"]] == [False, True]


def test_options_count_in_the_estimated_value() -> None:
    without = compute_pooling(_input(option_years=[]))
    assert without["estimated_value"] == "780001.00"  # 2 years only
    longer = compute_pooling(_input(term_years=3, option_years=[1]))
    assert longer["estimated_value"] == "1560002.00"


def test_official_2025_values_give_an_unmarked_verdict() -> None:
    r = compute_pooling(_input(on=IN_2025, term_years=4, option_years=[1]))
    # 390,000.50 × 5 = 1,950,002.50 ≥ 1,644,638 → EU procedure, not provisional.
    assert r["estimated_value"] == "1950002.50"
    assert r["eu_procedure_required"] is True
    assert r["provisional"] is False


def test_works_are_measured_against_the_works_threshold() -> None:
    r = compute_pooling(_input(contract_kind="works"))
    assert r["threshold"]["kind"] == "works"
    assert r["eu_procedure_required"] is False
