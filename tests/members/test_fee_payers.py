"""Who pays in a budget year: those whose membership covers the year, not today's status."""

from __future__ import annotations

import datetime
from decimal import Decimal

from members.fees.selectors import fee_payers
from members.fees.services import fees_calculate
from members.models import Fee, FeeModel, Member
from members.services import member_update
from tests.conftest import make_member
from tests.factories import PopulationFigureFactory

D = datetime.date


def _with_population(member: Member, *years: int) -> Member:
    for year in years:
        PopulationFigureFactory(municipality=member.municipalities.get(), year=year)
    return member


def _payers(year: int) -> set[str]:
    payers, _by_key, _missing = fee_payers(year=year, population_year=year)
    return {p.name for p in payers}


def _set(member: Member, **fields: object) -> Member:
    fields = {"status": member.status, "joined_on": member.joined_on,
              "notice_given_on": member.notice_given_on, "left_on": member.left_on, **fields}  # fmt: skip
    return member_update(member=Member.objects.get(pk=member.pk), name=member.name, **fields)


def test_payers_follow_the_membership_dates_of_the_budget_year(cast) -> None:
    for member in (cast.odense, cast.aarhus):
        _with_population(member, 2025, 2026, 2027)
    former = _with_population(make_member("vejle", "Vejle", "630"), 2025, 2026, 2027)
    _set(former, status=Member.Status.FORMER, joined_on=D(2010, 1, 1), left_on=D(2025, 12, 31))
    leaving = _with_population(make_member("kolding", "Kolding", "621"), 2025, 2026, 2027)
    _set(leaving, status=Member.Status.WITHDRAWING, notice_given_on=D(2025, 6, 30),
         left_on=D(2026, 12, 31))  # fmt: skip
    joining = _with_population(make_member("randers", "Randers", "730"), 2025, 2026, 2027)
    _set(joining, status=Member.Status.MEMBER, joined_on=D(2027, 1, 1))
    candidate = _with_population(make_member("esbjerg", "Esbjerg", "561"), 2025, 2026, 2027)
    _set(candidate, status=Member.Status.CANDIDATE)

    assert _payers(2025) == {"Odense", "Aarhus", "Vejle", "Kolding"}
    assert _payers(2026) == {"Odense", "Aarhus", "Kolding"}
    assert _payers(2027) == {"Odense", "Aarhus", "Randers"}


def test_a_withdrawing_member_that_left_before_the_year_is_not_charged(cast) -> None:
    for member in (cast.odense, cast.aarhus):
        _with_population(member, 2026)
    _set(cast.aarhus, status=Member.Status.WITHDRAWING, notice_given_on=D(2024, 12, 1),
         left_on=D(2025, 12, 31))  # fmt: skip
    assert _payers(2026) == {"Odense"}


def test_recalculating_a_past_year_keeps_a_now_former_members_fee(cast) -> None:
    for member in (cast.odense, cast.aarhus):
        _with_population(member, 2025)
    fee_model = FeeModel.objects.create(
        year=2025, budget=Decimal("1000.00"), base_share=Decimal("0.5"), population_year=2025
    )
    fees_calculate(fee_model=fee_model)
    _set(cast.aarhus, status=Member.Status.FORMER, notice_given_on=D(2025, 1, 15),
         left_on=D(2025, 12, 31))  # fmt: skip
    fees_calculate(fee_model=fee_model)
    assert set(Fee.objects.filter(fee_model=fee_model).values_list("member_id", flat=True)) == {
        cast.odense.pk,
        cast.aarhus.pk,
    }
