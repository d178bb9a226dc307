"""An agreement's status follows from its dates; terminated is explicit."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from agreements.models import Agreement
from agreements.services import agreement_create, agreement_use_option
from agreements.status import AgreementStatus, agreement_status

D = datetime.date
TODAY = D(2026, 11, 22)

CASES = [
    # start, end, terminated_on, expected
    (D(2027, 1, 1), D(2029, 1, 1), None, AgreementStatus.UPCOMING),
    (D(2026, 11, 22), D(2029, 1, 1), None, AgreementStatus.ACTIVE),  # starts today
    (D(2024, 1, 1), D(2027, 5, 23), None, AgreementStatus.ACTIVE),  # 6 months and a day
    (D(2024, 1, 1), D(2027, 5, 22), None, AgreementStatus.EXPIRING),  # exactly 6 months
    (D(2024, 1, 1), D(2026, 11, 22), None, AgreementStatus.EXPIRING),  # last day
    (D(2024, 1, 1), D(2026, 11, 21), None, AgreementStatus.EXPIRED),
    (D(2024, 1, 1), D(2028, 1, 1), D(2026, 11, 22), AgreementStatus.TERMINATED),
    (D(2024, 1, 1), D(2028, 1, 1), D(2026, 12, 31), AgreementStatus.ACTIVE),  # not yet
    (D(2024, 1, 1), D(2025, 1, 1), D(2024, 6, 1), AgreementStatus.TERMINATED),
]


@pytest.mark.parametrize(("start", "end", "terminated", "expected"), CASES)
def test_status_from_dates(start, end, terminated, expected) -> None:
    assert agreement_status(start=start, end=end, terminated_on=terminated, today=TODAY) == expected


@pytest.mark.django_db
def test_queryset_annotation_agrees_with_the_rule() -> None:
    for n, (start, end, terminated, _expected) in enumerate(CASES):
        agreement_create(
            number=f"S-{n}", title="Status", start_date=start, base_end_date=end,
            terminated_on=terminated,
        )  # fmt: skip
    got = {a.number: a.current_status for a in Agreement.objects.with_status(TODAY)}
    assert got == {f"S-{n}": case[3] for n, case in enumerate(CASES)}


@pytest.mark.django_db
@override_settings(AGREEMENTS_EXPIRING_MONTHS=12)
def test_expiring_window_is_a_setting() -> None:
    assert (
        agreement_status(start=D(2024, 1, 1), end=D(2027, 11, 1), terminated_on=None, today=TODAY)
        == AgreementStatus.EXPIRING
    )


@pytest.mark.django_db
def test_using_an_option_moves_the_end_and_the_status() -> None:
    today = datetime.date.today()
    agreement = agreement_create(
        number="O-1", title="Options", start_date=today.replace(year=today.year - 2),
        base_end_date=today + datetime.timedelta(days=30), option_months=[12, 12],
    )  # fmt: skip
    assert agreement.status == AgreementStatus.EXPIRING
    first, second = agreement.options.all()
    with pytest.raises(ValueError):
        agreement_use_option(agreement=agreement, option=second)
    agreement = agreement_use_option(agreement=agreement, option=first)
    assert agreement.end_date == agreement.base_end_date.replace(
        year=agreement.base_end_date.year + 1
    )
    assert agreement.status == AgreementStatus.ACTIVE
    assert [o.is_used for o in agreement.options.all()] == [True, False]
