"""The spend lines partitioned by invoice year: where lines land, the partitions added later, the
composite foreign key from the lines an import also holds, and imports and withdrawals on top."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from consortium import tenancy
from consortium.tenancy import Acting
from spend.models import SpendImport, SpendLine, SpendLineImport, SpendMonth, Supplier
from spend.partitions import default_years, partition_years, partitions_keep
from spend.selectors import withdrawal_preview
from spend.services import spend_import_withdraw
from spend.tasks import keep_partitions
from tests.conftest import flush_deferred_checks

from .files import CVR_A, CVR_B, csv_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def supplier() -> Supplier:
    return Supplier.objects.create(cvr="10000009", name="Lyreco Danmark A/S")


def _line(member, supplier, day: datetime.date, fingerprint: str, amount: str = "100.00"):
    return SpendLine.objects.create(
        member=member, supplier=supplier, amount=Decimal(amount), invoice_date=day,
        fingerprint=fingerprint,
    )  # fmt: skip


def _partition_of(line: SpendLine) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM spend_spendline WHERE id = %s AND invoice_date = %s",
            [line.pk, line.invoice_date],
        )
        return cursor.fetchone()[0]


def _months() -> dict[tuple[int, datetime.date], tuple[Decimal, int]]:
    return {(m.member_id, m.month): (m.amount, m.lines) for m in SpendMonth.objects.all()}


def test_the_lines_are_a_table_partitioned_by_invoice_date() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relkind, p.partstrat, a.attname FROM pg_class c "
            "JOIN pg_partitioned_table p ON p.partrelid = c.oid "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] "
            "WHERE c.oid = 'spend_spendline'::regclass"
        )
        assert cursor.fetchone() == ("p", "r", "invoice_date")
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'spend_spendline'::regclass AND contype IN ('p', 'u') ORDER BY contype"
        )
        keys = [row[0] for row in cursor.fetchall()]
    assert keys == [
        "PRIMARY KEY (id, invoice_date)",
        "UNIQUE (member_id, fingerprint, invoice_date)",
    ]
    assert partition_years() == list(range(2000, 2041))


def test_lines_land_in_their_years_partition_and_other_years_in_the_default_one(
    cast, supplier
) -> None:
    lines = [
        _line(cast.odense, supplier, D(2024, 12, 31), "a"),
        _line(cast.odense, supplier, D(2025, 1, 1), "b"),
        _line(cast.aarhus, supplier, D(2026, 6, 30), "c"),
        _line(cast.aarhus, supplier, D(1998, 3, 1), "d"),
    ]
    assert [_partition_of(line) for line in lines] == [
        "spend_spendline_y2024",
        "spend_spendline_y2025",
        "spend_spendline_y2026",
        "spend_spendline_default",
    ]
    assert default_years() == [1998]
    # Django still finds a line by its id alone (every partition's key starts with it).
    assert SpendLine.objects.get(pk=lines[3].pk).fingerprint == "d"


def test_the_same_line_twice_is_refused_and_the_same_fingerprint_on_another_date_too(
    cast, supplier
) -> None:
    _line(cast.odense, supplier, D(2025, 3, 1), "same")
    with pytest.raises(IntegrityError), transaction.atomic():
        _line(cast.odense, supplier, D(2025, 3, 1), "same")
    _line(cast.aarhus, supplier, D(2025, 3, 1), "same")  # another member's line


def test_the_partition_service_moves_a_years_lines_out_of_the_default_partition(
    cast, supplier
) -> None:
    old = _line(cast.odense, supplier, D(1998, 3, 1), "old", "40.00")
    recent = _line(cast.odense, supplier, D(2025, 3, 1), "recent")
    later = run_import(cast.odense, csv_bytes([["02-01-2025", CVR_A, "A/S", "1,00", "1", "X"]]))
    held = SpendLineImport.objects.create(spend_import=later, line=old, line_date=old.invoice_date)
    months = _months()
    flush_deferred_checks()  # the move alters the held lines' table: nothing may be pending

    assert partitions_keep(today=D(2026, 12, 1)) == [1998]

    assert _partition_of(old) == "spend_spendline_y1998"
    assert _partition_of(recent) == "spend_spendline_y2025"
    assert default_years() == []
    assert 1998 in partition_years()
    # Closed like those of the migration (row-level security, no grant to the application role).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relrowsecurity, has_table_privilege(oid, 'SELECT, INSERT, UPDATE, DELETE') "
            "FROM pg_class WHERE relname = 'spend_spendline_y1998'"
        )
        assert cursor.fetchone() == (True, False)
    # The line only moved: its holder is still there, and the monthly sums did not change.
    assert SpendLineImport.objects.filter(pk=held.pk, line_date=D(1998, 3, 1)).exists()
    assert _months() == months
    # Nothing more to add, until the next year is near the end of the fixed range.
    assert partitions_keep(today=D(2026, 12, 1)) == []
    assert partitions_keep(today=D(2040, 12, 1)) == [2041]
    line = _line(cast.odense, supplier, D(2041, 1, 2), "future")
    assert _partition_of(line) == "spend_spendline_y2041"


def test_the_nightly_task_is_scheduled_and_adds_what_is_missing(cast, supplier) -> None:
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "spend.keep_partitions"
    )
    assert entry["options"]["headers"][tenancy.TASK_HEADER] == tenancy.SYSTEM.as_header()
    _line(cast.aarhus, supplier, D(1990, 5, 5), "old")
    flush_deferred_checks()
    assert keep_partitions() == [1990]


def test_only_the_consortium_adds_partitions(cast) -> None:
    officer = Acting(
        scope=tenancy.MEMBER, organisation_id=cast.odense.organisation_id, member_id=cast.odense.pk
    )
    with (
        tenancy.acting_as(officer),
        pytest.raises(ProgrammingError, match="only the consortium"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT spend_line_partition_add(1997)")
    # Nor may the application role close any table it likes the way a partition is closed.
    with (
        pytest.raises(ProgrammingError, match="no partition of the spend lines"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT spend_line_partition_close('spend_supplier')")


def test_a_held_line_carries_its_date_and_the_holding_goes_with_the_line(cast, supplier) -> None:
    line = _line(cast.odense, supplier, D(2025, 3, 1), "held")
    later = run_import(cast.odense, csv_bytes([["02-01-2025", CVR_A, "A/S", "1,00", "1", "X"]]))
    held = SpendLineImport.objects.create(
        spend_import=later, line=line, line_date=line.invoice_date
    )
    # The key is (line, date): a holding of the line on another date names no line.
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendLineImport.objects.create(spend_import=later, line=line, line_date=D(2025, 3, 2))
    # A line's date corrected into another year moves it to that partition; its holding follows.
    SpendLine.objects.filter(pk=line.pk).update(invoice_date=D(2024, 12, 30))
    held.refresh_from_db()
    assert held.line_date == D(2024, 12, 30)
    line.refresh_from_db()
    assert _partition_of(line) == "spend_spendline_y2024"
    # Deleted in SQL, the line takes its holdings along (ON DELETE CASCADE in the database).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM spend_spendline WHERE id = %s", [line.pk])
    assert not SpendLineImport.objects.filter(pk=held.pk).exists()


ACROSS_YEARS = [
    ["30-12-2024", CVR_A, "Tavleverandøren A/S", "12.500,00", "4410", "T-1"],
    ["02-01-2025", CVR_B, "Kontorland ApS", "1.234,56", "4420", "K-1"],
    ["03-03-2026", CVR_B, "Kontorland ApS", "-234,56", "4420", "K-2"],
]


def test_imports_re_imports_and_withdrawals_across_years(cast) -> None:
    first = run_import(cast.odense, csv_bytes(ACROSS_YEARS[:2]))
    second = run_import(cast.odense, csv_bytes(ACROSS_YEARS))
    assert (second.lines_new, second.lines_existing) == (1, 2)
    # The second holds the first's two lines, each with its line's date.
    assert set(SpendLineImport.objects.values_list("spend_import_id", "line__invoice_date")) == {
        (second.pk, D(2024, 12, 30)),
        (second.pk, D(2025, 1, 2)),
    }
    assert all(h.line_date == h.line.invoice_date for h in SpendLineImport.objects.all())
    again = run_import(cast.odense, csv_bytes(ACROSS_YEARS), name="igen.csv")
    assert again.status == SpendImport.Status.UNCHANGED
    assert SpendLineImport.objects.filter(spend_import=again).count() == 3
    assert all(h.line_date == h.line.invoice_date for h in SpendLineImport.objects.all())
    assert withdrawal_preview(first).kept == 2

    spend_import_withdraw(spend_import=first, user=cast.officer)

    # Both of the first's lines pass to the earliest standing import that holds them.
    lines = SpendLine.objects.filter(member=cast.odense)
    assert lines.count() == 3
    assert set(lines.values_list("spend_import_id", flat=True)) == {second.pk}
    assert not SpendLineImport.objects.filter(spend_import=second).exists()
    spend_import_withdraw(spend_import=second, user=cast.officer)
    assert set(SpendLine.objects.values_list("spend_import_id", flat=True)) == {again.pk}
    spend_import_withdraw(spend_import=again, user=cast.officer)
    assert not SpendLine.objects.exists() and not SpendLineImport.objects.exists()
    assert not SpendMonth.objects.exists()
