"""Tender pages, the secretariat's actions, the pooling job, export and command."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import Job
from tenders.forms import AmountField
from tenders.models import PoolingRun, Tender, TenderStatus
from tests.conftest import client_for

from .conftest import criteria, declare, invite, make_tender

pytestmark = pytest.mark.django_db
S = TenderStatus


@pytest.fixture
def pooled(cast, django_capture_on_commit_callbacks):
    tender = make_tender(cast, status=S.VOLUME_COLLECTION)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 100_000, 20_000)
    declare(aarhus, 300_000, 0)
    criteria(tender, 60, 40)
    return tender


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.234.567,50", "1234567.50"), ("1234567,5", "1234567.5"), ("250000", "250000"),
     ("250.000", "250000"), ("1234.50", "1234.50"), ("12 500 kr.", "12500")],
)  # fmt: skip
def test_amounts_are_read_the_danish_way(text, value) -> None:
    assert AmountField().clean(text) == Decimal(value)


def test_list_and_detail_for_every_role(cast, pooled) -> None:
    for user in (cast.staff, cast.officer, cast.viewer, cast.board_member):
        client = client_for(user)
        assert "2026-014" in client.get(reverse("tenders:list")).content.decode()
        html = client.get(pooled.get_absolute_url()).content.decode()
        assert ("Kontorartikler" in html and "Indsamling af volumen" in html) or "2026-014" in html


def test_officer_sees_own_answer_only_and_secretariat_all(cast, pooled) -> None:
    officer_html = client_for(cast.officer).get(pooled.get_absolute_url()).content.decode()
    assert "/answers/odense/" in officer_html and "/answers/aarhus/" not in officer_html
    staff_html = client_for(cast.staff).get(pooled.get_absolute_url()).content.decode()
    assert "/answers/odense/" in staff_html and "/answers/aarhus/" in staff_html


def test_refused_transition_shows_the_reason(cast, pooled) -> None:
    client = client_for(cast.staff)
    url = reverse("tenders:transition", args=[pooled.reference])
    response = client.post(url, {"to_status": S.PUBLISHED}, follow=True)
    assert "Et udbud kan ikke gå fra" in response.content.decode()
    assert Tender.objects.get(pk=pooled.pk).status == S.VOLUME_COLLECTION


def test_pooling_from_the_page_runs_the_job_with_progress(
    cast, pooled, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenders:pool", args=[pooled.reference]))
    assert response.status_code == 302
    job = Job.objects.get(kind="tenders.pool_volumes")
    assert job.state == Job.State.SUCCEEDED and job.progress == 100
    run = PoolingRun.objects.get(tender=pooled)
    # By hand: (100,000 + 20,000 + 300,000 + 0) × (2 + 1 + 1) = 1,680,000.
    assert run.estimated_value == Decimal("1680000.00")
    assert run.eu_procedure_required is True and run.provisional is True
    # Every role sees the pooling's progress on the tender.
    status = client_for(cast.officer).get(
        reverse("tenders:pooling_status", args=[pooled.reference]), headers={"HX-Request": "true"}
    )
    assert "100 %" in status.content.decode()
    html = client_for(cast.officer).get(pooled.get_absolute_url()).content.decode()
    assert "1.680.000" in html and "foreløbig" in html.lower() and "<svg" in html


def test_live_pooling_shows_joined_running_total_and_unanswered(cast, pooled) -> None:
    from members.models import Commitment
    from tests.conftest import make_member

    vejle = make_member("vejle", "Vejle", "630")
    Commitment.objects.create(
        member=vejle, start_year=2020, end_year=2040, binding_procedures=[pooled.procedure_type]
    )
    invite(pooled, [vejle])
    html = (
        client_for(cast.staff)
        .get(reverse("tenders:live", args=[pooled.reference]))
        .content.decode()
    )
    assert "2 / 3" in html
    assert "420.000" in html  # declared per year
    assert "1.680.000" in html  # over the 4-year term
    assert "Vejle" in html  # bound by its commitment to this tender type, not answered


def test_export_is_a_readable_workbook(cast, pooled) -> None:
    from tenders.services import tender_pool_volumes

    tender_pool_volumes(tender=pooled, user=cast.staff)
    response = client_for(cast.staff).get(reverse("tenders:export", args=[pooled.reference]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    names = [r[0] for r in rows]
    assert "Odense" in names and "Aarhus" in names
    total = rows[names.index("I alt")]
    assert Decimal(str(total[3])) == Decimal("420000")
    verdict = dict(r[:2] for r in wb.worksheets[1].iter_rows(values_only=True))
    assert verdict["EU-udbud påkrævet"] == "Ja"
    assert "Foreløbig" in verdict


def test_command_prints_the_result(cast, pooled) -> None:
    out = io.StringIO()
    call_command("pool_volumes", pooled.reference, stdout=out)
    text = out.getvalue()
    assert "Odense" in text and "1.680.000,00\xa0kr." in text and "FORELØBIG" in text
    out = io.StringIO()
    call_command("pool_volumes", pooled.reference, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["estimated_value"] == "1680000.00" and data["eu_procedure_required"] is True
    assert PoolingRun.objects.filter(tender=pooled).count() == 2


def test_my_tenders_and_start_page_list_open_invitations(cast, pooled) -> None:
    client = client_for(cast.officer)
    html = client.get(reverse("tenders:my")).content.decode()
    assert "2026-014" in html and "Svar senest" in html
    start = client.get(reverse("start_member")).content.decode()
    assert "Åbne invitationer til fællesudbud" in start and "2026-014" in start


def test_secretariat_creates_a_tender_with_lots_and_criteria(cast) -> None:
    client = client_for(cast.staff)
    response = client.post(
        reverse("tenders:create"),
        {
            "reference": "2026-030", "title": "Papir", "procedure_type": "open",
            "contract_kind": "supplies", "authority_level": "sub_central",
            "main_cpv": "", "additional_cpv": "", "lead_organisation": cast.secretariat.pk,
            "term_years": 2, "option_years": "1, 1",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    tender = Tender.objects.get(reference="2026-030")
    assert tender.option_years == [1, 1] and tender.status == S.PLANNED
    lot = client.post(
        reverse("tenders:lot_create", args=["2026-030"]),
        {
            "number": 1, "title": "Kopipapir", "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0,
            "items-0-number": 1, "items-0-description": "A4 80 g", "items-0-unit": "pakke",
            "items-0-quantity": "1.000",
        },
    )  # fmt: skip
    assert lot.status_code == 302
    assert tender.lots.get().line_items.get().quantity == 1000
    bad = client.post(
        reverse("tenders:criteria", args=["2026-030"]),
        {
            "criteria-TOTAL_FORMS": 2, "criteria-INITIAL_FORMS": 0,
            "criteria-0-name": "Pris", "criteria-0-kind": "price", "criteria-0-weight": "60",
            "criteria-1-name": "Miljø", "criteria-1-kind": "environment", "criteria-1-weight": "30",
        },
    )  # fmt: skip
    assert bad.status_code == 400 and "nu 90 %" in bad.content.decode()
    good = client.post(
        reverse("tenders:criteria", args=["2026-030"]),
        {
            "criteria-TOTAL_FORMS": 2, "criteria-INITIAL_FORMS": 0,
            "criteria-0-name": "Pris", "criteria-0-kind": "price", "criteria-0-weight": "70",
            "criteria-1-name": "Miljø", "criteria-1-kind": "environment", "criteria-1-weight": "30",
        },
    )  # fmt: skip
    assert good.status_code == 302
    tender.refresh_from_db()
    assert tender.climate_flag is True and tender.criteria.count() == 2


def test_reopen_from_the_page(cast, pooled) -> None:
    pooled.volume_deadline = timezone.now() - timedelta(hours=1)
    pooled.save()
    until = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("tenders:reopen", args=[pooled.reference, "odense"])
    client_for(cast.staff).post(url, {"until": until, "reason": "Sent byrådsmøde"})
    p = pooled.participations.get(member=cast.odense)
    assert p.reopen_reason == "Sent byrådsmøde" and not p.is_locked()


def test_secretariat_enters_official_dkk_value_and_verdict_is_no_longer_provisional(
    cast, pooled
) -> None:
    from tenders.services import tender_pool_volumes

    assert tender_pool_volumes(tender=pooled, user=cast.staff).provisional is True
    response = client_for(cast.staff).post(
        reverse("tenders:thresholds"),
        {
            "kind": "supplies_services", "level": "sub_central", "currency": "DKK",
            "amount": "1.612.000", "valid_from": "2026-01-01", "valid_until": "2027-12-31",
            "source": "C/2025/7081",
        },
    )  # fmt: skip
    assert response.status_code == 302
    run = tender_pool_volumes(tender=pooled, user=cast.staff)
    assert run.provisional is False
    assert run.result["threshold"]["amount_dkk"] == "1612000.00"
