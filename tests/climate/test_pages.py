"""The climate pages: who sees what, the metered consumption form, a new factor version, and
that the page, the spreadsheet and the API agree."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from climate.models import FactorVersion, MeteredConsumption
from climate.services import recompute
from jobs.models import Job
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(world):
    recompute()
    return world


def member_url(member) -> str:
    return reverse("climate:member", args=[member.pk]) + "?year=2026"


def test_officer_sees_own_members_footprint(computed) -> None:
    response = client_for(computed.cast.officer).get(member_url(computed.cast.odense))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Madhuset ApS" in html
    assert "Kræver målt forbrug" in html or "kræver målt forbrug" in html.lower()
    assert "version 1 af emissionsfaktorerne" in html
    assert "CC BY-SA 4.0" in html
    # Key figures: 273 kg spend-based, no metered yet → 0,273 t shown as whole tonnes "0".
    assert 'id="table-member-climate-by-division"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 404), ("viewer", 404), ("aarhus_officer", 200), ("board_member", 403)],
)
def test_access_to_aarhus_page(computed, role, status) -> None:
    user = getattr(computed.cast, role)
    response = client_for(user).get(member_url(computed.cast.aarhus))
    assert response.status_code == status


def test_secretariat_sees_every_member(computed) -> None:
    for member in (computed.cast.odense, computed.cast.aarhus):
        assert client_for(computed.cast.staff).get(member_url(member)).status_code == 200
    overview = client_for(computed.cast.staff).get(reverse("climate:overview") + "?year=2026")
    assert overview.status_code == 200
    assert member_url(computed.cast.aarhus) in overview.content.decode()


def test_board_sees_member_totals_but_no_single_member_supplier(computed) -> None:
    response = client_for(computed.cast.board_member).get(
        reverse("climate:overview") + "?year=2026"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Odense" in html and "Aarhus" in html  # per-member totals: allowed
    # Suppliers, agreements and divisions behind fewer than 3 members are folded.
    assert "Madhuset ApS" not in html
    assert "Grøn Kontor A/S" not in html
    assert "2026-201" not in html
    assert "Øvrige (under 3 medlemmer hver)" in html
    staff = client_for(computed.cast.staff).get(reverse("climate:overview") + "?year=2026")
    assert "Madhuset ApS" in staff.content.decode()


def test_member_users_are_sent_to_their_page(computed) -> None:
    response = client_for(computed.cast.viewer).get(reverse("climate:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("climate:member", args=[computed.cast.odense.pk])


def metered_post(client, member, **data):
    payload = {
        "year": "2026",
        "kind": "electricity",
        "kwh": "10.000",
        "kg_per_kwh": "0,12",
        "factor_source": "Energinet",
        **data,
    }
    return client.post(reverse("climate:metered", args=[member.pk]), payload)


def test_officer_enters_metered_consumption_the_danish_way(computed) -> None:
    response = metered_post(client_for(computed.cast.officer), computed.cast.odense)
    assert response.status_code == 302
    entry = MeteredConsumption.objects.get(member=computed.cast.odense)
    assert (entry.kwh, entry.kg_per_kwh) == (Decimal("10000"), Decimal("0.12"))
    # Entering it again replaces it.
    metered_post(client_for(computed.cast.officer), computed.cast.odense, kwh="20.000")
    assert MeteredConsumption.objects.get(member=computed.cast.odense).kwh == Decimal("20000")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kwh": "-5"}, "Denne værdi skal være større end eller lig 0."),
        ({"kg_per_kwh": "12"}, "Over 2 kg CO2e pr. kWh er ikke sandsynligt; tjek enheden."),
        ({"factor_source": ""}, "Dette felt er påkrævet."),
        ({"kind": "gas"}, "Marker en gyldig valgmulighed."),
    ],
)
def test_metered_consumption_is_refused_in_danish(computed, data, message) -> None:
    response = metered_post(client_for(computed.cast.officer), computed.cast.odense, **data)
    assert response.status_code == 400
    assert message in response.content.decode(), response.context["form"].errors
    assert not MeteredConsumption.objects.exists()


def test_others_cannot_enter_metered_consumption(computed) -> None:
    assert metered_post(client_for(computed.cast.viewer), computed.cast.odense).status_code == 403
    assert (
        metered_post(client_for(computed.cast.aarhus_officer), computed.cast.odense).status_code
        == 404
    )
    board = client_for(computed.cast.board_member)
    assert metered_post(board, computed.cast.odense).status_code == 403
    assert metered_post(client_for(computed.cast.staff), computed.cast.aarhus).status_code == 302
    assert list(MeteredConsumption.objects.values_list("member", flat=True)) == [
        computed.cast.aarhus.pk
    ]


def test_secretariat_makes_a_new_version_from_a_copy(computed) -> None:
    client = client_for(computed.cast.staff)
    form = client.get(reverse("climate:factor_version_new"))
    assert form.status_code == 200
    initial = form.context["formset"].initial
    data = {
        "note": "Kontorartikler opdateret",
        "factors-TOTAL_FORMS": str(len(initial)),
        "factors-INITIAL_FORMS": str(len(initial)),
    }
    for i, f in enumerate(initial):
        data[f"factors-{i}-division"] = f["division"]
        data[f"factors-{i}-label"] = f["label"]
        value = "0,1" if f["division"] == "30" else f["kg_per_dkk"]
        data[f"factors-{i}-kg_per_dkk"] = "" if value is None else str(value).replace(".", ",")
        data[f"factors-{i}-confidence"] = f["confidence"]
    response = client.post(reverse("climate:factor_version_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = FactorVersion.objects.in_force()
    assert version.number == 2
    assert version.factors.get(division="30").kg_per_dkk == Decimal("0.1")
    assert version.factors.get(division="15").kg_per_dkk == Decimal("0.0796")
    assert version.factors.get(division="76").kg_per_dkk is None
    assert Job.objects.filter(kind="climate.recompute").exists()
    for user in (computed.cast.officer, computed.cast.board_member):
        assert client_for(user).get(reverse("climate:factor_version_new")).status_code == 403
        assert client_for(user).get(reverse("climate:factors")).status_code == 200


def test_spreadsheet_agrees_with_the_page(computed) -> None:
    client = client_for(computed.cast.officer)
    response = client.get(
        reverse("climate:member_export", args=[computed.cast.odense.pk]) + "?year=2026"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert Decimal(str(next(v for v in values if str(v).startswith("273.0673")))) == Decimal(
        "273.0673"
    )
