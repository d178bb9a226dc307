"""Writing spend lines: COPY into a temporary table, then INSERT of the new ones.

All of a member's writes (imports, withdrawals) take the member's advisory lock, so one writer
at a time decides which lines are new; a line's identity across files is its fingerprint.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from django.db import connection, transaction

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


# The first key of the advisory locks on a member's lines (the second is the member's id).
MEMBER_LOCK_SPACE = 74_100


def lock_member(member_id: int) -> None:
    """One writer of a member's lines at a time (imports and withdrawals), until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MEMBER_LOCK_SPACE, member_id])


FINGERPRINT = (
    "md5(concat_ws('|', r.supplier_cvr, r.invoice_date, r.amount, r.invoice_number, r.account,"
    " r.category, r.line_key))"
)


def write_lines(
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
    lock_member(member_id)
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
            # The invoice date is the partition key: naming it, each line is looked for in its
            # year's partition only (the fingerprint hashes the date, so it adds no condition).
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
                      AND l.invoice_date = r.invoice_date
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
                    INSERT INTO spend_spendlineimport (spend_import_id, line_id, line_date)
                    SELECT %(import)s, l.id, l.invoice_date
                    FROM spend_import_rows r
                    JOIN spend_spendline l
                      ON l.member_id = %(member)s AND l.fingerprint = {FINGERPRINT}
                     AND l.invoice_date = r.invoice_date
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


def spend_lines_write(
    *, member_id: int, table: pa.Table, spend_import_id: int | None = None
) -> int:
    """Write already-validated lines in their own transaction (used by the demo data)."""
    with transaction.atomic():
        return write_lines(table, member_id=member_id, spend_import_id=spend_import_id)
