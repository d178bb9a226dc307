"""A lot and its price schedule lines are saved together or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tenders.lots import lot_save
from tenders.models import LineItem, Lot
from tests.conftest import client_for

from .conftest import make_tender

pytestmark = pytest.mark.django_db

DUPLICATE = "En anden linje har også nummer 1. Giv hver linje sit eget nummer."


def _post(number: int, title: str, *items: tuple[str, str, str, str]) -> dict[str, object]:
    data: dict[str, object] = {
        "number": number, "title": title, "description": "",
        "items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, (line, description, unit, quantity) in enumerate(items):
        data |= {
            f"items-{i}-number": line, f"items-{i}-description": description,
            f"items-{i}-unit": unit, f"items-{i}-quantity": quantity,
        }  # fmt: skip
    return data


def test_two_lines_numbered_alike_leave_no_new_lot(cast) -> None:
    tender = make_tender(cast)
    response = client_for(cast.staff).post(
        reverse("tenders:lot_create", args=[tender.reference]),
        _post(3, "Kopipapir", ("1", "A4 80 g", "pakke", "1.000"), ("1", "A3 80 g", "pakke", "50")),
    )
    assert response.status_code == 400
    assert not tender.lots.filter(number=3).exists()
    assert not LineItem.objects.filter(description__startswith="A").exists()
    rows = response.context["formset"].forms
    assert rows[1].errors["number"] == [DUPLICATE]
    assert "number" not in rows[0].errors
    page = response.content.decode()
    # The user's input comes back as typed.
    assert 'value="Kopipapir"' in page and 'value="A3 80 g"' in page and 'value="1.000"' in page


def test_a_refused_edit_changes_neither_the_lot_nor_its_lines(cast) -> None:
    tender = make_tender(cast)
    lot = tender.lots.get(number=1)
    LineItem.objects.create(lot=lot, number=1, description="Kuglepenne", unit="stk.")
    LineItem.objects.create(lot=lot, number=2, description="Blyanter", unit="stk.")
    response = client_for(cast.staff).post(
        reverse("tenders:lot_edit", args=[tender.reference, 1]),
        _post(1, "Nyt navn", ("1", "Tusser", "stk.", "10"), ("1", "Viskelædre", "stk.", "")),
    )
    assert response.status_code == 400
    lot.refresh_from_db()
    assert lot.title == "Delaftale 1"
    lines = list(lot.line_items.values_list("number", "description", "quantity"))
    assert lines == [(1, "Kuglepenne", None), (2, "Blyanter", None)]


def test_a_lot_number_the_tender_already_has_is_refused_at_the_number(cast) -> None:
    tender = make_tender(cast)
    response = client_for(cast.staff).post(
        reverse("tenders:lot_create", args=[tender.reference]),
        _post(2, "Kopipapir", ("1", "A4 80 g", "pakke", "")),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == [
        "Udbuddet har allerede en delaftale nr. 2."
    ]
    assert tender.lots.count() == 2
    assert not LineItem.objects.exists()


def test_a_lot_and_its_lines_are_saved_together(cast) -> None:
    tender = make_tender(cast)
    lot = tender.lots.get(number=1)
    LineItem.objects.create(lot=lot, number=1, description="Kuglepenne", unit="stk.")
    LineItem.objects.create(lot=lot, number=2, description="Blyanter", unit="stk.")
    response = client_for(cast.staff).post(
        reverse("tenders:lot_edit", args=[tender.reference, 1]),
        _post(
            1, "Skriveredskaber", ("2", "Blyanter HB", "stk.", "1.500"), ("3", "Tusser", "æske", "")
        ),
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.title == "Skriveredskaber"
    lines = list(lot.line_items.values_list("number", "description", "unit", "quantity"))
    assert lines == [(2, "Blyanter HB", "stk.", Decimal("1500")), (3, "Tusser", "æske", None)]


def test_the_service_refuses_every_problem_at_once_and_keeps_nothing(cast) -> None:
    tender = make_tender(cast)
    items = [
        {"number": 4, "description": "A4", "unit": "pakke", "quantity": None},
        {"number": 4, "description": "A3", "unit": "x" * 51, "quantity": None},
    ]
    with pytest.raises(ValidationError) as caught:
        lot_save(user=cast.staff, tender=tender, number=1, title="Papir", items=items)
    errors = caught.value.message_dict
    assert set(errors) == {"number", "line_items.1.number", "line_items.1.unit"}
    assert not Lot.objects.filter(title="Papir").exists()
