"""The first failing reason of each line, as a capped list of Danish messages."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .errors import LineError


class Reasons:
    """Collects the first failing reason of each row, keeping at most `cap` messages.

    The messages and the count run on over the batches of a file (`start` begins a batch);
    `failed` marks the rows of the current batch that failed a check.
    """

    def __init__(self, cap: int) -> None:
        self.errors: list[LineError] = []
        self.count = 0
        self.cap = cap

    def start(self, table: pa.Table, failed: np.ndarray | None = None) -> None:
        self.table = table
        self.failed = np.zeros(table.num_rows, dtype=bool) if failed is None else failed

    def add(
        self, mask: pa.Array | np.ndarray, message: object, value_column: str | None = None
    ) -> None:
        mask = np.asarray(
            mask.to_numpy(zero_copy_only=False)
            if isinstance(mask, pa.Array | pa.ChunkedArray)
            else mask,
            dtype=bool,
        )
        new = mask & ~self.failed
        indices = np.flatnonzero(new)
        if not len(indices):
            return
        self.failed |= new
        self.count += len(indices)
        room = self.cap - len(self.errors)
        if room <= 0:
            return
        take = indices[:room]
        lines = self.table.column("line").take(pa.array(take)).to_pylist()
        sources = self.table.column("source").take(pa.array(take)).to_pylist()
        values = (
            self.table.column(value_column).take(pa.array(take)).to_pylist()
            if value_column
            else [""] * len(take)
        )
        for line, source, value in zip(lines, sources, values, strict=True):
            reason = message(value) if callable(message) else str(message)
            self.errors.append(LineError(line=line, reason=reason, file=source))
