"""Lines that repeat an earlier line of the same file exactly (they would count twice)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from .normalise import canonical_amount
from .reasons import Reasons

DUPLICATE_KEY = (
    "supplier_cvr",
    "invoice_date",
    "amount",
    "invoice_number",
    "account",
    "category",
    "line_key",
)


def flag_duplicates(clean: pa.Table, reasons: Reasons) -> None:
    """A line identical to an earlier line of the same file is an error (it would count twice)."""
    if clean.num_rows < 2:
        return
    # A line can only repeat another with the same amount, and few lines share theirs: find
    # those first (one column of a million lines), then compare all columns for them only.
    # "12500,0" and "12.500,00" are one amount: as two lines they would collide on their
    # fingerprint when written.
    codes = _codes(canonical_amount(clean["amount"]))
    candidates = np.flatnonzero(np.bincount(codes)[codes] > 1)
    del codes
    if not len(candidates):
        return
    lines = clean.select(["line", *DUPLICATE_KEY]).take(pa.array(candidates))
    # Number each distinct line without building one long string per line: encode each column
    # as integers and fold them together, renumbering densely after each step.
    groups = np.zeros(lines.num_rows, dtype=np.int64)
    for column in DUPLICATE_KEY:
        values = lines[column]
        if column == "amount":
            values = canonical_amount(values)
        codes = _codes(values)
        groups = np.unique(groups * (int(codes.max()) + 1) + codes, return_inverse=True)[1]
        groups = groups.reshape(-1).astype(np.int64)
    # The candidates are in file order, so a group's first member is the line the others repeat.
    first_index = np.unique(groups, return_index=True)[1]
    first_of = first_index[groups]
    repeats = first_of != np.arange(lines.num_rows)
    duplicate = np.zeros(clean.num_rows, dtype=bool)
    duplicate[candidates[repeats]] = True
    duplicate &= ~reasons.failed
    if not duplicate.any():
        return
    first_line = dict(
        zip(
            candidates[repeats].tolist(),
            lines["line"].to_numpy()[first_of[repeats]].tolist(),
            strict=True,
        )
    )
    order = iter(np.flatnonzero(duplicate).tolist())
    reasons.add(
        duplicate,
        lambda _v: (
            _(
                "The line repeats line %(line)s exactly (same supplier, date, amount, account, category and invoice number)."
            )
            % {"line": first_line[next(order)]}
        ),
    )


def _codes(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The same integer for the same value, from 0 (dictionary indices)."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
