"""The API gives the figures the pages and the spreadsheets give, to the øre, to the same people;
and row-level security keeps each member's insight rows its own."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import load_workbook

from consortium import tenancy
from reports.figures import insight as fig
from tests.api.conftest import api_client_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def xlsx_numbers(response) -> list[Decimal]:
    book = load_workbook(io.BytesIO(response.content))
    return [
        Decimal(str(c))
        for s in book.worksheets
        for r in s.iter_rows(values_only=True)
        for c in r
        if isinstance(c, int | float)
    ]


def test_api_page_and_xlsx_agree_for_the_officer(computed) -> None:
    w = computed
    api = api_client_for(w.cast.officer)
    kept = api.get("/api/v1/insight/volume-kept", {"year": 2025}).json()
    assert [
        (r["agreement"], Decimal(r["declared"]), Decimal(r["bought"])) for r in kept["rows"]
    ] == [
        ("2025-101", Decimal("100000.00"), Decimal("65000.00")),
        ("2025-103", Decimal("0.00"), Decimal("700.00")),
    ]
    assert Decimal(kept["rows"][0]["ratio"]) == Decimal("0.65") and kept["rows"][0]["flag"] == "low"
    off = api.get("/api/v1/insight/off-contract", {"year": 2025}).json()
    assert (Decimal(off["amount"]), Decimal(off["missed_savings"])) == (
        Decimal("3733.33"), Decimal("370.00"),
    )  # fmt: skip
    assert off["by_member"] is None
    # The page's tables (the same Table objects the page renders).
    table = fig.off_contract_table(2025, w.cast.odense)
    assert (table.total["amount"], table.total["missed"]) == (Decimal("3733.33"), Decimal("370.00"))
    assert [(r["supplier"], r["amount"]) for r in table.rows] == [
        (row["supplier"], Decimal(row["amount"])) for row in off["by_agreement_supplier"]
    ]
    # The spreadsheet keeps the exact figures.
    numbers = xlsx_numbers(client_for(w.cast.officer).get("/insight/export.xlsx?year=2025"))
    for value in ("3733.33", "370.00", "65000.00", "100000.00", "1733.33", "405000.00"):
        assert Decimal(value) in numbers, value
    consumption = api.get("/api/v1/insight/framework-consumption").json()
    a = next(r for r in consumption if r["agreement"] == "2025-101")
    assert (Decimal(a["consumed"]), Decimal(a["share"]), a["level"]) == (
        Decimal("405000.00"), Decimal("0.81"), "warning",
    )  # fmt: skip


def test_api_access(computed) -> None:
    w = computed
    officer = api_client_for(w.cast.officer)
    assert (
        officer.get("/api/v1/insight/volume-kept", {"member_id": w.cast.aarhus.pk}).status_code
        == 404
    )
    assert (
        officer.get("/api/v1/insight/off-contract", {"member_id": w.cast.aarhus.pk}).status_code
        == 404
    )
    board = api_client_for(w.cast.board_member)
    assert board.get("/api/v1/insight/volume-kept", {"year": 2025}).status_code == 403
    body = board.get("/api/v1/insight/off-contract", {"year": 2025}).json()
    assert body["by_agreement_supplier"] is None
    # Only Odense bought off-contract: the board gets one row of "other suppliers", no names.
    assert [(r["cvr"], Decimal(r["amount"])) for r in body["top_suppliers"]] == [
        ("", Decimal("3733.33"))
    ]
    # Two members bought on 2025-101: the board gets its status, not the amount.
    consumption = board.get("/api/v1/insight/framework-consumption").json()
    a = next(r for r in consumption if r["agreement"] == "2025-101")
    assert (a["consumed"], a["share"], a["level"]) == (None, None, "warning")
    staff = api_client_for(w.cast.staff)
    everyone = staff.get("/api/v1/insight/volume-kept", {"year": 2025}).json()
    assert {r["member"] for r in everyone["rows"]} == {"Odense", "Aarhus"}
    one = staff.get("/api/v1/insight/off-contract", {"year": 2025, "member_id": w.cast.odense.pk})
    assert Decimal(one.json()["amount"]) == Decimal("3733.33")
    assert api_client_for(None).get("/api/v1/insight/framework-consumption").status_code == 401


def test_row_level_security_keeps_insight_rows_to_their_member(computed) -> None:
    w = computed
    aarhus = tenancy.Acting(
        scope=tenancy.MEMBER,
        organisation_id=w.cast.aarhus.organisation_id,
        member_id=w.cast.aarhus.pk,
    )
    with tenancy.acting_as(aarhus), connection.cursor() as cursor:
        for table in (
            "insight_volumekeptfigure",
            "insight_offcontractfigure",
            "insight_offcontractsupplierfigure",
        ):
            cursor.execute(f"SELECT DISTINCT member_id FROM {table}")  # noqa: S608
            assert {row[0] for row in cursor.fetchall()} <= {w.cast.aarhus.pk}, table
    with tenancy.acting_as(tenancy.NOBODY), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM insight_offcontractfigure")
        assert cursor.fetchone()[0] == 0


def test_the_member_page_and_start_page_show_the_members_own_figures(computed) -> None:
    w = computed
    start = client_for(w.cast.officer).get("/start/member/").content.decode()
    assert "Penge på bordet" in start
    member_page = client_for(w.cast.board_member).get(f"/members/{w.cast.odense.pk}/")
    assert "insight-member" not in member_page.content.decode()  # the board: no member's own
    staff = client_for(w.cast.staff).get(f"/members/{w.cast.odense.pk}/").content.decode()
    assert "insight-member" in staff
