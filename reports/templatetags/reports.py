"""Template helpers for rendering report tables."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def row_cells(table: Any, row: dict[str, Any]) -> Any:
    """`{% for column, value in table|row_cells:row %}` — the row's cells in column order."""
    return table.cells(row)
