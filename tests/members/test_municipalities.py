"""The secretariat creates municipalities, attaches them to members and keeps their figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.fees.services import fees_calculate
from members.models import FeeModel, Municipality, PopulationFigure
from tests.conftest import client_for
from tests.factories import PopulationFigureFactory

NEW = {"code": "540", "name": "Sønderborg", "cvr": "29189781", "gln": "5798000540002",
       "region": "1083", "address": "Rådhustorvet 10, 6400 Sønderborg", "member": "",
       "population": "73000", "population_year": "2026"}  # fmt: skip


def test_secretariat_creates_a_municipality_and_attaches_it_to_a_member(cast) -> None:
    client = client_for(cast.staff)
    assert client.get(reverse("members:municipality_new")).status_code == 200
    response = client.post(reverse("members:municipality_new"), {**NEW, "member": cast.odense.pk})
    assert response.status_code == 302
    assert response["Location"] == cast.odense.get_absolute_url()
    municipality = Municipality.objects.get(code="540")
    assert (municipality.name, municipality.cvr, municipality.gln) == (
        "Sønderborg", "29189781", "5798000540002",
    )  # fmt: skip
    assert municipality.member == cast.odense and municipality.region == "1083"
    assert PopulationFigure.objects.get(municipality=municipality, year=2026).population == 73_000


def test_new_municipality_form_is_preset_to_the_member_it_was_opened_from(cast) -> None:
    url = reverse("members:municipality_new") + f"?member={cast.aarhus.pk}"
    page = client_for(cast.staff).get(url).content.decode()
    assert f'<option value="{cast.aarhus.pk}" selected>' in page


def test_unattached_municipalities_are_listed_and_can_be_attached(cast) -> None:
    client = client_for(cast.staff)
    client.post(reverse("members:municipality_new"), NEW)
    municipality = Municipality.objects.get(code="540")
    assert municipality.member is None
    page = client.get(reverse("members:municipality_list")).content.decode()
    assert "Sønderborg" in page and "Odense" not in page.split("<tbody>", 1)[1]
    assert reverse("members:municipality_edit", args=["540"]) in page

    edit = {**NEW, "member": cast.aarhus.pk, "population": "", "population_year": ""}
    del edit["code"]
    response = client.post(reverse("members:municipality_edit", args=["540"]), edit)
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.member == cast.aarhus
    page = client.get(reverse("members:municipality_list")).content.decode()
    assert "Sønderborg" not in page.split("<tbody>", 1)[1]


def test_bad_municipality_is_refused_in_danish(cast) -> None:
    response = client_for(cast.staff).post(
        reverse("members:municipality_new"),
        {**NEW, "code": "12", "cvr": "12345678", "gln": "5798000540001", "region": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "er ikke en kommunekode" in page
    assert "er ikke et gyldigt CVR-nummer" in page
    assert "er ikke et gyldigt EAN/GLN-nummer" in page
    assert "Dette felt er påkrævet" in page
    assert not Municipality.objects.filter(name="Sønderborg").exists()


def test_an_existing_kommunekode_is_refused_in_danish(cast) -> None:
    response = client_for(cast.staff).post(
        reverse("members:municipality_new"), {**NEW, "code": "461"}
    )
    assert response.status_code == 400
    assert "Kommunekoden 461 er allerede oprettet" in response.content.decode()


def test_a_duplicate_cvr_gets_a_danish_message_not_the_constraint_name(cast) -> None:
    taken = cast.aarhus.municipalities.get().cvr
    response = client_for(cast.staff).post(
        reverse("members:municipality_new"), {**NEW, "cvr": taken}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "municipality_cvr_unique" not in page
    assert f"CVR-nummeret {taken} tilhører allerede Aarhus (751)" in page
    assert not Municipality.objects.filter(code="540").exists()


def test_the_model_reports_a_duplicate_cvr_on_the_field_in_danish(cast) -> None:
    taken = cast.aarhus.municipalities.get().cvr
    municipality = Municipality(code="540", name="Sønderborg", region="1083", cvr=taken)
    with pytest.raises(ValidationError) as caught:
        municipality.full_clean()
    messages = caught.value.message_dict["cvr"]
    assert messages == ["En anden kommune har allerede dette CVR-nummer."]


def test_secretariat_edits_an_existing_population_figure(cast) -> None:
    odense = cast.odense.municipalities.get()
    figure = PopulationFigureFactory(municipality=odense, year=2026, population=200_000)
    fee_model = FeeModel.objects.create(
        year=2026, budget=Decimal("100.00"), base_share=Decimal("1"), population_year=2026
    )
    PopulationFigureFactory(municipality=cast.aarhus.municipalities.get(), year=2026)
    fees_calculate(fee_model=fee_model)
    url = reverse("members:population_edit", args=[figure.pk])
    page = client_for(cast.staff).get(cast.odense.get_absolute_url()).content.decode()
    assert url in page
    assert client_for(cast.officer).get(url).status_code == 403
    response = client_for(cast.staff).post(
        url, {"population": "205000", "is_estimate": "on", "source": "Danmarks Statistik, FOLK1A"}
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.population, figure.is_estimate) == (205_000, True)
    assert figure.source == "Danmarks Statistik, FOLK1A"
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is None

    bad = client_for(cast.staff).post(url, {"population": "-5", "source": ""})
    assert bad.status_code == 400 and "større end eller lig 0" in bad.content.decode()


def test_municipality_form_lists_its_population_history(cast) -> None:
    odense = cast.odense.municipalities.get()
    PopulationFigureFactory(municipality=odense, year=2025, population=205_000)
    PopulationFigureFactory(municipality=odense, year=2026, population=207_000)
    page = client_for(cast.staff).get(reverse("members:municipality_edit", args=["461"]))
    text = page.content.decode()
    assert "205.000" in text and "207.000" in text
