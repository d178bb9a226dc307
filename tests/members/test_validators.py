from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.validators import validate_cvr, validate_gln, validate_kommunekode


@pytest.mark.parametrize("value", ["35209115", "55133018", "29189579", "29189447"])
def test_real_municipal_cvr_numbers_pass(value: str) -> None:
    validate_cvr(value)


@pytest.mark.parametrize(
    "value",
    ["35209116", "3520911", "352091150", "0520911a", "", "12345678", "ABCDEFGH"],
)
def test_bad_cvr_numbers_fail(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_cvr(value)
    assert exc.value.code == "invalid_cvr"


@pytest.mark.parametrize("value", ["5798000461000", "5790000123452", "4006381333931"])
def test_good_gln_numbers_pass(value: str) -> None:
    validate_gln(value)


@pytest.mark.parametrize(
    "value", ["5798000461001", "579800046100", "57980004610000", "", "579800046100x"]
)
def test_bad_gln_numbers_fail(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_gln(value)
    assert exc.value.code == "invalid_gln"


@pytest.mark.parametrize("value", ["101", "461", "751", "860"])
def test_good_kommunekoder_pass(value: str) -> None:
    validate_kommunekode(value)


@pytest.mark.parametrize("value", ["100", "861", "0461", "46", "4a1", "", "999"])
def test_bad_kommunekoder_fail(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_kommunekode(value)


def test_validation_messages_are_danish() -> None:
    with translation.override("da"), pytest.raises(ValidationError) as exc:
        validate_cvr("12345678")
    assert "ikke et gyldigt CVR-nummer" in exc.value.messages[0]
