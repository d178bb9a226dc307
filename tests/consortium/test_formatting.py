from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from consortium.formatting import (
    format_figure,
    format_money,
    format_number,
    format_percent,
    format_weight,
    round_half_up,
    rounded_figure,
)


def test_danish_money_number_and_date_formats() -> None:
    with translation.override("da"):
        assert format_money(Decimal("1234567.89")) == "1.234.567,89\u00a0kr."
        assert format_money(-1500) == "-1.500,00\u00a0kr."
        assert format_number(1400000) == "1.400.000"
        assert format_percent(Decimal("0.253")) == "25,3\u00a0%"
        assert date_format(datetime.date(2026, 11, 21), "SHORT_DATE_FORMAT") == "21.11.2026"
        assert date_format(datetime.date(2026, 11, 21)) == "21.11.2026"


def test_english_formats() -> None:
    with translation.override("en"):
        assert format_money(Decimal("1234567.89")) == "DKK\u00a01,234,567.89"


def test_template_filters() -> None:
    template = Template("{% load portal %}{{ v|kr }} {{ v|number:1 }} {{ blank|kr }}")
    with translation.override("da"):
        assert (
            template.render(Context({"v": Decimal("1234.5"), "blank": None}))
            == "1.234,50\u00a0kr. 1.234,5 "
        )


def test_unparseable_values_render_empty() -> None:
    assert format_money("not a number") == ""


# One rounding rule: half away from zero at the precision shown, never cut.
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("92.399"), 1, "92,4"),
        (Decimal("92.35"), 1, "92,4"),
        (Decimal("92.349999"), 1, "92,3"),
        (Decimal("0.05"), 1, "0,1"),
        (Decimal("-0.05"), 1, "-0,1"),
        (Decimal("0.15"), 1, "0,2"),  # not banker's rounding (0,2 either way) …
        (Decimal("0.25"), 1, "0,3"),  # … here half-even would give 0,2
        (Decimal("-0.25"), 1, "-0,3"),
        (Decimal("-0.04"), 1, "0,0"),  # never "-0,0"
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("1250000.50"), 0, "1.250.001"),
        (Decimal("1250000.49"), 0, "1.250.000"),
        (Decimal("987654321987.995"), 2, "987.654.321.988,00"),
        (1.005, 2, "1,01"),  # a float is read as it is written, not as its binary value
        ("12,5", 0, ""),  # not a number in code's notation
    ],
)
def test_numbers_are_rounded_half_away_from_zero(value, decimals, expected) -> None:
    with translation.override("da"):
        assert format_number(value, decimals) == expected


def test_round_half_up_is_the_one_rule() -> None:
    assert round_half_up(Decimal("0.05"), 1) == Decimal("0.1")
    assert round_half_up(Decimal("-0.05"), 1) == Decimal("-0.1")
    assert round_half_up(Decimal("-0.04"), 1).is_signed() is False
    assert round_half_up(None) is None and round_half_up("") is None
    assert round_half_up(Decimal("NaN")) is None and round_half_up(True) is None


def test_money_and_percent_round_at_the_shown_precision() -> None:
    with translation.override("da"):
        assert format_money(Decimal("1250000.50"), 0) == "1.250.001\u00a0kr."
        assert format_money(Decimal("-1250000.50"), 0) == "-1.250.001\u00a0kr."
        assert format_money(Decimal("0.005")) == "0,01\u00a0kr."
        assert format_percent(Decimal("0.92399")) == "92,4\u00a0%"
        assert format_percent(Decimal("0.0005")) == "0,1\u00a0%"
        assert format_percent(Decimal("-0.0005")) == "-0,1\u00a0%"
        assert format_percent(None) == format_money(None) == format_number(None) == ""


def test_reported_figures_have_one_precision_per_kind() -> None:
    with translation.override("da"):
        assert format_figure(Decimal("1250000.50"), "kr") == "1.250.001\u00a0kr."
        assert format_figure(Decimal("0.92399"), "percent") == "92,4\u00a0%"
        assert format_figure(Decimal("2.5"), "number") == "3"
        assert format_figure(None, "kr") == ""
    assert rounded_figure(Decimal("0.92399"), "percent") == Decimal("0.924")
    assert rounded_figure(Decimal("1250000.50"), "kr") == Decimal("1250001")


def test_weights_show_decimals_only_when_they_have_them() -> None:
    with translation.override("da"):
        assert [format_weight(Decimal(v)) for v in ("100", "90.00", "33.333", "33.335")] == [
            "100",
            "90",
            "33,33",
            "33,34",
        ]


def test_template_filters_round_instead_of_cutting() -> None:
    template = Template(
        "{% load portal %}{{ v|kr:0 }} {{ p|percent }} {{ v|figure:'kr' }} {{ p|figure:'percent' }}"
    )
    with translation.override("da"):
        assert (
            template.render(Context({"v": Decimal("1250000.50"), "p": Decimal("0.92399")}))
            == "1.250.001\u00a0kr. 92,4\u00a0% 1.250.001\u00a0kr. 92,4\u00a0%"
        )
