"""Writes to spend data: uploads, imports, column mappings and the supplier registry.

An import reads the stored file, validates every line, and writes all of its new lines — with
any new suppliers and supplier names — in one transaction: chunk by chunk, COPY into a temporary
table, then INSERT of the lines whose (member, fingerprint) is not there yet. A worker killed
half-way leaves nothing behind, and running the import again (or importing the same lines from
another file) adds each line exactly once.

Which imports hold a line: the one that brought it (`SpendLine.spend_import`) and any later
standing import that contained it too (`SpendLineImport`). Withdrawing an import removes a line
only when no other standing import holds it.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

import pghistory
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consortium.formatting import format_number
from members.models import Member

from . import hooks
from .importing import FileRejected, ImportLimits
from .importing.reader import check_spend_file, detect_format
from .models import ColumnMapping, SpendImport

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# Columns of the temporary table, in the order the COPY writes them.
COPY_COLUMNS = (
    "line", "source", "supplier_cvr", "supplier_name", "amount", "invoice_date", "account",
    "category", "cpv8", "unspsc", "invoice_number", "line_key",
)  # fmt: skip
# Lines are written in chunks so the progress bar follows the write. Each chunk beyond the first
# costs: its lines land between the index entries of the earlier ones (page splits) instead of
# after them. Measured on 1,000,000 lines: 10 chunks +25 % database time, 4 chunks +10 %; so
# chunks of at least COPY_BATCH_ROWS lines, and at most WRITE_CHUNKS of them.
COPY_BATCH_ROWS = 100_000
WRITE_CHUNKS = 8


def _noop(percent: float, message: str) -> None:
    return None


def spend_import_create(
    *,
    member: Member,
    user: User | None,
    file: IO[bytes] | File,
    name: str,
    valid_only: bool = False,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    mapping: dict[str, str] | None = None,
) -> SpendImport:
    """Store an uploaded spend file for `member`, ready to preview and import."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        if not head:
            head = chunk[:65536]
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    try:
        kind = detect_format(head, name)
    except FileRejected:
        kind = ""
    spend_import = SpendImport(
        member=member,
        uploaded_by=user,
        original_name=name[:255],
        sha256=digest.hexdigest(),
        size=size,
        format=kind,
        valid_only=valid_only,
        period_start=period_start,
        period_end=period_end,
        mapping=mapping or {},
    )
    stored_name = f"{member.pk}/{spend_import.sha256[:12]}-{_safe_name(name)}"
    with transaction.atomic():
        spend_import.file.save(stored_name, File(file), save=False)
        spend_import.full_clean()
        spend_import.save()
    return spend_import


def _safe_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[-80:] or "upload"


def spend_import_configure(
    *,
    spend_import: SpendImport,
    valid_only: bool,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    mapping: dict[str, str] | None = None,
) -> SpendImport:
    """Set how a pending import will run (or let a rejected one import its valid lines)."""
    if spend_import.status not in (SpendImport.Status.PENDING, SpendImport.Status.REJECTED):
        raise ValueError("Only a pending or rejected import can be configured.")
    spend_import.valid_only = valid_only
    spend_import.period_start = period_start
    spend_import.period_end = period_end
    if mapping is not None:
        spend_import.mapping = {k: v for k, v in mapping.items() if v}
    spend_import.status = SpendImport.Status.PENDING
    spend_import.full_clean()
    spend_import.save()
    return spend_import


def column_mapping_save(
    *, member: Member, columns: dict[str, str], user: User | None
) -> ColumnMapping:
    """Save the member's column mapping (field → header); empty entries are dropped."""
    with transaction.atomic():
        mapping, _created = ColumnMapping.objects.select_for_update().get_or_create(member=member)
        mapping.columns = {k: v for k, v in columns.items() if v}
        mapping.updated_by = user
        mapping.full_clean()
        mapping.save()
    return mapping


def spend_import_enqueue(*, spend_import: SpendImport, user: User | None) -> SpendImport:
    """Start the import as a background job (with progress) once this transaction commits."""
    from jobs.services import job_enqueue

    with transaction.atomic():
        job = job_enqueue(
            task_name="spend.import_file",
            kind="spend.import",
            title=_("Import of %(name)s") % {"name": spend_import.original_name},
            user=user,
            organisation=spend_import.member.organisation,
            task_kwargs={"spend_import_id": spend_import.pk},
        )
        SpendImport.objects.filter(pk=spend_import.pk).update(job=job, updated_at=timezone.now())
        spend_import.job = job
    return spend_import


class ImportNotWithdrawable(Exception):
    """Only an import that stands (imported, or unchanged) can be withdrawn."""


@dataclass(frozen=True)
class _Bar:
    """How the progress bar (1–99 %) is shared between reading, checking and writing.

    From timings of large files: writing (COPY and INSERT) is most of an ERP CSV's import,
    while openpyxl's reading dominates an XLSX and parsing one e-invoice at a time a ZIP. A CSV
    is checked line by line while it is read; only the checks across lines come after.
    """

    read: float
    check: float

    def at(self, phase: str, fraction: float) -> float:
        fraction = min(max(fraction, 0.0), 1.0)
        read, check = 98 * self.read, 98 * self.check
        if phase == "read":
            return 1 + read * fraction
        if phase == "check":
            return 1 + read + check * fraction
        return 1 + read + check + (98 - read - check) * fraction


BARS = {
    SpendImport.Format.ERP_CSV: _Bar(read=0.15, check=0.05),
    SpendImport.Format.ERP_XLSX: _Bar(read=0.55, check=0.05),
    SpendImport.Format.UBL_XML: _Bar(read=0.10, check=0.10),
    SpendImport.Format.UBL_ZIP: _Bar(read=0.40, check=0.10),
}


def spend_import_run(
    *,
    spend_import_id: int,
    progress: Progress = _noop,
    today: datetime.date | None = None,
    limits: ImportLimits | None = None,
) -> SpendImport:
    """Read, validate and write one import. Idempotent: a finished import is left as it is.

    `progress` is also called while the write transaction is open: a caller that records it in
    the database must do so on another connection (see spend.tasks).
    """
    limits = limits or ImportLimits.from_settings()
    spend_import = SpendImport.objects.select_related("member").get(pk=spend_import_id)
    if spend_import.status != SpendImport.Status.PENDING:
        return spend_import
    progress(1, _("Reading the file…"))

    strict = bool(spend_import.mapping)
    mapping = spend_import.mapping or _saved_mapping(spend_import.member_id)
    spend_import.identity = _identity(spend_import, mapping, strict=strict)
    with transaction.atomic():
        _lock_member(spend_import.member_id)
        previous = _same_run_done(spend_import)
        if previous is not None:
            return _finish_unchanged(spend_import, previous)

    reading = _("Reading the file…")
    # The format as the upload's first bytes told it (a file it could not tell is refused below).
    bar = BARS.get(spend_import.format, BARS["erp_csv"])

    def checking(total: int, fraction: float) -> None:
        message = _("Checking %(count)s lines…") % {"count": format_number(total)}
        progress(bar.at("check", fraction), message)

    try:
        with spend_import.file.open("rb") as handle:
            parsed = check_spend_file(
                handle,
                name=spend_import.original_name,
                mapping=mapping,
                strict_mapping=strict,
                limits=limits,
                today=today or timezone.localdate(),
                period=(spend_import.period_start, spend_import.period_end),
                reading=lambda fraction: progress(bar.at("read", fraction), reading),
                checking=checking,
            )
    except FileRejected as exc:
        return _finish_rejected(
            spend_import, [{"file": spend_import.original_name, "line": 0, "reason": exc.reason}], 1
        )
    checked = parsed.lines
    spend_import.format = parsed.format
    spend_import.encoding = parsed.encoding
    spend_import.lines_total = checked.total
    spend_import.lines_valid = checked.valid
    spend_import.error_count = checked.error_count
    spend_import.errors = [e.as_dict() for e in checked.errors]
    if checked.error_count and not spend_import.valid_only:
        return _finish_rejected(spend_import, spend_import.errors, checked.error_count)
    if checked.valid == 0:
        return _finish_rejected(
            spend_import,
            spend_import.errors
            or [
                {
                    "file": spend_import.original_name,
                    "line": 0,
                    "reason": _("The file has no valid lines."),
                }
            ],
            max(checked.error_count, 1),
        )

    valid = checked.valid

    def writing(done: int) -> None:
        message = _("Writing %(done)s of %(count)s lines…") % {
            "done": format_number(done),
            "count": format_number(valid),
        }
        progress(bar.at("write", done / valid), message)

    writing(0)
    with transaction.atomic():
        new = _write_lines(
            checked.table,
            member_id=spend_import.member_id,
            spend_import_id=spend_import.pk,
            progress=writing,
        )
        spend_import.lines_new = new
        spend_import.lines_existing = valid - new
        spend_import.first_date = checked.first_date
        spend_import.last_date = checked.last_date
        spend_import.status = SpendImport.Status.IMPORTED if new else SpendImport.Status.UNCHANGED
        spend_import.finished_at = timezone.now()
        spend_import.save()
        if new and checked.first_date and checked.last_date:
            member_id, first, last = spend_import.member_id, checked.first_date, checked.last_date
            transaction.on_commit(lambda: hooks.run_after_import(member_id, first, last))
    progress(99, _("Finishing…"))
    return spend_import


def _saved_mapping(member_id: int) -> dict[str, str]:
    mapping = (
        ColumnMapping.objects.filter(member_id=member_id).values_list("columns", flat=True).first()
    )
    return dict(mapping or {})


def _identity(spend_import: SpendImport, mapping: dict[str, str], *, strict: bool) -> str:
    """A digest of everything that decides which lines a run writes, save the date it runs."""
    options = {
        "sha256": spend_import.sha256,
        "mapping": {k: v for k, v in sorted(mapping.items()) if v},
        "strict": strict,
        "period": [
            spend_import.period_start.isoformat() if spend_import.period_start else None,
            spend_import.period_end.isoformat() if spend_import.period_end else None,
        ],
        "valid_only": spend_import.valid_only,
    }
    return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()


def _same_run_done(spend_import: SpendImport) -> SpendImport | None:
    """A standing import of this member that wrote every line a run now would write.

    Only one without invalid lines: it wrote the whole file, and its lines are all still there
    (a standing import's lines are never removed). One that left lines out may have refused
    some only for being dated in the future then, so its file is read again.
    """
    return (
        SpendImport.objects.filter(
            member_id=spend_import.member_id,
            identity=spend_import.identity,
            status__in=SpendImport.STANDING,
            error_count=0,
        )
        .exclude(pk=spend_import.pk)
        .order_by("created_at")
        .first()
    )


def _lock_member(member_id: int) -> None:
    """One writer of a member's lines at a time (imports and withdrawals), until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [74_100, member_id])


def _finish_unchanged(spend_import: SpendImport, previous: SpendImport) -> SpendImport:
    """Record a re-run of `previous` as unchanged; it holds the same lines (call under the lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO spend_spendlineimport (spend_import_id, line_id)
            SELECT %(this)s, id FROM spend_spendline WHERE spend_import_id = %(previous)s
            UNION
            SELECT %(this)s, line_id FROM spend_spendlineimport WHERE spend_import_id = %(previous)s
            ON CONFLICT DO NOTHING
            """,
            {"this": spend_import.pk, "previous": previous.pk},
        )
    spend_import.status = SpendImport.Status.UNCHANGED
    spend_import.format = previous.format
    spend_import.encoding = previous.encoding
    spend_import.lines_total = previous.lines_total
    spend_import.lines_valid = previous.lines_valid
    spend_import.lines_existing = previous.lines_valid
    spend_import.lines_new = 0
    spend_import.error_count = previous.error_count
    spend_import.errors = previous.errors
    spend_import.first_date, spend_import.last_date = previous.first_date, previous.last_date
    spend_import.finished_at = timezone.now()
    spend_import.save()
    return spend_import


def _finish_rejected(spend_import: SpendImport, errors: list[dict], count: int) -> SpendImport:
    spend_import.status = SpendImport.Status.REJECTED
    spend_import.errors = errors
    spend_import.error_count = count
    spend_import.lines_new = 0
    spend_import.lines_existing = 0
    spend_import.finished_at = timezone.now()
    spend_import.save()
    return spend_import


# The line's identity across files; must stay as it is, or lines already stored would not match.
FINGERPRINT = (
    "md5(concat_ws('|', r.supplier_cvr, r.invoice_date, r.amount, r.invoice_number, r.account,"
    " r.category, r.line_key))"
)


def _write_lines(
    table: pa.Table,
    *,
    member_id: int,
    spend_import_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add the lines (normalised, see importing.validate) for a member; return how many were new.

    Must run inside a transaction. Suppliers are created for new CVRs (named by the first line
    that names them) and every name a CVR appears under is kept. The lines go in chunks (COPY
    into a temporary table, then INSERT of the new ones), so `progress(lines done)` follows the
    work; lines already there that the import also holds are recorded in SpendLineImport.
    """
    _lock_member(member_id)
    columns = ", ".join(COPY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE spend_import_rows (
                line bigint, source text, supplier_cvr text, supplier_name text,
                amount numeric(14, 2), invoice_date date, account text, category text,
                cpv8 text, unspsc text, invoice_number text, line_key text
            ) ON COMMIT DROP
            """
        )
        cursor.execute(
            "CREATE TEMP TABLE spend_import_suppliers (cvr text, name text) ON COMMIT DROP"
        )
        with cursor.copy("COPY spend_import_suppliers (cvr, name) FROM STDIN (FORMAT csv)") as copy:
            copy.write(_csv(_first_names(table)))
        cursor.execute(
            """
            INSERT INTO spend_supplier (created_at, updated_at, cvr, name)
            SELECT now(), now(), cvr, COALESCE(NULLIF(name, ''), 'CVR ' || cvr)
            FROM spend_import_suppliers
            ON CONFLICT (cvr) DO NOTHING
            """
        )
        new = done = 0
        size = max(COPY_BATCH_ROWS, -(-table.num_rows // WRITE_CHUNKS))
        for start in range(0, table.num_rows, size):
            chunk = table.slice(start, size).select(list(COPY_COLUMNS))
            with cursor.copy(f"COPY spend_import_rows ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(_csv(chunk))
            if start == 0:
                cursor.execute("ANALYZE spend_import_rows")
            cursor.execute(
                """
                INSERT INTO spend_suppliername (supplier_id, name)
                SELECT DISTINCT s.id, r.supplier_name
                FROM spend_import_rows r JOIN spend_supplier s ON s.cvr = r.supplier_cvr
                WHERE r.supplier_name <> ''
                ON CONFLICT (supplier_id, name) DO NOTHING
                """
            )
            # Not ON CONFLICT: speculative insertion costs on every row. The advisory lock makes
            # this member's lines ours alone until commit, and validation removed the file's own
            # duplicates, so the anti-join decides exactly which lines are new; the unique
            # constraint still guards. Fingerprint order keeps the unique index's writes local.
            cursor.execute(
                f"""
                INSERT INTO spend_spendline (
                    member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                    unspsc, invoice_number, fingerprint, spend_import_id
                )
                SELECT %(member)s, s.id, r.amount, r.invoice_date, r.account, r.category, c.code,
                       COALESCE(r.unspsc, ''), r.invoice_number, r.fingerprint, %(import)s
                FROM (SELECT *, {FINGERPRINT} AS fingerprint FROM spend_import_rows r) r
                JOIN spend_supplier s ON s.cvr = r.supplier_cvr
                LEFT JOIN cpv_cpvcode c ON r.cpv8 <> '' AND c.code8 = r.cpv8
                WHERE NOT EXISTS (
                    SELECT 1 FROM spend_spendline l
                    WHERE l.member_id = %(member)s AND l.fingerprint = r.fingerprint
                )
                ORDER BY r.fingerprint
                """,  # noqa: S608 — FINGERPRINT is a constant
                {"member": member_id, "import": spend_import_id},
            )
            inserted = cursor.rowcount
            if inserted < chunk.num_rows and spend_import_id is not None:
                # Some lines were there already (another import brought them): this import
                # holds them too, which decides whether withdrawing that import removes them.
                cursor.execute(
                    f"""
                    INSERT INTO spend_spendlineimport (spend_import_id, line_id)
                    SELECT %(import)s, l.id
                    FROM spend_import_rows r
                    JOIN spend_spendline l
                      ON l.member_id = %(member)s AND l.fingerprint = {FINGERPRINT}
                    WHERE l.spend_import_id IS DISTINCT FROM %(import)s
                    ON CONFLICT DO NOTHING
                    """,  # noqa: S608 — FINGERPRINT is a constant
                    {"member": member_id, "import": spend_import_id},
                )
            cursor.execute("TRUNCATE spend_import_rows")
            new += inserted
            done += chunk.num_rows
            if progress is not None:
                progress(done)
        cursor.execute("DROP TABLE spend_import_rows, spend_import_suppliers")
    return new


def _csv(table: pa.Table) -> memoryview:
    buffer = io.BytesIO()
    pv.write_csv(table, buffer, write_options=pv.WriteOptions(include_header=False))
    return buffer.getbuffer()


def _first_names(table: pa.Table) -> pa.Table:
    """Each CVR of the lines once, with the first name a line gives it ("" if none does)."""
    named = table.select(["supplier_cvr", "supplier_name"]).filter(
        pc.not_equal(table["supplier_name"], "")
    )
    # Ordered aggregation: without threads, "first" is the first in file order.
    firsts = named.group_by("supplier_cvr", use_threads=False).aggregate(
        [("supplier_name", "first")]
    )
    named_cvrs = firsts["supplier_cvr"].combine_chunks()
    cvrs = pc.unique(table["supplier_cvr"])
    unnamed = cvrs.filter(pc.invert(pc.is_in(cvrs, value_set=named_cvrs)))
    return pa.table(
        {
            "cvr": pa.concat_arrays([named_cvrs, unnamed]),
            "name": pa.concat_arrays(
                [
                    firsts["supplier_name_first"].combine_chunks(),
                    pa.array([""] * len(unnamed), type=pa.string()),
                ]
            ),
        }
    )


def spend_import_withdraw(*, spend_import: SpendImport, user: User | None) -> SpendImport:
    """Take a standing import back: remove the lines it brought that no other standing import holds.

    A line the import brought that another standing import also holds passes to the earliest
    such import instead; lines it only held (another import brought them) stay with theirs. All
    in one transaction under the member's lock; the after-import hooks then recompute over the
    invoice dates of the lines removed.
    """
    with (
        transaction.atomic(),
        pghistory.context(user=user.pk if user else None, action="spend_import_withdraw"),
    ):
        _lock_member(spend_import.member_id)
        spend_import = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
        if not spend_import.is_standing:
            raise ImportNotWithdrawable(spend_import.status)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH heirs AS (
                    SELECT DISTINCT ON (h.line_id) h.line_id, h.spend_import_id
                    FROM spend_spendlineimport h
                    JOIN spend_spendline l ON l.id = h.line_id
                    WHERE l.spend_import_id = %(import)s
                    ORDER BY h.line_id, h.spend_import_id
                ), moved AS (
                    UPDATE spend_spendline l SET spend_import_id = heirs.spend_import_id
                    FROM heirs WHERE l.id = heirs.line_id
                    RETURNING l.id, l.spend_import_id
                )
                DELETE FROM spend_spendlineimport h USING moved
                WHERE h.line_id = moved.id AND h.spend_import_id = moved.spend_import_id
                """,
                {"import": spend_import.pk},
            )
            cursor.execute(
                """
                WITH gone AS (
                    DELETE FROM spend_spendline WHERE spend_import_id = %s RETURNING invoice_date
                )
                SELECT count(*), min(invoice_date), max(invoice_date) FROM gone
                """,
                [spend_import.pk],
            )
            removed, first, last = cursor.fetchone()
            cursor.execute(
                "DELETE FROM spend_spendlineimport WHERE spend_import_id = %s", [spend_import.pk]
            )
        spend_import.status = SpendImport.Status.WITHDRAWN
        spend_import.withdrawn_at = timezone.now()
        spend_import.withdrawn_by = user
        spend_import.lines_withdrawn = removed
        spend_import.full_clean()
        spend_import.save()
        if removed:
            member_id = spend_import.member_id
            transaction.on_commit(lambda: hooks.run_after_import(member_id, first, last))
    return spend_import


def spend_lines_write(
    *, member_id: int, table: pa.Table, spend_import_id: int | None = None
) -> int:
    """Write already-validated lines in their own transaction (used by the demo data)."""
    with transaction.atomic():
        return _write_lines(table, member_id=member_id, spend_import_id=spend_import_id)


def spend_import_start(*, member: Member, uploaded_file: IO[bytes] | File, user: User | None):
    """Store an uploaded file and import it at once, with the saved mapping; returns the job.

    For callers without the preview step (the API): the file is checked line by line as always,
    and a file with errors is rejected whole.
    """
    with transaction.atomic():
        spend_import = spend_import_create(
            member=member,
            user=user,
            file=uploaded_file,
            name=getattr(uploaded_file, "name", "") or "upload",
        )
        spend_import = spend_import_enqueue(spend_import=spend_import, user=user)
    return spend_import.job
