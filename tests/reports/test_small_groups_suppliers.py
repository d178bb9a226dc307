"""Supplier-level figures the board reads keep the minimum group: a supplier fewer than
AGREEMENTS_BOARD_MIN_MEMBERS members bought from is folded into one row that says so."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.access import board_min_members, min_group, split_small_groups
from agreements.selectors import top_suppliers_outside_agreements
from spend.models import SpendLine, Supplier
from tests.conftest import client_for, make_member
from tests.factories import valid_cvr

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def suppliers(cast):
    """Three suppliers outside any agreement: bought from by 3, 2 (N-1) and 1 member."""
    vejle = make_member("vejle", "Vejle", "630")
    buyers = {
        "Tre Kommuners Leverandør": ([cast.odense, cast.aarhus, vejle], "100.00"),
        "To Kommuners Leverandør": ([cast.odense, cast.aarhus], "250.50"),
        "Odenses Egen Leverandør": ([cast.odense], "999.25"),
    }
    n = 0
    for i, (name, (members, amount)) in enumerate(buyers.items()):
        supplier = Supplier.objects.create(cvr=valid_cvr(800 + i), name=name)
        for member in members:
            n += 1
            SpendLine.objects.create(
                member=member, supplier=supplier, amount=Decimal(amount),
                invoice_date=datetime.date(2026, 2, 1), fingerprint=f"s{n}",
            )  # fmt: skip
    return cast


def test_min_group_is_decided_by_role(cast) -> None:
    assert board_min_members() == 3
    assert min_group(cast.staff) == min_group(cast.admin) == 1
    assert min_group(cast.officer) == min_group(cast.viewer) == 1  # their own member's rows only
    assert min_group(cast.board_member) == 3
    assert min_group(None) == 3  # a pack rendered without a user is the board's
    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=4):
        assert min_group(cast.board_member) == 4


def test_split_small_groups_at_exactly_n_minus_1_and_n() -> None:
    rows = [{"k": "a", "m": 3}, {"k": "b", "m": 2}, {"k": "c", "m": 1}]
    shown, small = split_small_groups(rows, members=lambda r: r["m"], min_members=3)
    assert [r["k"] for r in shown] == ["a"] and [r["k"] for r in small] == ["b", "c"]
    shown, small = split_small_groups(rows, members=lambda r: r["m"], min_members=2)
    assert [r["k"] for r in shown] == ["a", "b"] and [r["k"] for r in small] == ["c"]


def test_suppliers_of_fewer_than_n_members_are_folded(suppliers) -> None:
    rows = top_suppliers_outside_agreements(start=START, end=END, min_members=3)
    # By hand: 3 × 100,00 shown; 2 × 250,50 + 999,25 = 1.500,25 folded over two suppliers.
    assert [(r["supplier__name"], r["total"]) for r in rows] == [
        ("Tre Kommuners Leverandør", Decimal("300.00")),
        ("Øvrige leverandører (under 3 medlemmer)", Decimal("1500.25")),
    ]
    assert rows[-1]["supplier_id"] is None and rows[-1]["suppliers"] == 2
    # At N = 2 the supplier of two members is shown; only the lone one is folded.
    rows = top_suppliers_outside_agreements(start=START, end=END, min_members=2)
    assert [r["supplier__name"] for r in rows] == [
        "To Kommuners Leverandør", "Tre Kommuners Leverandør",
        "Øvrige leverandører (under 2 medlemmer)",
    ]  # fmt: skip
    assert rows[-1]["total"] == Decimal("999.25") and rows[-1]["suppliers"] == 1
    # The secretariat's minimum group of 1: every supplier, no folded row.
    rows = top_suppliers_outside_agreements(start=START, end=END, min_members=1)
    assert [r["total"] for r in rows] == [Decimal("999.25"), Decimal("501.00"), Decimal("300.00")]


def test_the_board_page_and_export_fold_the_small_suppliers(suppliers) -> None:
    board = client_for(suppliers.board_member)
    page = board.get(reverse("agreements:outside") + "?year=2026").content.decode()
    assert "Tre Kommuners Leverandør" in page
    assert "To Kommuners Leverandør" not in page and "Odenses Egen Leverandør" not in page
    assert "Øvrige leverandører (under 3 medlemmer)" in page
    assert "2 leverandører, som færre end 3 medlemmer har købt hos" in page
    export = board.get(reverse("agreements:export_outside") + "?year=2026")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Odenses Egen Leverandør" not in cells and "To Kommuners Leverandør" not in cells
    assert "Øvrige leverandører (under 3 medlemmer)" in cells
    assert any("lagt sammen i den sidste række" in c for c in cells)
    # The secretariat reads every supplier; Odense's officer its own member's.
    staff = client_for(suppliers.staff).get(reverse("agreements:outside") + "?year=2026")
    assert "Odenses Egen Leverandør" in staff.content.decode()
    officer = client_for(suppliers.officer).get(reverse("agreements:outside") + "?year=2026")
    assert "Odenses Egen Leverandør" in officer.content.decode()
    assert "Øvrige leverandører" not in officer.content.decode()
