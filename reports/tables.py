"""The tables every report, dashboard, PDF and spreadsheet shows — one shape for all three.

A figure is computed once (reports/figures/) into a `Table`; the page, the PDF and the XLSX export
all render that same object, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

# "row": each row says its own kind in row["kind"] (a table of different figures over periods).
Kind = Literal["text", "kr", "number", "percent", "date", "row"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("kr", "number", "percent", "row")

    def for_row(self, row: dict[str, Any]) -> Column:
        """The column as it applies to `row` (resolves the kind "row")."""
        if self.kind != "row":
            return self
        return Column(self.key, self.label, row.get("kind", "number"))


@dataclass
class Table:
    slug: str  # used in URLs and file names: "compliance-by-member"
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] | None = None
    note: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def values(self, key: str) -> list[Any]:
        return [row.get(key) for row in self.rows]

    def cells(self, row: dict[str, Any]) -> list[tuple[Column, Any]]:
        return [(c.for_row(row), row.get(c.key)) for c in self.columns]

    @property
    def total_cells(self) -> list[tuple[Column, Any]]:
        return self.cells(self.total) if self.total else []


def share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole as a Decimal fraction rounded to 4 places; None when whole is zero."""
    if not whole:
        return None
    return (Decimal(part or 0) / Decimal(whole)).quantize(Decimal("0.0001"))
