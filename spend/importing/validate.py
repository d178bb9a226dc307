"""Validate raw lines column by column (Arrow compute, so a million lines take about a second).

Each line gets the first reason it fails, in Danish; the valid lines come out normalised:
CVR as 8 digits, the amount as `-1234.56`, the date as ISO, the CPV code as its 8 digits, the
UNSPSC code as its 8 digits (10 with a business function; anything else is not kept).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from consortium.formatting import format_number

from .errors import LineError
from .limits import ImportLimits

EARLIEST = datetime.date(2000, 1, 1)
# The valid lines, normalised, as `ValidatedLines.table` holds them.
CLEAN_SCHEMA = pa.schema(
    [("line", pa.int64())]
    + [
        (name, pa.string())
        for name in (
            "source", "supplier_cvr", "supplier_name", "amount", "invoice_date", "account",
            "category", "cpv8", "unspsc", "invoice_number", "line_key",
        )
    ]
)  # fmt: skip
CVR_WEIGHTS = np.array([2, 7, 6, 5, 4, 3, 2, 1], dtype=np.int64)


@dataclass
class ValidatedLines:
    table: pa.Table  # the valid lines, normalised; duplicates of an earlier line removed
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    total: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None

    @property
    def valid(self) -> int:
        return self.table.num_rows


class _Reasons:
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


def _np(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def normalise_cvr(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Strip spaces and a "DK" prefix; return the CVRs and which pass the modulus-11 check."""
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(column), r"[\s\-\x{00A0}]", "")
    text = pc.replace_substring_regex(text, r"(?i)^DK", "")
    shape = _np(pc.match_substring_regex(text, r"^[1-9]\d{7}$"))
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
    valid = _np(pc.match_substring_regex(s, r"^-?\d{1,13}(\.\d{1,2})?$"))
    return s, valid


def _canonical_amount(s: pa.ChunkedArray) -> pa.ChunkedArray:
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
    valid = _np(pc.fill_null(pc.and_(shape, same), False))
    return s, dates, valid


def validate_lines(
    table: pa.Table,
    *,
    limits: ImportLimits,
    today: datetime.date,
    period: tuple[datetime.date | None, datetime.date | None] = (None, None),
    prior_errors: list[LineError] | None = None,
    prior_error_count: int | None = None,
    total: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> ValidatedLines:
    """Check every raw line; return the valid ones (normalised) and the errors, in line order.

    `progress(fraction)` is told after each group of checks (each costs about the same).
    """
    checker = LineChecker(limits=limits, today=today, period=period)
    checker.add(table, progress=progress)
    del table
    return checker.finish(
        prior_errors=prior_errors,
        prior_error_count=prior_error_count,
        total=total,
        progress=progress,
    )


class LineChecker:
    """Checks raw lines a batch at a time (`add`), then across the whole file (`finish`).

    Each batch is checked line by line as it comes and only its normalised lines are kept, so a
    large file's raw text need never be held whole; whether a line repeats an earlier one (in
    any batch) is decided at the end.
    """

    def __init__(
        self,
        *,
        limits: ImportLimits,
        today: datetime.date,
        period: tuple[datetime.date | None, datetime.date | None] = (None, None),
    ) -> None:
        self.limits = limits
        self.today = today
        self.period = period
        self.reasons = _Reasons(limits.max_reported_errors)
        self.rows = 0  # raw lines added, blank ones included
        self.blank = 0
        # Per batch: its lines normalised (the failed ones too: a later line may repeat one),
        # which failed, and the invoice dates.
        self._clean: list[pa.Table] = []
        self._failed: list[np.ndarray] = []
        self._dates: list[pa.Array] = []

    def add(self, table: pa.Table, progress: Callable[[float], None] | None = None) -> None:
        """Check one batch of raw lines (see table.raw_table)."""
        progress = progress or (lambda fraction: None)
        limits, today, reasons = self.limits, self.today, self.reasons
        self.rows += table.num_rows
        # Lines with nothing in them (an ERP's blank or totals-only spacer lines) are not lines.
        keep = np.zeros(table.num_rows, dtype=bool)
        for column in ("supplier_cvr", "amount", "invoice_date", "supplier_name"):
            keep |= _np(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(table[column])), 0))
        blank = int(table.num_rows - keep.sum())
        self.blank += blank
        if blank:  # filtering copies the table: only when there is something to leave out
            table = table.filter(pa.array(keep))
        reasons.start(table)
        cvr, cvr_ok = normalise_cvr(table["supplier_cvr"])
        cvr_missing = _np(pc.equal(cvr, ""))
        reasons.add(cvr_missing, _("The supplier's CVR number is missing."))
        reasons.add(
            ~cvr_ok,
            lambda v: (
                _("The CVR number “%(value)s” is not valid (8 digits with a valid check digit).")
                % {"value": v}
            ),
            "supplier_cvr",
        )

        progress(0.2)

        amount, amount_ok = normalise_amount(table["amount"])
        reasons.add(
            _np(pc.equal(pc.utf8_trim_whitespace(table["amount"]), "")), _("The amount is missing.")
        )
        reasons.add(
            ~amount_ok,
            lambda v: (
                _("The amount “%(value)s” cannot be read as an amount (use e.g. 1.234,56).")
                % {"value": v}
            ),
            "amount",
        )
        numeric = pc.cast(pc.if_else(pa.array(amount_ok), amount, "0"), pa.float64())
        too_large = _np(pc.greater(pc.abs(numeric), limits.max_line_amount))
        reasons.add(
            too_large,
            lambda v: (
                _(
                    "The amount %(value)s is not plausible for one invoice line (more than %(max)s kr.)."
                )
                % {"value": v, "max": format_number(limits.max_line_amount)}
            ),
            "amount",
        )
        invoice_number = pc.utf8_trim_whitespace(table["invoice_number"])
        negative_anonymous = _np(pc.and_(pc.less(numeric, 0), pc.equal(invoice_number, "")))
        reasons.add(
            negative_anonymous,
            lambda v: (
                _(
                    "The amount %(value)s is negative but the line has no invoice number; a credit note must name its invoice number."
                )
                % {"value": v}
            ),
            "amount",
        )

        progress(0.45)

        date_text, dates, date_ok = normalise_date(table["invoice_date"])
        reasons.add(
            _np(pc.equal(pc.utf8_trim_whitespace(table["invoice_date"]), "")),
            _("The invoice date is missing."),
        )
        reasons.add(
            ~date_ok,
            lambda v: (
                _("The date “%(value)s” cannot be read (use dd-mm-yyyy or yyyy-mm-dd).")
                % {"value": v}
            ),
            "invoice_date",
        )
        reasons.add(
            _np(pc.fill_null(pc.greater(dates, pa.scalar(today, pa.date32())), False)),
            lambda v: _("The date %(value)s is in the future.") % {"value": v},
            "invoice_date",
        )
        reasons.add(
            _np(pc.fill_null(pc.less(dates, pa.scalar(EARLIEST, pa.date32())), False)),
            lambda v: _("The date %(value)s is before the year 2000.") % {"value": v},
            "invoice_date",
        )
        start, end = self.period
        if start or end:
            outside = np.zeros(table.num_rows, dtype=bool)
            if start:
                outside |= _np(pc.fill_null(pc.less(dates, pa.scalar(start, pa.date32())), False))
            if end:
                outside |= _np(pc.fill_null(pc.greater(dates, pa.scalar(end, pa.date32())), False))
            period_text = "–".join(d.strftime("%d.%m.%Y") if d else "…" for d in (start, end))
            reasons.add(
                outside,
                lambda v: (
                    _("The date %(value)s is outside the period %(period)s stated for the import.")
                    % {"value": v, "period": period_text}
                ),
                "invoice_date",
            )
        progress(0.7)

        category = pc.utf8_trim_whitespace(table["category"])
        reasons.add(
            _np(pc.greater(pc.utf8_length(category), 20)),
            lambda v: (
                _("The category code “%(value)s” is longer than 20 characters.") % {"value": v[:40]}
            ),
            "category",
        )

        cpv_source = pc.if_else(pc.equal(table["cpv"], ""), category, table["cpv"])
        cpv8 = pc.if_else(
            pc.match_substring_regex(cpv_source, r"^\d{8}(-\d)?$"),
            pc.utf8_slice_codeunits(cpv_source, 0, 8),
            "",
        )
        unspsc = pc.replace_substring_regex(table["unspsc"], r"\s", "")
        unspsc = pc.if_else(pc.match_substring_regex(unspsc, r"^\d{8}(\d\d)?$"), unspsc, "")
        clean = pa.table(
            {
                "line": table["line"],
                "source": table["source"],
                "supplier_cvr": cvr,
                "supplier_name": pc.utf8_slice_codeunits(
                    pc.utf8_trim_whitespace(table["supplier_name"]), 0, 200
                ),
                "amount": amount,
                "invoice_date": date_text,
                "account": pc.utf8_slice_codeunits(
                    pc.utf8_trim_whitespace(table["account"]), 0, 100
                ),
                "category": category,
                "cpv8": cpv8,
                "unspsc": unspsc,
                "invoice_number": pc.utf8_slice_codeunits(invoice_number, 0, 100),
                "line_key": table["line_key"],
            }
        )
        self._clean.append(clean)
        self._failed.append(reasons.failed)
        self._dates.append(dates.combine_chunks() if isinstance(dates, pa.ChunkedArray) else dates)

    def finish(
        self,
        *,
        prior_errors: list[LineError] | None = None,
        prior_error_count: int | None = None,
        total: int | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> ValidatedLines:
        """The valid lines of all batches and every error, once the last batch is added.

        `prior_errors` are errors found before the checks (e.g. lines with the wrong number of
        columns), `prior_error_count` how many there were if more than the list holds.
        """
        progress = progress or (lambda fraction: None)
        limits, reasons = self.limits, self.reasons
        clean = pa.concat_tables(self._clean) if self._clean else CLEAN_SCHEMA.empty_table()
        failed = np.concatenate(self._failed) if self._failed else np.zeros(0, dtype=bool)
        self._clean, self._failed = [], []
        reasons.start(clean, failed)
        progress(0.8)
        _flag_duplicates(clean, reasons)
        progress(0.9)

        if reasons.failed.any():
            # Batch by batch, each copy replacing its batch: the lines are never held twice.
            valid_mask = ~reasons.failed
            schema, batches = clean.schema, clean.to_batches()
            reasons.start(clean.slice(0, 0))
            del clean
            kept: list[pa.RecordBatch] = []
            offset = 0
            while batches:
                batch = batches.pop(0)
                kept.append(batch.filter(pa.array(valid_mask[offset : offset + batch.num_rows])))
                offset += batch.num_rows
                del batch
            dates: list[pa.Array] = []
            offset = 0
            for day in self._dates:
                dates.append(day.filter(pa.array(valid_mask[offset : offset + len(day)])))
                offset += len(day)
            clean = pa.Table.from_batches(kept, schema=schema)
            del kept
        else:
            dates = self._dates
        self._dates = []
        valid_dates = pa.chunked_array(dates, type=pa.date32())
        prior = list(prior_errors or [])
        prior_count = len(prior) if prior_error_count is None else prior_error_count
        errors = sorted(prior + reasons.errors, key=lambda e: (e.file, e.line))[
            : limits.max_reported_errors
        ]
        first = pc.min(valid_dates).as_py() if len(valid_dates) else None
        last = pc.max(valid_dates).as_py() if len(valid_dates) else None
        counted = (total if total is not None else self.rows + prior_count) - self.blank
        progress(1.0)
        return ValidatedLines(
            table=clean,
            errors=errors,
            error_count=reasons.count + prior_count,
            total=max(counted, clean.num_rows),
            first_date=first,
            last_date=last,
        )


DUPLICATE_KEY = (
    "supplier_cvr",
    "invoice_date",
    "amount",
    "invoice_number",
    "account",
    "category",
    "line_key",
)


def _flag_duplicates(clean: pa.Table, reasons: _Reasons) -> None:
    """A line identical to an earlier line of the same file is an error (it would count twice)."""
    if clean.num_rows < 2:
        return
    # A line can only repeat another with the same amount, and few lines share theirs: find
    # those first (one column of a million lines), then compare all columns for them only.
    # "12500,0" and "12.500,00" are one amount: as two lines they would collide on their
    # fingerprint when written.
    codes = _codes(_canonical_amount(clean["amount"]))
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
            values = _canonical_amount(values)
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
