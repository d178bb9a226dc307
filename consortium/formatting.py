"""Numbers and money in the active language's format: 1.234.567,89 kr. in Danish."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats, translation


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value: object, decimals: int = 0) -> str:
    number = _decimal(value)
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
