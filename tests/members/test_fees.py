"""The fee split: exact to the øre for any budget and populations, and explainable."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from members.fees import FeeError, Payer, fee_split

budgets = st.integers(min_value=0, max_value=10**11).map(lambda ore: Decimal(ore) / 100)
shares = st.integers(min_value=0, max_value=10_000).map(lambda bp: Decimal(bp) / 10_000)
populations = st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=30)


def payers_for(pops: list[int]) -> list[Payer]:
    return [
        Payer(key=f"{101 + i:03d}", name=f"Kommune {i}", population=p) for i, p in enumerate(pops)
    ]


@settings(max_examples=300, deadline=None)
@given(budget=budgets, share=shares, pops=populations)
def test_fees_add_up_to_the_budget_exactly(
    budget: Decimal, share: Decimal, pops: list[int]
) -> None:
    split = fee_split(budget=budget, base_share=share, payers=payers_for(pops))
    assert split.total == budget
    for line in split.lines:
        assert line.fee == line.fee.quantize(Decimal("0.01"))
        assert line.base + line.population_part == line.fee
        # Never more than one øre from the exact share.
        assert abs(Fraction(line.fee) - line.ideal) < Fraction(1, 100)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), budget=budgets, share=shares, pops=populations)
def test_minimum_is_respected_and_total_still_exact(data, budget, share, pops) -> None:
    ceiling = int(budget * 100) // len(pops)
    minimum = Decimal(data.draw(st.integers(min_value=0, max_value=ceiling))) / 100
    split = fee_split(budget=budget, base_share=share, payers=payers_for(pops), minimum=minimum)
    assert split.total == budget
    assert all(line.fee >= minimum for line in split.lines)
    assert all(line.fee == minimum for line in split.lines if line.at_minimum)


@settings(max_examples=200, deadline=None)
@given(budget=budgets, share=shares, pops=populations)
def test_a_larger_population_never_pays_less(budget, share, pops) -> None:
    split = fee_split(budget=budget, base_share=share, payers=payers_for(pops))
    ordered = sorted(split.lines, key=lambda line: line.population)
    for smaller, larger in itertools.pairwise(ordered):
        assert larger.fee >= smaller.fee or smaller.population == larger.population


def test_leftover_ore_go_to_the_largest_remainders() -> None:
    # 100,00 kr. split equally in three: 33,33 each and one øre left, to the tie-break winner.
    split = fee_split(
        budget=Decimal("100.00"), base_share=Decimal("1"), payers=payers_for([10, 30, 20])
    )
    assert [line.fee for line in split.lines] == [
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]
    assert split.total == Decimal("100.00")


def test_population_part_is_proportional() -> None:
    split = fee_split(
        budget=Decimal("1000.00"), base_share=Decimal("0.2"), payers=payers_for([100, 300])
    )
    assert [line.fee for line in split.lines] == [Decimal("300.00"), Decimal("700.00")]
    assert [line.base for line in split.lines] == [Decimal("100.00"), Decimal("100.00")]


def test_minimum_shifts_the_shortfall_to_the_others() -> None:
    split = fee_split(
        budget=Decimal("1000.00"),
        base_share=Decimal("0"),
        payers=payers_for([10, 495, 495]),
        minimum=Decimal("100.00"),
    )
    assert [line.fee for line in split.lines] == [
        Decimal("100.00"),
        Decimal("450.00"),
        Decimal("450.00"),
    ]
    assert split.lines[0].at_minimum and not split.lines[1].at_minimum


def test_impossible_minimum_is_refused() -> None:
    with pytest.raises(FeeError):
        fee_split(
            budget=Decimal("100.00"), base_share=Decimal("0"), payers=payers_for([1, 2]),
            minimum=Decimal("50.01"),
        )  # fmt: skip


def test_budget_must_be_whole_ore() -> None:
    with pytest.raises(FeeError):
        fee_split(budget=Decimal("100.005"), base_share=Decimal("0.5"), payers=payers_for([1]))


def test_split_errors_are_translated(db) -> None:
    from django.utils import translation

    with translation.override("da"), pytest.raises(FeeError) as caught:
        fee_split(budget=Decimal("100.00"), base_share=Decimal("1.5"), payers=payers_for([1]))
    assert str(caught.value) == "Grundandelen skal være mellem 0 og 1."


def test_split_errors_reach_the_secretariat_in_danish(db) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from members.fees.services import fee_model_split
    from members.models import FeeModel
    from tests.conftest import make_member
    from tests.factories import PopulationFigureFactory

    member = make_member("odense", "Odense", "461")
    PopulationFigureFactory(municipality=member.municipalities.get(), year=2026)
    fee_model = FeeModel(
        year=2026, budget=Decimal("100.00"), base_share=Decimal("1.5"), population_year=2026
    )
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        fee_model_split(fee_model=fee_model)
    assert caught.value.messages == [
        "Kontingenterne kan ikke beregnes: Grundandelen skal være mellem 0 og 1."
    ]
