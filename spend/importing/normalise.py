"""Normalising raw columns: CVR numbers, amounts and dates, each with which values are valid."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CVR_WEIGHTS = np.array([2, 7, 6, 5, 4, 3, 2, 1], dtype=np.int64)


def as_mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def normalise_cvr(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Strip spaces and a "DK" prefix; return the CVRs and which pass the modulus-11 check."""
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(column), r"[\s\-\x{00A0}]", "")
    text = pc.replace_substring_regex(text, r"(?i)^DK", "")
    shape = as_mask(pc.match_substring_regex(text, r"^[1-9]\d{7}$"))
    numbers = pc.cast(pc.if_else(pa.array(shape), text, "0"), pa.int64()).to_numpy(
        zero_copy_only=False
    )
    digits = (numbers[:, None] // (10 ** np.arange(7, -1, -1, dtype=np.int64))) % 10
    checksum_ok = (digits @ CVR_WEIGHTS) % 11 == 0
    return text, shape & checksum_ok


def normalise_amount(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Danish or plain amounts to `-1234.56`: decimal comma, thousands dots, trailing minus."""
    s = pc.replace_substring_regex(column, r"[\s\x{00A0}']", "")
    s = pc.replace_substring_regex(s, r"(?i)^(dkk|kr\.?)|(dkk|kr\.?)$", "")
    negative = pc.or_(
        pc.match_substring_regex(s, r"^\(.*\)$"), pc.match_substring_regex(s, r"^[^-].*-$")
    )
    s = pc.replace_substring_regex(s, r"^\((.*)\)$", r"\1")
    s = pc.replace_substring_regex(s, r"^([^-].*)-$", r"\1")
    s = pc.replace_substring_regex(s, r"^\+", "")
    comma = pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")
    thousands = pc.match_substring_regex(s, r"^-?\d{1,3}(\.\d{3})+$")
    s = pc.if_else(
        pc.match_substring(s, ","),
        comma,
        pc.if_else(thousands, pc.replace_substring(s, ".", ""), s),
    )
    s = pc.if_else(negative, pc.binary_join_element_wise("-", s, ""), s)
    valid = as_mask(pc.match_substring_regex(s, r"^-?\d{1,13}(\.\d{1,2})?$"))
    return s, valid


def canonical_amount(s: pa.ChunkedArray) -> pa.ChunkedArray:
    """One spelling per normalised amount ("12500.0", "12500" → "12500.00"), as the database
    stores it; the fingerprint is taken from the stored amount."""
    if pc.all(pc.match_substring_regex(s, r"^-?(0|[1-9]\d*)\.\d\d$|[^-.\d]|^$")).as_py():
        return s  # the usual case: every readable amount has two decimals already
    s = pc.replace_substring_regex(s, r"^(-?\d+)$", r"\1.00")
    s = pc.replace_substring_regex(s, r"^(-?\d+\.\d)$", r"\10")  # RE2: group 1, then "0"
    s = pc.replace_substring_regex(s, r"^(-?)0+(\d)", r"\1\2")
    return pc.replace_substring_regex(s, r"^-(0\.00)$", r"\1")


DATE_PATTERNS = (
    (r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$", r"\3-\2-\1"),
    (r"^(\d{1,2})[-./](\d{1,2})[-./](\d{2})$", r"20\3-\2-\1"),
    (r"^((?:19|20)\d{2})(\d{2})(\d{2})$", r"\1-\2-\3"),
    (r"^(\d{4})/(\d{1,2})/(\d{1,2})$", r"\1-\2-\3"),
    (r"^(\d{4})-(\d)-", r"\1-0\2-"),
    (r"-(\d)$", r"-0\1"),
)


def normalise_date(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.Array, np.ndarray]:
    """dd-mm-yyyy, dd.mm.yyyy, dd/mm/yy, yyyy-mm-dd (with or without a time) → ISO and date32."""
    s = pc.replace_substring_regex(pc.utf8_trim_whitespace(column), r"[T ].*$", "")
    for pattern, replacement in DATE_PATTERNS:
        s = pc.replace_substring_regex(s, pattern, replacement)
    shape = pc.match_substring_regex(s, r"^\d{4}-\d{2}-\d{2}$")
    parsed = pc.strptime(
        pc.if_else(shape, s, "1970-01-01"), format="%Y-%m-%d", unit="s", error_is_null=True
    )
    dates = pc.cast(parsed, pa.date32())
    # strptime rolls 31-02 over to 02-03: a date is valid only if it prints back the same.
    same = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), s)
    valid = as_mask(pc.fill_null(pc.and_(shape, same), False))
    return s, dates, valid
