"""Imports through the services and the command: written once, suppliers merged, hooks called."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from spend import hooks
from spend.models import ColumnMapping, SpendImport, SpendLine, Supplier
from spend.services import column_mapping_save

from .files import CVR_A, CVR_B, ROWS, csv_bytes, ubl, xlsx_bytes, zip_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db


def test_erp_csv_is_imported_with_suppliers_and_names(cast) -> None:
    spend_import = run_import(cast.odense, csv_bytes(encoding="cp1252"), user=cast.officer)
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors
    assert (spend_import.lines_total, spend_import.lines_new, spend_import.error_count) == (4, 4, 0)
    assert spend_import.encoding == "cp1252"
    assert spend_import.first_date == datetime.date(2025, 1, 2)
    lines = SpendLine.objects.filter(member=cast.odense).order_by("invoice_date")
    assert [line.amount for line in lines] == [
        Decimal("12500.00"),
        Decimal("1234.56"),
        Decimal("-234.56"),
        Decimal("999.95"),
    ]
    assert {line.spend_import_id for line in lines} == {spend_import.pk}
    # One supplier per CVR, named by its first line; every name it appears under is kept.
    kontorland = Supplier.objects.get(cvr=CVR_B)
    assert kontorland.name == "Kontorland ApS"
    assert sorted(kontorland.names.values_list("name", flat=True)) == [
        "Kontorland",
        "Kontorland ApS",
    ]


def test_same_file_twice_changes_nothing(cast) -> None:
    first = run_import(cast.odense, csv_bytes())
    second = run_import(cast.odense, csv_bytes())
    assert first.status == SpendImport.Status.IMPORTED
    assert second.status == SpendImport.Status.UNCHANGED and second.lines_new == 0
    assert SpendLine.objects.count() == 4


def test_same_lines_in_another_file_change_nothing(cast) -> None:
    run_import(cast.odense, csv_bytes(ROWS[:3]))
    again = run_import(cast.odense, xlsx_bytes(ROWS), name="samme.xlsx")
    assert again.status == SpendImport.Status.IMPORTED
    assert (again.lines_new, again.lines_existing) == (1, 3)
    assert SpendLine.objects.count() == 4


def test_same_lines_for_another_member_are_that_members_own(cast) -> None:
    run_import(cast.odense, csv_bytes())
    run_import(cast.aarhus, csv_bytes())
    assert SpendLine.objects.filter(member=cast.odense).count() == 4
    assert SpendLine.objects.filter(member=cast.aarhus).count() == 4
    assert Supplier.objects.count() == 3


def test_valid_only_imports_the_valid_lines_and_reports_the_rest(cast) -> None:
    rows = [*ROWS, ["05-01-2025", "12345678", "Forkert", "10,00", "4410", "X"]]
    spend_import = run_import(cast.odense, csv_bytes(rows), valid_only=True)
    assert spend_import.status == SpendImport.Status.IMPORTED
    assert (spend_import.lines_new, spend_import.error_count) == (4, 1)
    assert spend_import.errors[0]["line"] == 6


def test_ubl_files_and_zip_with_cpv_classification(cast) -> None:
    single = run_import(cast.odense, ubl("peppol-invoice-dk-dkk-classified.xml"), "faktura.xml")
    assert single.status == SpendImport.Status.IMPORTED and single.format == "ubl_xml"
    paper, toner = SpendLine.objects.order_by("-amount")
    assert paper.cpv_id == "30192000-1" and paper.category_code == "30192000-1"
    assert toner.cpv_id is None and toner.category_code == "44103103"
    archive = zip_bytes(
        {"invoice.xml": ubl("invoice.xml"), "credit-note.xml": ubl("credit-note.xml")}
    )
    zipped = run_import(cast.odense, archive, "fakturaer.zip")
    assert zipped.status == SpendImport.Status.IMPORTED and zipped.lines_new == 4
    # The OIOUBL credit note cancels its invoice.
    assert (
        SpendLine.objects.filter(supplier__cvr=CVR_A).aggregate(total=Sum("amount"))["total"] == 0
    )
    # The same invoices again, one by one: nothing new.
    assert (
        run_import(cast.odense, ubl("invoice.xml"), "invoice.xml").status
        == SpendImport.Status.UNCHANGED
    )


def test_category_codes_in_erp_files_resolve_to_cpv(cast) -> None:
    header = [
        "Bilagsdato",
        "CVR-nr.",
        "Kreditor",
        "Beløb ekskl. moms",
        "Konto",
        "Fakturanr",
        "Kategori",
    ]
    rows = [[*ROWS[0], "30192000"], [*ROWS[1], "44103103"]]
    run_import(cast.odense, csv_bytes(rows, header=header))
    by_code = {line.category_code: line.cpv_id for line in SpendLine.objects.all()}
    assert by_code == {"30192000": "30192000-1", "44103103": None}


def test_saved_mapping_is_used_without_a_mapping_in_the_upload(cast) -> None:
    header = ["Dato", "Lev CVR", "Navn", "Netto", "Art", "Bilag"]
    column_mapping_save(
        member=cast.odense,
        columns={"supplier_cvr": "Lev CVR", "amount": "Netto"},
        user=cast.officer,
    )
    spend_import = run_import(cast.odense, csv_bytes(header=header))
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors
    assert ColumnMapping.objects.get(member=cast.odense).columns["amount"] == "Netto"


def test_after_import_hooks_run_on_commit_with_the_dates_touched(
    cast, django_capture_on_commit_callbacks
) -> None:
    calls = []
    hooks.AFTER_IMPORT.append(lambda *args: calls.append(args))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(cast.odense, csv_bytes())
        with django_capture_on_commit_callbacks(execute=True):
            run_import(cast.odense, csv_bytes())  # unchanged: no hook
    finally:
        hooks.AFTER_IMPORT.pop()
    assert calls == [(cast.odense.pk, datetime.date(2025, 1, 2), datetime.date(2025, 2, 15))]


def test_spend_lines_and_imports_are_tenant_data(cast) -> None:
    run_import(cast.odense, csv_bytes())
    run_import(cast.aarhus, csv_bytes(ROWS[:1]))
    assert SpendLine.objects.visible_to(cast.officer).count() == 4
    assert SpendLine.objects.visible_to(cast.aarhus_officer).count() == 1
    assert SpendLine.objects.visible_to(cast.staff).count() == 5
    assert SpendLine.objects.visible_to(cast.board_member).count() == 0
    assert SpendImport.objects.visible_to(cast.aarhus_officer).count() == 1


def _command(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("import_spend", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


def test_command_prints_json_and_exits_non_zero_when_rejected(cast, tmp_path) -> None:
    good = tmp_path / "udtraek.csv"
    good.write_bytes(csv_bytes())
    assert _command("--municipality", "461", "--json", str(good)) == (
        0,
        {"status": "imported", "lines": 4, "errors": []},
    )
    assert _command("--municipality", "461", "--json", str(good)) == (
        0,
        {"status": "unchanged", "lines": 0, "errors": []},
    )
    bad = tmp_path / "fejl.csv"
    bad.write_bytes(csv_bytes([*ROWS, ["31-02-2025", CVR_A, "X", "1,00", "1", "1"]]))
    code, payload = _command("--municipality", "461", "--json", str(bad))
    assert code == 1
    assert payload == {
        "status": "rejected",
        "lines": 0,
        "errors": [
            {
                "line": 6,
                "reason": "Datoen »31-02-2025« kan ikke læses (brug dd-mm-åååå eller åååå-mm-dd).",
            }
        ],
    }
    assert SpendLine.objects.count() == 4


def test_command_takes_a_mapping_file(cast, tmp_path) -> None:
    data = tmp_path / "erp.csv"
    data.write_bytes(csv_bytes(header=["Dato", "Lev CVR", "Navn", "Netto", "Art", "Bilag"]))
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({
        "supplier_cvr": "Lev CVR", "supplier_name": "Navn", "amount": "Netto",
        "invoice_date": "Dato", "account": "Art", "invoice_number": "Bilag",
    }))  # fmt: skip
    code, payload = _command(
        "--municipality", "461", "--mapping", str(mapping), "--json", str(data)
    )
    assert (code, payload["status"], payload["lines"]) == (0, "imported", 4)
    assert set(SpendLine.objects.values_list("account", flat=True)) == {"4410", "4420", "4430"}


def test_reimport_without_the_period_brings_the_other_months(cast) -> None:
    """The same file imported for January only, then whole: February must arrive."""
    january = run_import(
        cast.odense,
        csv_bytes(),
        valid_only=True,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 1, 31),
    )
    assert (january.status, january.lines_new, january.error_count) == ("imported", 3, 1)
    whole = run_import(cast.odense, csv_bytes())
    assert whole.status == SpendImport.Status.IMPORTED, whole.errors
    assert (whole.lines_new, whole.lines_existing) == (1, 3)
    assert SpendLine.objects.count() == 4


def test_reimport_with_the_same_options_is_unchanged_even_with_errors(cast) -> None:
    rows = [*ROWS, ["05-01-2025", "12345678", "Forkert", "10,00", "4410", "X"]]
    first = run_import(cast.odense, csv_bytes(rows), valid_only=True)
    again = run_import(cast.odense, csv_bytes(rows), valid_only=True)
    assert first.status == SpendImport.Status.IMPORTED
    assert (again.status, again.lines_new, again.lines_existing) == ("unchanged", 0, 4)
    assert SpendLine.objects.count() == 4


def test_reimport_after_the_saved_mapping_changed_reads_the_file_again(cast) -> None:
    header = ["Dato", "Lev CVR", "Navn", "Netto", "Brutto", "Bilag"]
    rows = [[r[0], r[1], r[2], r[3], "1,00", r[5]] for r in ROWS]
    column_mapping_save(
        member=cast.odense,
        columns={"supplier_cvr": "Lev CVR", "amount": "Brutto", "invoice_date": "Dato"},
        user=cast.officer,
    )
    first = run_import(cast.odense, csv_bytes(rows, header=header))
    assert first.status == SpendImport.Status.IMPORTED, first.errors
    column_mapping_save(
        member=cast.odense,
        columns={"supplier_cvr": "Lev CVR", "amount": "Netto", "invoice_date": "Dato"},
        user=cast.officer,
    )
    second = run_import(cast.odense, csv_bytes(rows, header=header))
    assert (second.status, second.lines_new) == ("imported", 4)


def test_progress_moves_in_steps_through_reading_checking_and_writing(cast, monkeypatch) -> None:
    from spend.services import spend_import_create, spend_import_run, writing

    monkeypatch.setattr(writing, "COPY_BATCH_ROWS", 1)
    reports: list[tuple[float, str]] = []
    spend_import = spend_import_create(
        member=cast.odense, user=None, file=io.BytesIO(csv_bytes()), name="udtraek.csv"
    )
    spend_import_run(
        spend_import_id=spend_import.pk,
        progress=lambda pct, msg: reports.append((pct, msg)),
        today=datetime.date(2026, 11, 22),
    )
    values = [pct for pct, _msg in reports]
    assert values == sorted(values) and values[0] > 0 and values[-1] <= 100
    writing = [pct for pct, msg in reports if msg.startswith("Gemmer")]
    checking = [pct for pct, msg in reports if msg.startswith("Kontrollerer")]
    # One step per chunk written (four lines, one line a chunk) and several while checking.
    assert len(set(writing)) >= 4 and len(set(checking)) >= 3
    # Writing is most of the work: it gets most of the bar.
    assert writing[-1] - writing[0] > 40


@pytest.mark.django_db(transaction=True)
def test_progress_reaches_the_job_while_the_write_transaction_is_open(cast) -> None:
    """The task reports on a connection of its own: the page sees the bar move mid-write."""
    from django.db import transaction

    from jobs.models import Job
    from spend.tasks import ProgressReporter

    job = Job.objects.create(
        kind="spend.import", title="Indlæsning", task_name="spend.import_file",
        organisation=cast.odense.organisation,
        state=Job.State.RUNNING,
    )  # fmt: skip
    reporter = ProgressReporter(job)
    with pytest.raises(RuntimeError), transaction.atomic():
        reporter(42, "Gemmer 10 af 20 linjer …")
        reporter.close()
        raise RuntimeError("the write fails; its transaction is rolled back")
    job.refresh_from_db()
    assert (job.progress, job.message) == (42, "Gemmer 10 af 20 linjer …")


def test_the_same_amount_written_two_ways_is_a_repeated_line(cast) -> None:
    """12.500,00 and 12500,0 are one amount: the second line repeats the first (no crash)."""
    rows = [ROWS[0], [*ROWS[0][:3], "12500,0", *ROWS[0][4:]], ROWS[1]]
    spend_import = run_import(cast.odense, csv_bytes(rows), valid_only=True)
    assert spend_import.status == SpendImport.Status.IMPORTED
    assert spend_import.lines_new == 2
    assert "gentager linje 2" in spend_import.errors[0]["reason"]
