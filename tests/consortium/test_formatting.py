from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from consortium.formatting import format_money, format_number, format_percent


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
