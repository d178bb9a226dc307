"""The insight pages: who sees what (the access matrix), and the hand-computed figures on them."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from insight.models import FrameworkMaximum, InsightSettings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with non-breaking spaces as spaces (numbers are written 65,0 %)."""
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")


def test_the_officer_sees_its_own_volume_kept_and_money_left(computed) -> None:
    w = computed
    client = client_for(w.cast.officer)
    page = text_of(client.get("/insight/?year=2025"))
    assert "Kontorartikler" in page
    assert "65,0 %" in page  # Odense kept 65 % of its declaration on 2025-101
    assert "Under tærsklen" in page  # the flag, in Danish
    assert "Aarhus" not in page  # no other member's figures
    assert "3.733" in page and "370" in page  # off-contract spend and what it cost
    money = text_of(client.get("/insight/money-left/?year=2025"))
    assert "Nærbutikken A/S" in money and "Lokal Boghandel ApS" in money
    assert "1.733" in money  # Lokal Boghandel over three agreements
    assert client.get(f"/insight/money-left/{w.cast.odense.pk}/?year=2025").status_code == 200


def test_the_drill_down_shows_the_members_own_invoice_lines(computed) -> None:
    w = computed
    url = f"/insight/money-left/{w.cast.odense.pk}/lines/?year=2025&agreement={w.a.pk}"
    page = text_of(client_for(w.cast.viewer).get(url))
    assert "2.000,00" in page and "1.000,00" in page
    assert "7.777" not in page  # Svendborg's line
    assert "700,00" not in page  # bought on C, which covers it


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 404), ("viewer", 404), ("board", 403), ("staff", 200), ("anonymous", 302)],
)
def test_another_members_money_left_and_lines(computed, role, status) -> None:
    """Odense's users may not see Aarhus' figures; the board sees no member's lines."""
    w = computed
    client = client_for(w.cast.user(role))
    for url in (
        f"/insight/money-left/{w.cast.aarhus.pk}/?year=2025",
        f"/insight/money-left/{w.cast.aarhus.pk}/lines/?year=2025",
        f"/insight/money-left/{w.cast.aarhus.pk}/export.xlsx?year=2025",
    ):
        assert client.get(url).status_code == status, url


def test_an_officer_of_another_member_is_refused_odense_lines(computed) -> None:
    w = computed
    url = f"/insight/money-left/{w.cast.odense.pk}/lines/?year=2025"
    assert client_for(w.cast.aarhus_officer).get(url).status_code == 404


def test_the_secretariat_sees_every_member(computed) -> None:
    w = computed
    page = text_of(client_for(w.cast.staff).get("/insight/?year=2025"))
    assert "Odense" in page and "Aarhus" in page
    assert "160,0 %" in page and "Over det angivne volumen" in page  # Aarhus bought 160 %
    money = client_for(w.cast.staff).get(f"/insight/money-left/{w.cast.odense.pk}/?year=2025")
    assert money.status_code == 200


def test_the_board_sees_numbers_and_suppliers_only_from_the_minimum_group(computed) -> None:
    w = computed
    response = client_for(w.cast.board_member).get("/insight/?year=2025")
    page = text_of(response)
    assert response.status_code == 200
    assert "Odense" in page  # the per-member aggregates
    # Only Odense bought off-contract: no supplier row is shown on its own to the board.
    assert "Nærbutikken" not in page and "Lokal Boghandel" not in page
    assert "Øvrige leverandører" in page
    # 2025-101's consumption comes from two members: its status, not its amount or share.
    assert "405.000" not in page and "81,0 %" not in page and "Advarsel" in page


def test_the_agreement_fragment_warns_at_81_percent(computed) -> None:
    w = computed
    viewer = client_for(w.cast.viewer).get(f"/insight/agreement/{w.a.pk}/?year=2025")
    text = text_of(viewer)
    assert "81,0 %" in text and "alert-warning" in text
    assert "Aarhus" not in text  # per-member volume kept is the secretariat's
    staff = client_for(w.cast.staff).get(f"/insight/agreement/{w.a.pk}/?year=2025")
    assert "Aarhus" in text_of(staff) and "160,0 %" in text_of(staff)
    board = text_of(client_for(w.cast.board_member).get(f"/insight/agreement/{w.a.pk}/?year=2025"))
    assert "alert-warning" in board and "81,0 %" not in board  # two members: status only
    # The agreement page loads the fragment.
    detail = text_of(client_for(w.cast.viewer).get(w.a.get_absolute_url()))
    assert f"/insight/agreement/{w.a.pk}/" in detail


def test_the_secretariat_sets_the_thresholds_and_a_maximum(computed) -> None:
    w = computed
    client = client_for(w.cast.admin)
    assert client_for(w.cast.officer).get("/insight/settings/").status_code == 403
    response = client.post("/insight/settings/", {"low_percent": "60", "high_percent": "50"})
    assert response.status_code == 302
    stored = InsightSettings.objects.get()
    assert (stored.low_threshold, stored.high_margin) == (Decimal("0.6000"), Decimal("0.5000"))
    assert (
        client.post("/insight/settings/", {"low_percent": "abc", "high_percent": "5"}).status_code
        == 400
    )
    response = client.post(f"/insight/settings/maximum/{w.a.pk}/", {"maximum_value": "405.000,00"})
    assert response.status_code == 302
    assert FrameworkMaximum.objects.get(agreement=w.a).maximum_value == Decimal("405000.00")
    fragment = text_of(client.get(f"/insight/agreement/{w.a.pk}/?year=2025"))
    assert "alert-error" in fragment and "100,0 %" in fragment


def test_the_member_export_is_danish_and_exact(computed) -> None:
    w = computed
    response = client_for(w.cast.officer).get("/insight/export.xlsx?year=2025")
    book = load_workbook(io.BytesIO(response.content))
    assert "Aftaleoverholdelse" not in book.sheetnames
    values = [c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert Decimal("3733.33") in [Decimal(str(v)) for v in values if isinstance(v, int | float)]


def test_the_members_pages_read_only_stored_figures(computed) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = computed
    client = client_for(w.cast.officer)
    for url in ("/insight/?year=2025", "/insight/money-left/?year=2025"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries.captured_queries if "spend_spendline" in q["sql"]], url
