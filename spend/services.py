"""Writes to spend data: uploads, imports, column mappings and the supplier registry.

An import reads the stored file, validates every line, and writes all of its new lines — with
any new suppliers and supplier names — in one transaction: COPY into a temporary table, then
INSERT of the lines whose (member, fingerprint) is not there yet. A worker killed half-way leaves nothing
behind, and running the import again (or importing the same lines from another file) adds each
line exactly once.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Callable
from typing import IO

import pyarrow as pa
import pyarrow.csv as pv
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from members.models import Member

from . import hooks
from .importing import FileRejected, ImportLimits, read_spend_file, validate_lines
from .importing.reader import detect_format
from .models import ColumnMapping, SpendImport

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# Columns of the temporary table, in the order the COPY writes them.
COPY_COLUMNS = (
    "line", "source", "supplier_cvr", "supplier_name", "amount", "invoice_date", "account",
    "category", "cpv8", "invoice_number", "line_key",
)  # fmt: skip
COPY_BATCH_ROWS = 100_000


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


def spend_import_run(
    *,
    spend_import_id: int,
    progress: Progress = _noop,
    today: datetime.date | None = None,
    limits: ImportLimits | None = None,
) -> SpendImport:
    """Read, validate and write one import. Idempotent: a finished import is left as it is."""
    limits = limits or ImportLimits.from_settings()
    spend_import = SpendImport.objects.select_related("member").get(pk=spend_import_id)
    if spend_import.status != SpendImport.Status.PENDING:
        return spend_import
    progress(5, _("Reading the file…"))

    previous = _same_file_imported(spend_import)
    if previous is not None:
        return _finish_unchanged(spend_import, previous)

    strict = bool(spend_import.mapping)
    mapping = spend_import.mapping or _saved_mapping(spend_import.member_id)
    try:
        with spend_import.file.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
        parsed = read_spend_file(
            data,
            name=spend_import.original_name,
            mapping=mapping,
            strict_mapping=strict,
            limits=limits,
        )
        del data
    except FileRejected as exc:
        return _finish_rejected(
            spend_import, [{"file": spend_import.original_name, "line": 0, "reason": exc.reason}], 1
        )

    progress(25, _("Checking %(count)s lines…") % {"count": parsed.raw.total})
    checked = validate_lines(
        parsed.raw.table,
        limits=limits,
        today=today or timezone.localdate(),
        period=(spend_import.period_start, spend_import.period_end),
        prior_errors=parsed.raw.errors,
        total=parsed.raw.total,
    )
    del parsed.raw.table
    spend_import.format = parsed.format
    spend_import.encoding = parsed.raw.encoding
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

    progress(55, _("Writing %(count)s lines…") % {"count": checked.valid})
    with transaction.atomic():
        new = _write_lines(
            checked.table, member_id=spend_import.member_id, spend_import_id=spend_import.pk
        )
        spend_import.lines_new = new
        spend_import.lines_existing = checked.valid - new
        spend_import.first_date = checked.first_date
        spend_import.last_date = checked.last_date
        spend_import.status = SpendImport.Status.IMPORTED if new else SpendImport.Status.UNCHANGED
        spend_import.finished_at = timezone.now()
        spend_import.save()
        if new and checked.first_date and checked.last_date:
            member_id, first, last = spend_import.member_id, checked.first_date, checked.last_date
            transaction.on_commit(lambda: hooks.run_after_import(member_id, first, last))
    progress(98, _("Finishing…"))
    return spend_import


def _read_stored(spend_import: SpendImport, limits: ImportLimits) -> bytes:
    with spend_import.file.open("rb") as handle:
        return handle.read(limits.max_bytes + 1)


def _saved_mapping(member_id: int) -> dict[str, str]:
    mapping = (
        ColumnMapping.objects.filter(member_id=member_id).values_list("columns", flat=True).first()
    )
    return dict(mapping or {})


def _same_file_imported(spend_import: SpendImport) -> SpendImport | None:
    return (
        SpendImport.objects.filter(
            member_id=spend_import.member_id,
            sha256=spend_import.sha256,
            mapping=spend_import.mapping,
            status__in=[SpendImport.Status.IMPORTED, SpendImport.Status.UNCHANGED],
        )
        .exclude(pk=spend_import.pk)
        .order_by("created_at")
        .first()
    )


def _finish_unchanged(spend_import: SpendImport, previous: SpendImport) -> SpendImport:
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


def _write_lines(table: pa.Table, *, member_id: int, spend_import_id: int | None) -> int:
    """Add the lines (normalised, see importing.validate) for a member; return how many were new.

    Must run inside a transaction. Suppliers are created for new CVRs (named by the first line
    that names them) and every name a CVR appears under is kept.
    """
    with connection.cursor() as cursor:
        # One import per member at a time: concurrent imports of overlapping files would otherwise
        # race on the same fingerprints and supplier rows.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [74_100, member_id])
        cursor.execute(
            """
            CREATE TEMP TABLE spend_import_rows (
                line bigint, source text, supplier_cvr text, supplier_name text,
                amount numeric(14, 2), invoice_date date, account text, category text,
                cpv8 text, invoice_number text, line_key text
            ) ON COMMIT DROP
            """
        )
        columns = ", ".join(COPY_COLUMNS)
        with cursor.copy(f"COPY spend_import_rows ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for batch in table.select(list(COPY_COLUMNS)).to_batches(COPY_BATCH_ROWS):
                buffer = io.BytesIO()
                pv.write_csv(batch, buffer, write_options=pv.WriteOptions(include_header=False))
                copy.write(buffer.getbuffer())
        cursor.execute("ANALYZE spend_import_rows")
        cursor.execute(
            """
            INSERT INTO spend_supplier (created_at, updated_at, cvr, name)
            SELECT now(), now(), supplier_cvr, COALESCE(NULLIF(supplier_name, ''), 'CVR ' || supplier_cvr)
            FROM (
                SELECT DISTINCT ON (supplier_cvr) supplier_cvr, supplier_name
                FROM spend_import_rows ORDER BY supplier_cvr, supplier_name = '', line
            ) firsts
            ON CONFLICT (cvr) DO NOTHING
            """
        )
        cursor.execute(
            """
            INSERT INTO spend_suppliername (supplier_id, name)
            SELECT DISTINCT s.id, r.supplier_name
            FROM spend_import_rows r JOIN spend_supplier s ON s.cvr = r.supplier_cvr
            WHERE r.supplier_name <> ''
            ON CONFLICT (supplier_id, name) DO NOTHING
            """
        )
        # Not ON CONFLICT: speculative insertion costs on every row. The advisory lock above makes
        # this member's lines ours alone until commit, and validation removed the file's own
        # duplicates, so the anti-join decides exactly which lines are new; the unique constraint
        # still guards. Inserting in fingerprint order keeps the unique index's writes local.
        cursor.execute(
            """
            INSERT INTO spend_spendline (
                member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                invoice_number, fingerprint, spend_import_id
            )
            SELECT %(member)s, s.id, r.amount, r.invoice_date, r.account, r.category, c.code,
                   r.invoice_number, r.fingerprint, %(import)s
            FROM (
                SELECT *, md5(concat_ws('|', supplier_cvr, invoice_date, amount, invoice_number,
                                        account, category, line_key)) AS fingerprint
                FROM spend_import_rows
            ) r
            JOIN spend_supplier s ON s.cvr = r.supplier_cvr
            LEFT JOIN cpv_cpvcode c ON r.cpv8 <> '' AND c.code8 = r.cpv8
            WHERE NOT EXISTS (
                SELECT 1 FROM spend_spendline l
                WHERE l.member_id = %(member)s AND l.fingerprint = r.fingerprint
            )
            ORDER BY r.fingerprint
            """,
            {"member": member_id, "import": spend_import_id},
        )
        new = cursor.rowcount
        cursor.execute("DROP TABLE spend_import_rows")
    return new


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
