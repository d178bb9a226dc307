"""The tables every report, dashboard, PDF and spreadsheet shows — one shape for all three.

A figure is computed once (reports/figures/) into a `Table`; the page, the PDF and the XLSX export
all render that same object, so they cannot disagree. Values are exact; each is shown rounded at
its kind's precision by the one rule in `consortium.formatting`. A total is the exact total,
rounded when shown — not the sum of the rounded rows —, so where the shown rows do not add up to
the shown total the table says why (`rounding_note`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

from consortium.formatting import rounded_figure

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

    @property
    def rounding_note(self) -> str:
        """Said where the rounded rows of a summed column do not add up to the rounded total.

        Only columns whose exact rows add up to the exact total are checked (a percentage's total
        is a rate of its own; a table that leaves rows out says so in its own note).
        """
        if not self.total or not self.rows:
            return ""
        for column in self.columns:
            if column.kind not in ("kr", "number") or self.total.get(column.key) is None:
                continue
            values = [v for v in self.values(column.key) if v is not None]
            if not values or sum(values) != self.total[column.key]:
                continue
            shown = sum(rounded_figure(v, column.kind) or 0 for v in values)
            if shown != rounded_figure(self.total[column.key], column.kind):
                return _("The figures shown may not add up to the total because of rounding.")
        return ""

    @property
    def notes(self) -> list[str]:
        """The table's note and, where it applies, the rounding note."""
        return [note for note in (self.note, self.rounding_note) if note]


def share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole as an exact Decimal fraction (rounded only when shown); None when whole is zero."""
    if not whole:
        return None
    return Decimal(part or 0) / Decimal(whole)
