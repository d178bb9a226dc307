"""One field for decimals typed and shown the Danish way (consortium/forms.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from consortium.forms import DanishDecimalField


class QuantityForm(forms.Form):
    quantity = DanishDecimalField(required=False, min_value=Decimal(0), max_digits=14,
                                  decimal_places=2)  # fmt: skip
    volume = DanishDecimalField(required=False, max_digits=14, decimal_places=2, decimals=2)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("4.500", Decimal("4500")),
        ("4500", Decimal("4500")),
        ("850.000,00", Decimal("850000.00")),
        ("850000,5", Decimal("850000.5")),
        ("1.234.567,89", Decimal("1234567.89")),
        (" 12 500 ", Decimal("12500")),
        ("0,5", Decimal("0.5")),
        ("7", Decimal("7")),
    ],
)
def test_danish_numbers_are_read(typed, number) -> None:
    form = QuantityForm({"quantity": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quantity"] == number


@pytest.mark.parametrize(
    "typed",
    ["4.5", "850000.5", "4.50", "1.23.456", "1,2,3", "12.34,5", "abc", "4,500.00", "1e3", "--1"],
)
def test_ambiguous_or_garbled_input_is_refused_in_danish(typed) -> None:
    with translation.override("da"):
        form = QuantityForm({"quantity": typed})
        assert not form.is_valid()
        assert form.errors["quantity"] == ["Skriv tallet på dansk, fx 4.500 eller 850.000,00."]


def test_too_many_decimals_and_negatives_are_refused() -> None:
    with translation.override("da"):
        assert not QuantityForm({"quantity": "1,234"}).is_valid()
        assert not QuantityForm({"quantity": "-5"}).is_valid()


def test_empty_is_none() -> None:
    form = QuantityForm({"quantity": ""})
    assert form.is_valid() and form.cleaned_data["quantity"] is None


@pytest.mark.parametrize("language", ["da", "en"])
def test_values_are_shown_the_danish_way(language) -> None:
    """The field reads only Danish numbers, so it shows them that way in either language."""
    with translation.override(language):
        form = QuantityForm(initial={"quantity": Decimal("4500.00"), "volume": Decimal("850000")})
        html = str(form["quantity"]) + str(form["volume"])
    assert 'value="4.500"' in html
    assert 'value="850.000,00"' in html
    assert 'inputmode="decimal"' in html


def test_a_refused_form_shows_what_was_typed_danish_formatted() -> None:
    form = QuantityForm({"quantity": "4500", "volume": "850000,5x"})
    assert not form.is_valid()
    html = str(form["quantity"]) + str(form["volume"])
    assert 'value="4.500"' in html  # read, and shown back the Danish way
    assert 'value="850000,5x"' in html  # not a number: shown as typed, next to its error


def test_a_quantity_keeps_its_decimals_when_shown() -> None:
    form = QuantityForm(initial={"quantity": Decimal("4500.50")})
    assert 'value="4.500,5"' in str(form["quantity"])
