"""Whether a pooling is current (every input, not only the answers), and which threshold its
verdict measures against — on the planned publication date — shown in the page, XLSX and command."""

from __future__ import annotations

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tenders import workflow
from tenders.models import Milestone, MilestoneKind, TenderStatus
from tenders.services import tender_pool_volumes, tender_save
from tests.conftest import client_for

from .conftest import declare, invite, make_tender
from .test_workflow import _ready_to_publish, refused

pytestmark = pytest.mark.django_db
S = TenderStatus
CPH = ZoneInfo("Europe/Copenhagen")
STALE = (
    "Læg volumen sammen igen: Delaftaler, svar, angivelser, kontraktperiode, kontrakttype eller "
    "tærskelværdi er ændret siden den seneste sammenlægning."
)


@pytest.mark.parametrize(
    "change",
    [
        {"option_years": [1]},
        {"term_years": 3},
        {"contract_kind": "services"},
        {"contract_kind": "works"},
        {"authority_level": "central"},
    ],
)
def test_pooling_is_stale_when_an_input_other_than_the_answers_changes(cast, change) -> None:
    tender = _ready_to_publish(cast)
    assert workflow.pooling_is_current(tender)
    tender_save(user=cast.staff, tender=tender, fields=change)
    assert not workflow.pooling_is_current(tender)
    assert refused(tender, S.PUBLISHED) == [STALE]
    tender_pool_volumes(tender=tender, user=cast.staff)
    assert workflow.pooling_is_current(tender)


def test_pooling_is_stale_when_a_lot_changes(cast) -> None:
    tender = _ready_to_publish(cast)
    lot = tender.lots.get(number=2)
    lot.title = "Kopipapir og karton"
    lot.save()
    assert refused(tender, S.PUBLISHED) == [STALE]


def test_pooling_stays_current_when_nothing_changed(cast) -> None:
    tender = _ready_to_publish(cast)
    tender_save(user=cast.staff, tender=tender, fields={"description": "Ny tekst"})
    assert workflow.pooling_is_current(tender)


def _pooled(cast, **fields):
    tender = make_tender(cast, status=S.VOLUME_COLLECTION, **fields)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 100_000, 20_000)
    declare(aarhus, 300_000, 0)
    return tender


def test_thresholds_are_those_of_the_planned_publication_date(cast) -> None:
    tender = _pooled(cast)
    in_2025 = datetime(2025, 6, 1, 12, tzinfo=CPH)
    # Pooled in 2025 without a planned publication: the official 2024–2025 DKK value.
    run = tender_pool_volumes(tender=tender, user=cast.staff, now=in_2025)
    assert run.result["threshold"]["amount_dkk"] == "1644638.00"
    assert run.result["threshold_on"] == "2025-06-01"
    assert run.provisional is False
    # Planned to be published in 2026: the 2026–2027 value (converted from EUR) applies.
    Milestone.objects.create(
        tender=tender, kind=MilestoneKind.PUBLICATION, due=datetime(2026, 3, 2, 9, tzinfo=CPH)
    )
    run = tender_pool_volumes(tender=tender, user=cast.staff, now=in_2025)
    assert run.result["threshold"]["amount_dkk"] == "1611442"
    assert run.result["threshold_on"] == "2026-03-02"
    assert run.result["on"] == "2025-06-01"  # the spend is still the last 12 months
    assert run.provisional is True


def test_verdict_says_which_threshold_applies_on_the_page(cast) -> None:
    tender = _pooled(cast)
    tender_pool_volumes(tender=tender, user=cast.staff)
    html = client_for(cast.officer).get(tender.get_absolute_url()).content.decode()
    assert "Gældende tærskelværdi: Varer og tjenesteydelser, decentrale" in html
    # The small-lots limit: 80,000 EUR × 7.46038 = 596,830; lot 2 (80,000 over 4 years) is below.
    assert "Grænse for små delaftaler (foreløbig): 596.830" in html
    assert "Delaftaler under grænsen: 2." in html


def test_works_verdict_names_the_works_threshold(cast) -> None:
    tender = _pooled(cast, contract_kind="works")
    tender_pool_volumes(tender=tender, user=cast.staff)
    html = client_for(cast.staff).get(tender.get_absolute_url()).content.decode()
    assert "Bygge- og anlægsarbejder (alle ordregivere)" in html


def test_xlsx_and_command_say_which_threshold_applies(cast) -> None:
    tender = _pooled(cast)
    run = tender_pool_volumes(tender=tender, user=cast.staff)
    response = client_for(cast.staff).get(reverse("tenders:export", args=[tender.reference]))
    wb = load_workbook(io.BytesIO(response.content))
    verdict = dict(r[:2] for r in wb.worksheets[1].iter_rows(values_only=True))
    assert verdict["Gældende tærskelværdi"] == ("Varer og tjenesteydelser, decentrale ordregivere")
    assert verdict["Grænse for små delaftaler (kr.)"] == 596830
    assert verdict["Delaftaler under grænsen for små delaftaler"] == "2"
    computed = wb.worksheets[0]["B2"]  # a date and time in Danish time, not text
    assert computed.number_format == "dd-mm-yyyy hh:mm"
    local = run.computed_at.astimezone(CPH).replace(tzinfo=None)
    assert abs(computed.value - local).total_seconds() < 1

    out = io.StringIO()
    call_command("pool_volumes", tender.reference, stdout=out)
    text = out.getvalue()
    assert "Gældende tærskelværdi: Varer og tjenesteydelser, decentrale" in text
    assert "Grænse for små delaftaler: 596.830,00\xa0kr." in text
    assert "delaftaler under den: 2" in text
    assert "-20" not in text.splitlines()[1]  # 21.11.2026, never 21-11-2026
    out = io.StringIO()
    call_command("pool_volumes", tender.reference, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["threshold_kind"] == "supplies_services"
    assert data["threshold_applies"].startswith("Varer og tjenesteydelser, decentrale")
    assert data["small_lot_limit_dkk"] == "596830"
    assert data["threshold_on"]
