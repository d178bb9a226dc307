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

from .duplicates import flag_duplicates
from .errors import LineError
from .limits import ImportLimits
from .normalise import as_mask, normalise_amount, normalise_cvr, normalise_date
from .reasons import Reasons

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
        self.reasons = Reasons(limits.max_reported_errors)
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
            keep |= as_mask(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(table[column])), 0))
        blank = int(table.num_rows - keep.sum())
        self.blank += blank
        if blank:  # filtering copies the table: only when there is something to leave out
            table = table.filter(pa.array(keep))
        reasons.start(table)
        cvr, cvr_ok = normalise_cvr(table["supplier_cvr"])
        cvr_missing = as_mask(pc.equal(cvr, ""))
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
            as_mask(pc.equal(pc.utf8_trim_whitespace(table["amount"]), "")),
            _("The amount is missing."),
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
        too_large = as_mask(pc.greater(pc.abs(numeric), limits.max_line_amount))
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
        negative_anonymous = as_mask(pc.and_(pc.less(numeric, 0), pc.equal(invoice_number, "")))
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
            as_mask(pc.equal(pc.utf8_trim_whitespace(table["invoice_date"]), "")),
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
            as_mask(pc.fill_null(pc.greater(dates, pa.scalar(today, pa.date32())), False)),
            lambda v: _("The date %(value)s is in the future.") % {"value": v},
            "invoice_date",
        )
        reasons.add(
            as_mask(pc.fill_null(pc.less(dates, pa.scalar(EARLIEST, pa.date32())), False)),
            lambda v: _("The date %(value)s is before the year 2000.") % {"value": v},
            "invoice_date",
        )
        start, end = self.period
        if start or end:
            outside = np.zeros(table.num_rows, dtype=bool)
            if start:
                outside |= as_mask(
                    pc.fill_null(pc.less(dates, pa.scalar(start, pa.date32())), False)
                )
            if end:
                outside |= as_mask(
                    pc.fill_null(pc.greater(dates, pa.scalar(end, pa.date32())), False)
                )
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
            as_mask(pc.greater(pc.utf8_length(category), 20)),
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
        flag_duplicates(clean, reasons)
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
