"""Migration 0008 on a populated table: back to one plain table and to the partitioned one
again, rows, ids, holdings, triggers, policies and grants kept.

The conversion runs as the owner, on a connection of its own, in a transaction rolled back at the
end; the rows it converts were committed by the application role first (a transactional test).
"""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from spend.models import SpendLine, SpendLineImport, SpendMonth, Supplier

from .files import CVR_A, csv_bytes
from .helpers import run_import

migration = importlib.import_module("spend.migrations.0008_partition_spend_lines")

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date

ROWS = """
    SELECT id, member_id, fingerprint, invoice_date, amount, spend_import_id FROM spend_spendline
    ORDER BY id
"""


def _owner_connection() -> psycopg.Connection:
    owner = settings.DATABASE_OWNER
    return psycopg.connect(
        host=owner.get("HOST") or None,
        port=owner.get("PORT") or None,
        user=owner["USER"],
        password=owner.get("PASSWORD") or None,
        dbname=connection.settings_dict["NAME"],
    )


def _shape(cursor) -> dict[str, object]:
    """What the conversion must keep: the table's triggers, policies, grants and foreign keys."""
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'spend_spendline'::regclass "
        "AND NOT tgisinternal ORDER BY 1"
    )
    triggers = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT policyname, cmd, qual, with_check FROM pg_policies "
        "WHERE tablename = 'spend_spendline' ORDER BY 1"
    )
    policies = cursor.fetchall()
    cursor.execute(
        "SELECT relrowsecurity, relacl::text FROM pg_class WHERE oid = 'spend_spendline'::regclass"
    )
    security = cursor.fetchone()
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'spend_spendline'::regclass "
        "AND contype = 'f' ORDER BY 1"
    )
    foreign_keys = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT indexrelid::regclass::text FROM pg_index "
        "WHERE indrelid = 'spend_spendline'::regclass ORDER BY 1"
    )
    indexes = [row[0] for row in cursor.fetchall()]
    return {
        "triggers": triggers,
        "policies": policies,
        "security": security,
        "foreign_keys": foreign_keys,
        "indexes": indexes,
    }


def test_the_migration_converts_a_populated_table_both_ways(cast) -> None:
    supplier = Supplier.objects.create(cvr="10000009", name="Lyreco Danmark A/S")
    for n, day in enumerate([D(2024, 5, 1), D(2025, 6, 2), D(2026, 7, 3), D(1999, 1, 1)]):
        SpendLine.objects.create(
            member=cast.odense, supplier=supplier, amount=Decimal("10.00") * (n + 1),
            invoice_date=day, fingerprint=f"f{n}",
        )  # fmt: skip
    later = run_import(cast.odense, csv_bytes([["02-01-2025", CVR_A, "A/S", "1,00", "1", "X"]]))
    for line in SpendLine.objects.filter(fingerprint__in=["f1", "f3"]):
        SpendLineImport.objects.create(spend_import=later, line=line, line_date=line.invoice_date)
    months = sorted(SpendMonth.objects.values_list("member_id", "month", "amount", "lines"))

    with _owner_connection() as owner, owner.cursor() as cursor:
        try:
            cursor.execute(ROWS)
            rows = cursor.fetchall()
            partitioned = _shape(cursor)

            migration.unpartition(cursor)

            cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'spend_spendline'::regclass")
            assert cursor.fetchone() == ("r",)
            cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE 'spend_spendline_y%%'")
            assert cursor.fetchone() == (0,)
            cursor.execute(ROWS)
            assert cursor.fetchall() == rows
            plain = _shape(cursor)
            assert plain["triggers"] == partitioned["triggers"]
            assert plain["policies"] == partitioned["policies"]
            assert plain["security"] == partitioned["security"]
            assert plain["foreign_keys"] == partitioned["foreign_keys"]
            assert plain["indexes"] == partitioned["indexes"]
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'spend_spendlineimport' AND column_name = 'line_date'"
            )
            assert cursor.fetchone() == (0,)

            # The migration proper, on the plain table with its rows.
            migration.partition(cursor)

            cursor.execute(
                "SELECT partstrat FROM pg_partitioned_table "
                "WHERE partrelid = 'spend_spendline'::regclass"
            )
            assert cursor.fetchone() == ("r",)
            cursor.execute(ROWS)
            assert cursor.fetchall() == rows
            assert _shape(cursor) == partitioned
            cursor.execute(
                "SELECT fingerprint, tableoid::regclass::text FROM spend_spendline "
                "WHERE fingerprint LIKE 'f_' ORDER BY 1"
            )
            assert cursor.fetchall() == [
                ("f0", "spend_spendline_y2024"),
                ("f1", "spend_spendline_y2025"),
                ("f2", "spend_spendline_y2026"),
                ("f3", "spend_spendline_default"),
            ]
            cursor.execute(
                "SELECT l.fingerprint FROM spend_spendlineimport h "
                "JOIN spend_spendline l ON l.id = h.line_id AND l.invoice_date = h.line_date "
                "ORDER BY 1"
            )
            assert cursor.fetchall() == [("f1",), ("f3",)]
            # The sequence goes on where it was; the triggers keep the monthly sums.
            cursor.execute(
                "INSERT INTO spend_spendline (member_id, supplier_id, amount, invoice_date, "
                "account, category_code, invoice_number, fingerprint) "
                "VALUES (%s, %s, 5, '2026-07-09', '', '', '', 'new') RETURNING id",
                [cast.odense.pk, supplier.pk],
            )
            assert cursor.fetchone()[0] > max(row[0] for row in rows)
            cursor.execute(
                "SELECT member_id, month, amount, lines FROM spend_spendmonth ORDER BY 1, 2"
            )
            after = {(m, month): (amount, n) for m, month, amount, n in cursor.fetchall()}
            before = {(m, month): (amount, n) for m, month, amount, n in months}
            amount, lines = before.pop((cast.odense.pk, D(2026, 7, 1)))
            assert after.pop((cast.odense.pk, D(2026, 7, 1))) == (amount + 5, lines + 1)
            assert after == before
            # Deleting a held line in SQL takes its holding along.
            cursor.execute("DELETE FROM spend_spendline WHERE fingerprint = 'f3'")
            cursor.execute("SELECT count(*) FROM spend_spendlineimport")
            assert cursor.fetchone() == (1,)
        finally:
            owner.rollback()
