"""Template filters for numbers, money and percentages in the active language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from consortium.formatting import format_figure, format_money, format_number, format_percent

register = template.Library()


@register.filter
def kr(value: object, decimals: int = 2) -> str:
    return format_money(value, decimals)


@register.filter
def number(value: object, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter
def quantity(value: object) -> str:
    """A quantity with the decimals it has, no more: 4.500, 4.500,5 (in the page's language)."""
    if value is None or value == "":
        return ""
    try:
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
    except InvalidOperation:
        return ""
    return format_number(value, max(0, -exponent) if isinstance(exponent, int) else 0)


@register.filter
def percent(value: object, decimals: int = 1) -> str:
    return format_percent(value, decimals)


@register.filter
def figure(value: object, kind: str) -> str:
    """A reported figure at its kind's precision: `{{ value|figure:column.kind }}`."""
    return format_figure(value, kind)
