"""The API and the command agree with the page to the kilogram (world in conftest.py: Odense
2026 is 273,0673 kg from spend plus 1200 kg metered electricity = 1473,0673 kg)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from climate.models import MeteredConsumption
from climate.services import recompute
from consortium.formatting import round_half_up
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def computed(world):
    MeteredConsumption.objects.create(
        member=world.cast.odense, year=2026, kind="electricity", kwh=D("10000"),
        kg_per_kwh=D("0.12"), factor_source="Energinet",
    )  # fmt: skip
    recompute()
    return world


def api(user, query=""):
    response = client_for(user).get("/api/v1/insight/climate?year=2026" + query)
    return response.status_code, response.json()


def test_api_agrees_with_the_page_to_the_kilogram(computed) -> None:
    status, body = api(computed.cast.officer)
    assert status == 200
    assert body["scope"] == "member" and body["member_id"] == computed.cast.odense.pk
    total = body["total"]
    assert D(total["co2e_kg"]) == D("1473.067")
    assert D(total["estimated_co2e_kg"]) == D("273.067")
    assert D(total["metered_co2e_kg"]) == D("1200.000")
    assert D(total["spend_dkk"]) == D("9400.50")
    assert D(total["unclassified_share"]) == round_half_up(D(850) / D("9400.50"), 6)
    assert body["factor_version"] == 1
    page = client_for(computed.cast.officer).get(
        reverse("climate:member", args=[computed.cast.odense.pk]) + "?year=2026"
    )
    tables = {t.slug: t for t in page.context["tables"]}
    division_total = tables["member-climate-by-division"].total["co2e"]
    metered_total = tables["member-climate-metered"].total["co2e"]
    assert round_half_up(division_total + metered_total, 0) == round_half_up(D(total["co2e_kg"]), 0)
    key = {f.slug: f.value for f in page.context["key_figures"]}
    assert round_half_up(key["co2e-tonnes"] * 1000, 0) == round_half_up(D(total["co2e_kg"]), 0)
    by_division = {(d["kind"], d["division"]): D(d["co2e_kg"]) for d in body["by_division"]}
    assert by_division[("estimated", "30")] == D("93.287")
    assert by_division[("electricity", "09")] == 0
    assert by_division[("unclassified", "")] == 0


def test_api_scopes(computed) -> None:
    status, body = api(computed.cast.staff)
    assert status == 200 and body["scope"] == "consortium"
    assert {m["member"] for m in body["by_member"]} == {"Odense", "Aarhus"}
    status, body = api(computed.cast.board_member)
    assert status == 200 and body["scope"] == "consortium"
    assert D(body["total"]["co2e_kg"]) == D("1473.067") + D("79.600")
    # Division rows of fewer than three members are left out for the board.
    assert body["by_division"] == []
    assert api(computed.cast.board_member, f"&member_id={computed.cast.odense.pk}")[0] == 403
    assert api(computed.cast.officer, f"&member_id={computed.cast.aarhus.pk}")[0] == 404


def test_command_prints_each_member_and_the_total(computed, capsys) -> None:
    call_command("climate_footprint", "--year", "2026", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["members"] == [
        {
            "member": "Aarhus",
            "kommunekode": "751",
            "spend_dkk": "1000.00",
            "co2e_tonnes": "0.080",
            "unclassified_share": "0.0000",
            "factor_version": 1,
        },
        {
            "member": "Odense",
            "kommunekode": "461",
            "spend_dkk": "9400.50",
            "co2e_tonnes": "1.473",
            "unclassified_share": "0.0904",
            "factor_version": 1,
        },
    ]
    assert data["total"] == {
        "spend_dkk": "10400.50",
        "co2e_tonnes": "1.553",
        "unclassified_share": "0.0817",
        "factor_version": 1,
    }
    call_command("climate_footprint", "--year", "2026", "--member", "461")
    out = capsys.readouterr().out
    assert "Odense" in out and "Aarhus" not in out and "1.473" in out


def test_command_names_every_code_of_a_joint_member(computed, capsys) -> None:
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(member=computed.cast.odense, code="665", name="Lemvig")
    call_command("climate_footprint", "--year", "2026", "--member", "665", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [m["kommunekode"] for m in data["members"]] == ["461+665"]
