"""OCDS rules that need no demo data: dates of periods, who procures and who buys, and refusing
to publish in production under a placeholder ocid prefix or without the publisher's CVR."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.test import Client

from agreements.models import Agreement
from agreements.services import agreement_create, agreement_terminate
from api.ocds.dates import ocds_datetime
from api.ocds.validation import codelist_errors, schema_errors
from spend.models import Supplier
from tenders.models import Participation, TenderStatus
from tests.factories import valid_cvr

from .conftest import make_tender

URL = "/api/v1/ocds/releases.json"


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "end_of_day", "expected"),
    [
        # Winter (CET, UTC+1) and summer (CEST, UTC+2).
        (datetime.date(2030, 12, 31), True, "2030-12-31T22:59:59Z"),
        (datetime.date(2030, 1, 1), False, "2029-12-31T23:00:00Z"),
        (datetime.date(2030, 6, 30), True, "2030-06-30T21:59:59Z"),
        # Summer time begins on Sunday 31 March 2030 at 02:00: the day starts in CET and ends in
        # CEST (23 hours long).
        (datetime.date(2030, 3, 30), True, "2030-03-30T22:59:59Z"),
        (datetime.date(2030, 3, 31), False, "2030-03-30T23:00:00Z"),
        (datetime.date(2030, 3, 31), True, "2030-03-31T21:59:59Z"),
        (datetime.date(2030, 4, 1), False, "2030-03-31T22:00:00Z"),
        # It ends on Sunday 27 October 2030 at 03:00: that day starts in CEST and ends in CET.
        (datetime.date(2030, 10, 26), True, "2030-10-26T21:59:59Z"),
        (datetime.date(2030, 10, 27), False, "2030-10-26T22:00:00Z"),
        (datetime.date(2030, 10, 27), True, "2030-10-27T22:59:59Z"),
        (datetime.date(2030, 10, 28), False, "2030-10-27T23:00:00Z"),
    ],
)
def test_a_day_starts_and_ends_in_danish_time(day, end_of_day, expected) -> None:
    assert ocds_datetime(day, end_of_day=end_of_day) == expected


def test_a_datetime_is_the_instant_it_names() -> None:
    moment = datetime.datetime(2030, 10, 27, 2, 30, tzinfo=datetime.UTC)
    assert ocds_datetime(moment) == ocds_datetime(moment, end_of_day=True) == "2030-10-27T02:30:00Z"
    assert ocds_datetime(None) is None
    with pytest.raises(ValueError):
        ocds_datetime(datetime.datetime(2030, 1, 1, 12))


def _package(**params: str) -> dict:
    response = Client().get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def _release(package: dict, reference: str) -> dict:
    return next(r for r in package["releases"] if r["tender"]["id"] == reference)


@pytest.fixture
def concluded(cast):
    """A concluded tender (2 + 1 + 1 years from 1 January 2027) and two agreements: one ending
    31 December 2030 with a 12-month option, one terminated."""
    tender = make_tender(
        "2097-001", lead=cast.secretariat, status=TenderStatus.CONCLUDED, deadline_days=-100
    )
    supplier = Supplier.objects.create(cvr=valid_cvr(801), name="Kontorhuset A/S")
    running = agreement_create(
        number="DST-1", title="Kontorartikler", tender=tender,
        start_date=datetime.date(2027, 1, 1), base_end_date=datetime.date(2030, 12, 31),
        members=[cast.odense], suppliers=[(supplier, None)], option_months=[12],
        expected_annual_value=Decimal("100000.00"),
    )  # fmt: skip
    ended = agreement_create(
        number="DST-2", title="Papir", tender=tender,
        start_date=datetime.date(2024, 4, 1), base_end_date=datetime.date(2030, 3, 31),
        members=[cast.odense], suppliers=[(supplier, None)],
    )  # fmt: skip
    agreement_terminate(agreement=ended, terminated_on=datetime.date(2025, 10, 27), reason="Ophørt")
    return tender, running, ended


def test_periods_end_at_the_end_of_their_last_day(concluded) -> None:
    release = _release(_package(), "2097-001")
    award = next(a for a in release["awards"] if a["id"] == "DST-1")
    contract = next(c for c in release["contracts"] if c["id"] == "DST-1")
    assert award["contractPeriod"]["startDate"] == "2026-12-31T23:00:00Z"
    assert award["contractPeriod"]["endDate"] == "2030-12-31T22:59:59Z"
    assert award["contractPeriod"]["maxExtentDate"] == "2031-12-31T22:59:59Z"
    assert contract["period"] == {
        "startDate": "2026-12-31T23:00:00Z",
        "endDate": "2030-12-31T22:59:59Z",
        "durationInDays": 1461,
    }
    # The tender's planned term: two years from 1 January 2027 end on 31 December 2028.
    planned = release["tender"]["contractPeriod"]
    assert planned["startDate"] == "2026-12-31T23:00:00Z"
    assert planned["endDate"] == "2028-12-31T22:59:59Z"
    assert planned["maxExtentDate"] == "2030-12-31T22:59:59Z"
    assert planned["durationInDays"] == 1461
    # Terminated on 27 October 2025 (the day summer time ends): in force to the end of the 26th.
    ended = next(c for c in release["contracts"] if c["id"] == "DST-2")
    assert ended["status"] == "terminated"
    assert ended["period"]["startDate"] == "2024-03-31T22:00:00Z"
    assert ended["period"]["endDate"] == "2025-10-26T22:59:59Z"


def test_an_agreement_terminated_on_its_first_day_never_ran(concluded) -> None:
    _tender, running, _ended = concluded
    Agreement.objects.filter(pk=running.pk).update(terminated_on=running.start_date)
    contract = next(c for c in _release(_package(), "2097-001")["contracts"] if c["id"] == "DST-1")
    assert contract["period"]["endDate"] == contract["period"]["startDate"]
    assert contract["period"]["durationInDays"] == 0
    assert "value" not in contract


# --- who procures, who buys --------------------------------------------------------------------


def test_the_secretariat_procures_and_the_municipalities_buy(api_world, settings) -> None:
    package = _package()
    assert schema_errors(package) == [] and codelist_errors(package) == []
    published = _release(package, api_world.closed_tender.reference)
    by_id = {p["id"]: p for p in published["parties"]}
    secretariat = f"DK-CVR-{settings.OCDS_PUBLISHER_CVR}"
    assert published["tender"]["procuringEntity"]["id"] == secretariat
    assert by_id[secretariat]["roles"] == ["procuringEntity"]
    buyers = {p["name"] for p in published["parties"] if p["roles"] == ["buyer"]}
    assert buyers == {"Odense Kommune", "Aarhus Kommune"}
    # Two buyers: `buyer` names one organisation, so it is left out rather than name one.
    assert "buyer" not in published


def test_one_participant_is_the_buyer(api_world, settings) -> None:
    Participation.objects.filter(
        tender=api_world.closed_tender, member=api_world.cast.aarhus
    ).update(answer=Participation.Answer.DECLINE)
    published = _release(_package(), api_world.closed_tender.reference)
    odense = next(p for p in published["parties"] if p["name"] == "Odense Kommune")
    assert published["buyer"] == {"id": odense["id"], "name": "Odense Kommune"}
    assert published["tender"]["procuringEntity"]["id"] != odense["id"]


def test_a_member_led_tender_names_its_municipality_procuring_entity_and_buyer(cast) -> None:
    make_tender("2097-002", lead=cast.odense.organisation, status=TenderStatus.PUBLISHED)
    release = _release(_package(), "2097-002")
    assert [p["roles"] for p in release["parties"]] == [["procuringEntity", "buyer"]]
    assert release["buyer"] == release["tender"]["procuringEntity"]


# --- refusing to publish under a placeholder -------------------------------------------------


def _deploy_warnings() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["ocds"])]


def test_check_deploy_warns_about_placeholder_prefix_and_missing_cvr(settings) -> None:
    assert _deploy_warnings() == []
    settings.OCDS_OCID_PREFIX = "ocds-xxxxxx"
    assert _deploy_warnings() == ["api.W001"]
    settings.OCDS_PUBLISHER_CVR = ""
    assert _deploy_warnings() == ["api.W001", "api.W002"]
    settings.OCDS_OCID_PREFIX = "ocds-ABC"  # not an ocid prefix either
    settings.OCDS_PUBLISHER_CVR = "12345678"  # fails the modulus-11 check
    assert _deploy_warnings() == ["api.W001", "api.W002"]
    # Only a deployment check: a plain `check` stays quiet.
    assert checks.run_checks(tags=["ocds"]) == []


@pytest.mark.parametrize(
    ("prefix", "cvr"), [("ocds-xxxxxx", "29189757"), ("ocds-t3st01", ""), ("", "")]
)
def test_production_refuses_to_publish_unconfigured(api_world, settings, prefix, cvr) -> None:
    settings.DEBUG = False
    settings.OCDS_OCID_PREFIX = prefix
    settings.OCDS_PUBLISHER_CVR = cvr
    response = Client().get(URL, headers={"accept-language": "da"})
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "ocds_not_configured"
    assert "CVR-nummer" in body["detail"]
    assert "releases" not in body
    with pytest.raises(CommandError, match="placeholder"):
        call_command("export_ocds", out="-", stdout=io.StringIO())


def test_development_publishes_under_the_placeholder(api_world, settings) -> None:
    settings.DEBUG = True
    settings.OCDS_OCID_PREFIX = "ocds-xxxxxx"
    settings.OCDS_PUBLISHER_CVR = ""
    package = _package()
    assert package["releases"][0]["ocid"].startswith("ocds-xxxxxx-")
