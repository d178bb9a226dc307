"""The raw lines every reader produces: an Arrow table of strings with the file line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from .errors import LineError

# Text columns of the raw table, in order; `cpv` and `line_key` are filled by e-invoices only,
# `unspsc` by e-invoices and by ERP files whose category column is headed UNSPSC.
TEXT_COLUMNS = (
    "supplier_cvr",
    "supplier_name",
    "amount",
    "invoice_date",
    "account",
    "category",
    "invoice_number",
    "cpv",
    "unspsc",
    "line_key",
    "source",
)


@dataclass
class RawLines:
    table: pa.Table
    errors: list[LineError] = field(default_factory=list)
    encoding: str = ""
    headers: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    rows_read: int | None = None  # lines read, including those already in `errors`
    error_count: int | None = None  # lines in error before validation, where `errors` is capped

    @property
    def total(self) -> int:
        if self.rows_read is not None:
            return self.rows_read
        return self.table.num_rows + len({(e.file, e.line) for e in self.errors})


def raw_table(columns: dict[str, pa.Array | pa.ChunkedArray], lines: np.ndarray) -> pa.Table:
    """A raw table with every text column (absent ones empty) and the `line` numbers."""
    n = len(lines)
    empty = pa.array([""] * n, type=pa.string()) if n < 1_000 else None
    data: dict[str, object] = {"line": pa.array(lines, type=pa.int64())}
    for name in TEXT_COLUMNS:
        if name in columns:
            data[name] = columns[name]
        else:
            data[name] = empty if empty is not None else pa.nulls(n, pa.string()).fill_null("")
    return pa.table(data)
