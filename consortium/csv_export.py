"""Every CSV the portal offers for download: Danish Excel's dialect, and text that stays text.

Semicolons and UTF-8 with a byte-order mark, so a Danish Excel opens the file with the right
columns and letters. A text cell that starts like a formula (OWASP's CSV-injection list: = + - @
tab CR) gets a leading apostrophe, so a spreadsheet shows it as text instead of running it; a file
name such as `=HYPERLINK(...).csv` in an error report is then harmless.

The rule applies to text (`str`) only. Numbers are given as numbers (int, Decimal) and written
here, so a negative amount stays a number (-234,56) rather than becoming text; a caller must not
format a number into a string itself.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .xlsx import looks_like_formula

CONTENT_TYPE = "text/csv; charset=utf-8"


def inert(value: str) -> str:
    """`value` as text a spreadsheet will not evaluate."""
    return "'" + value if looks_like_formula(value) else value


def csv_value(value: Any) -> str:
    """One cell: text made inert, numbers with a decimal comma, dates as 21-11-2026."""
    if value is None:
        return ""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, bool):
        return inert(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return inert(str(value))


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV download of `header` and `rows`; `filename` may be anything (it is quoted safely)."""
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return response
