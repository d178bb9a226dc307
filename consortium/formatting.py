"""Numbers and money in the active language's format: 1.234.567,89 kr. in Danish.

One rounding rule for every figure the portal shows — pages, PDFs, charts and spreadsheets: a
figure is rounded half away from zero at the precision it is shown at (`round_half_up`), never
cut. 92,35 % shown with one decimal is 92,4 %, -0,05 is -0,1 and 1.250.000,50 kr. in whole
kroner is 1.250.001 kr. Spreadsheets keep the exact value in the cell and show it with a number
format of the same precision (`consortium.xlsx.number_format`); Excel rounds half away from zero
too, so the opened workbook shows what the page shows.

`FIGURE_DECIMALS` is the precision of each kind of reported figure (the reports' tables and
key figures, their charts and XLSX exports): whole kroner, whole numbers, percent to one decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation

FIGURE_DECIMALS = {"kr": 0, "number": 0, "percent": 1}


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def round_half_up(value: object, decimals: int = 0) -> Decimal | None:
    """The one rounding rule: `value` to `decimals` places, halves away from zero (None stays None).

    0.05 → 0.1 and -0.05 → -0.1 at one decimal; a result of zero is never negative ("-0,0").
    """
    number = _decimal(value)
    if number is None:
        return None
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def format_number(value: object, decimals: int = 0) -> str:
    number = round_half_up(value, decimals)
    if number is None:
        return ""
    return formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_money(value: object, decimals: int = 2) -> str:
    """`1.234.567,89 kr.` in Danish, `DKK 1,234,567.89` in English."""
    text = format_number(value, decimals)
    if not text:
        return ""
    if (translation.get_language() or "da").startswith("da"):
        return f"{text}\u00a0kr."
    return f"DKK\u00a0{text}"


def format_percent(value: object, decimals: int = 1) -> str:
    """A fraction (0.253) as `25,3 %`."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{format_number(number * 100, decimals)}\u00a0%"


def format_weight(value: object) -> str:
    """A weight or share as people write it: 100, 90 or 33,33 (two decimals only when needed)."""
    number = _decimal(value)
    if number is None:
        return ""
    return format_number(number, 0 if number == number.to_integral_value() else 2)


def format_figure(value: object, kind: str) -> str:
    """A reported figure of `kind` ("kr", "number", "percent") at its precision, "" for None."""
    decimals = FIGURE_DECIMALS.get(kind, 0)
    if kind == "kr":
        return format_money(value, decimals)
    if kind == "percent":
        return format_percent(value, decimals)
    return format_number(value, decimals)


def rounded_figure(value: object, kind: str) -> Decimal | None:
    """The figure as shown: rounded at its kind's precision (a percent as a fraction: 0.924)."""
    decimals = FIGURE_DECIMALS.get(kind, 0)
    if kind == "percent":
        number = _decimal(value)
        rounded = round_half_up(None if number is None else number * 100, decimals)
        return None if rounded is None else rounded / 100
    return round_half_up(value, decimals)
