"""Spend imports: store an upload, configure it, enqueue it as a job and run it.

A run reads the stored file, validates every line and hands the valid ones to `writing`; a
re-run of a standing import with the same identity is answered "unchanged" without reading it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from consortium.formatting import format_number
from jobs.services import job_enqueue
from members.models import Member

from .. import hooks
from ..importing import FileRejected, ImportLimits
from ..importing.reader import check_spend_file
from ..importing.upload import screen_upload
from ..models import ColumnMapping, SpendImport
from .writing import lock_member, write_lines

Progress = Callable[[float, str], None]


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
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    # A file that is not a spend file (an image, a PDF, a web page, a hostile name, an XML
    # with a DTD, a zip bomb) is refused here, before anything is stored: FileRejected says why.
    kind = screen_upload(file, name)
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
        lock_member(spend_import.member_id)
        previous = _same_run_done(spend_import)
        if previous is not None:
            return _finish_unchanged(spend_import, previous)

    reading = _("Reading the file…")
    # The format as the upload's first bytes told it (a file it could not tell is refused below).
    bar = BARS.get(spend_import.format, BARS["erp_csv"])

    def checking(total: int, fraction: float) -> None:
        message = ngettext("Checking %(count)s line…", "Checking %(count)s lines…", total) % {
            "count": format_number(total)
        }
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
        message = ngettext(
            "Writing %(done)s of %(count)s line…", "Writing %(done)s of %(count)s lines…", valid
        ) % {
            "done": format_number(done),
            "count": format_number(valid),
        }
        progress(bar.at("write", done / valid), message)

    writing(0)
    with transaction.atomic():
        new = write_lines(
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


def _finish_unchanged(spend_import: SpendImport, previous: SpendImport) -> SpendImport:
    """Record a re-run of `previous` as unchanged; it holds the same lines (call under the lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO spend_spendlineimport (spend_import_id, line_id, line_date)
            SELECT %(this)s, id, invoice_date FROM spend_spendline
            WHERE spend_import_id = %(previous)s
            UNION
            SELECT %(this)s, line_id, line_date FROM spend_spendlineimport
            WHERE spend_import_id = %(previous)s
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
