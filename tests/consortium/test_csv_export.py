"""CSV downloads: text that starts like a formula gets OWASP's apostrophe, numbers stay numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from consortium.csv_export import csv_response, csv_value


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+4512345678", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text: str) -> None:
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("text", ["Kontorland ApS", "Beløbet 1-2 er forkert", "", "'=allerede"])
def test_other_text_is_unchanged(text: str) -> None:
    assert csv_value(text) == text


def test_numbers_are_written_as_numbers_even_when_negative() -> None:
    assert csv_value(-6) == "-6"
    assert csv_value(Decimal("-234.56")) == "-234,56"
    assert csv_value(Decimal("1234567.89")) == "1234567,89"
    assert csv_value(None) == ""
    assert csv_value(datetime.date(2026, 3, 4)) == "04-03-2026"


def test_response_is_danish_excels_dialect_with_inert_cells() -> None:
    response = csv_response(
        'fejlrapport-"=1+1".csv', ["Fil", "Linje"], [["=1+1", 3], ["-4", Decimal("-4")]]
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == r'attachment; filename="fejlrapport-\"=1+1\".csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Fil", "Linje"], ["'=1+1", "3"], ["'-4", "-4"]]
