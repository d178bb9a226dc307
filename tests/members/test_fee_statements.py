"""Fees stored per member, statements rendered as PDF by a job, the XLSX overview, `fees`."""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal
from io import StringIO

import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from jobs.services import job_enqueue
from members.models import Fee, FeeModel, FeeStatement
from tests.conftest import client_for


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_calculate_stores_fees_that_sum_to_the_budget(cast, fee_model) -> None:
    response = client_for(cast.staff).post(reverse("members:fee_calculate", args=[2026]))
    assert response.status_code == 302
    fees = Fee.objects.filter(fee_model=fee_model)
    assert fees.count() == 3
    assert sum(f.amount for f in fees) == Decimal("1000000.01")
    assert fees.get(member__organisation__name="Holstebro-Lemvig").population == 78_500


def test_statement_pdf_has_danish_text_and_correct_totals(
    cast, fee_model, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.staff)
    client.post(reverse("members:fee_calculate", args=[2026]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:fee_statements", args=[2026]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.progress == 100
    assert FeeStatement.objects.count() == 3

    odense_fee = Fee.objects.get(member=cast.odense)
    statement = FeeStatement.objects.get(member=cast.odense)
    text = _pdf_text(statement.pdf.read())
    assert "Kontingentopgørelse 2026" in text
    assert "Odense" in text and "Indbyggere pr. 1. januar 2026" in text
    assert "øre" in text  # the rounding rule, in Danish
    assert f"{odense_fee.amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") in text
    assert "1.000.000,01" in text  # all members' fees in total = the budget
    assert "Side 1 af" in text

    # The officer downloads its own statement; Aarhus's officer cannot see it.
    url = statement.get_absolute_url()
    download = client_for(cast.officer).get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "kontingent-2026-odense.pdf" in download["Content-Disposition"]
    assert client_for(cast.aarhus_officer).get(url).status_code == 404


def test_rendering_again_keeps_the_earlier_statements(
    cast, fee_model, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.staff)
    client.post(reverse("members:fee_calculate", args=[2026]))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("members:fee_statements", args=[2026]), {"member": cast.odense.pk})
    assert FeeStatement.objects.filter(member=cast.odense).count() == 2
    assert not FeeStatement.objects.exclude(member=cast.odense).exists()


def test_xlsx_overview_lists_every_member_and_the_total(cast, fee_model) -> None:
    client = client_for(cast.admin)
    client.post(reverse("members:fee_calculate", args=[2026]))
    response = client.get(reverse("members:fee_overview", args=[2026]))
    assert response["Content-Disposition"] == 'attachment; filename="kontingenter-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = [r[0] for r in rows if r and r[0] in {"Odense", "Aarhus", "Holstebro-Lemvig"}]
    assert sorted(names) == ["Aarhus", "Holstebro-Lemvig", "Odense"]
    data = [r for r in rows if r and r[0] in names]
    assert sum(Decimal(str(r[6])) for r in data) == Decimal("1000000.01")
    assert rows[-1][0] == "I alt" and rows[-1][6].startswith("=SUM(")
    header = next(r for r in sheet.iter_rows() if r[0].value == "Medlem")
    assert (
        header[6].value == "Kontingent (kr.)"
        and sheet.freeze_panes == header[0].offset(1).coordinate
    )
    fee = next(r for r in sheet.iter_rows() if r[0].value == "Odense")[6]
    assert (fee.data_type, fee.number_format) == ("n", "#,##0.00")


def test_fees_command_prints_the_split_and_json(cast, fee_model) -> None:
    out = StringIO()
    call_command("fees", year=2026, stdout=out)
    assert "Holstebro-Lemvig" in out.getvalue() and "1000000.01" in out.getvalue()
    out = StringIO()
    call_command("fees", "--year", "2026", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == "1000000.01"
    assert sum(Decimal(m["fee"]) for m in data["members"]) == Decimal("1000000.01")
    assert {m["member"] for m in data["members"]} == {"Odense", "Aarhus", "Holstebro-Lemvig"}
    assert set(data["members"][0]) >= {"member", "population", "base", "population_part", "fee"}


def test_missing_population_is_explained(cast) -> None:
    FeeModel.objects.create(
        year=2027, budget=Decimal("100"), base_share=Decimal("0.5"), population_year=2027
    )
    response = client_for(cast.staff).post(
        reverse("members:fee_calculate", args=[2027]), follow=True
    )
    assert "Intet indbyggertal for 2027" in response.content.decode()
    assert not Fee.objects.exists()


@pytest.mark.worker
def test_statements_render_on_a_real_worker(real_worker, cast, fee_model) -> None:
    from members.fees.services import fees_calculate

    fees_calculate(fee_model=fee_model)
    job = job_enqueue(
        task_name="members.render_fee_statements", kind="members.fee_statements",
        title="Kontingentopgørelser 2026", user=cast.staff, task_kwargs={"year": 2026, "member_ids": None},
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.3)
    assert job.state == Job.State.SUCCEEDED, (job.error, real_worker.log()[-3000:])
    assert FeeStatement.objects.filter(job_id=job.pk).count() == 3


def test_one_statement_and_one_fee_are_counted_in_the_singular(
    cast, django_capture_on_commit_callbacks
) -> None:
    from tests.factories import PopulationFigureFactory

    PopulationFigureFactory(municipality=cast.odense.municipalities.get(), population=210_000)
    cast.aarhus.status = "candidate"
    cast.aarhus.save()
    FeeModel.objects.create(
        year=2026, budget=Decimal("100.00"), base_share=Decimal("1"), population_year=2026
    )
    client = client_for(cast.staff)
    calculated = client.post(reverse("members:fee_calculate", args=[2026]), follow=True)
    assert "1 kontingent er beregnet og gemt." in calculated.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:fee_statements", args=[2026]))
    assert Job.objects.get().message == "1 kontingentopgørelse er klar."


def _queries_on(context, table: str) -> int:
    return sum(f'FROM "{table}"' in q["sql"] for q in context.captured_queries)


def test_xlsx_overview_reads_the_municipalities_in_one_query(cast, fee_model) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.admin)
    client.post(reverse("members:fee_calculate", args=[2026]))
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("members:fee_overview", args=[2026])).status_code == 200
    assert _queries_on(context, "members_municipality") == 1


def test_all_statements_are_rendered_from_one_reading_of_the_fee_table(
    cast, fee_model, monkeypatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.fees.services import fee_statements_render, fees_calculate

    monkeypatch.setattr("consortium.pdf.render_pdf", lambda template, context: b"%PDF-1.4")
    fees_calculate(fee_model=fee_model)
    fee_model.refresh_from_db()
    with CaptureQueriesContext(connection) as context:
        statements = fee_statements_render(fee_model=fee_model, member_ids=None, job_id=None)
    assert len(statements) == 3
    assert _queries_on(context, "members_fee") == 1
    assert _queries_on(context, "members_municipality") == 1
