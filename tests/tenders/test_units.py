"""Every price schedule line has a unit, and every quantity is shown in it: the answer form, the
volume annex, the price schedule and the API."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tenders.forms import LineItemForm
from tenders.models import (
    DocumentKind,
    LineItem,
    Participation,
    TenderDocument,
    TenderStatus,
    VolumeDeclaration,
)
from tenders.services import tender_documents_render
from tests.api.conftest import api_client_for

from .conftest import invite, make_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(cast):
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    lot1, lot2 = tender.lots.order_by("number")
    LineItem.objects.create(lot=lot1, number=1, description="Kopipapir A4", unit="æske à 100",
                            quantity=Decimal("4500"))  # fmt: skip
    LineItem.objects.create(lot=lot2, number=1, description="Rådgivning", unit="timer",
                            quantity=Decimal("850"))  # fmt: skip
    LineItem.objects.create(lot=lot2, number=2, description="Udlæg", unit="kr.")
    (odense,) = invite(tender, [cast.odense])
    odense.answer = Participation.Answer.PARTICIPATE
    odense.save()
    VolumeDeclaration.objects.create(participation=odense, lot=lot1,
                                     annual_volume=Decimal("850000"), quantity=Decimal("4500"))  # fmt: skip
    return tender


@pytest.mark.parametrize("unit", ["", "   "])
def test_a_line_without_unit_is_refused_by_model_and_database(tender, unit) -> None:
    lot = tender.lots.first()
    line = LineItem(lot=lot, number=9, description="Uden enhed", unit=unit)
    with pytest.raises(ValidationError):
        line.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        LineItem.objects.create(lot=lot, number=9, description="Uden enhed", unit=unit)


def test_the_line_form_needs_a_unit_and_reads_danish_quantities() -> None:
    form = LineItemForm({"number": 1, "description": "Kuglepen", "unit": "", "quantity": "4.500"})
    assert not form.is_valid() and "unit" in form.errors
    form = LineItemForm({"number": 1, "description": "Kuglepen", "unit": "stk.",
                         "quantity": "4.500"})  # fmt: skip
    assert form.is_valid() and form.cleaned_data["quantity"] == Decimal("4500")


def test_the_volume_annex_shows_quantities_in_their_units(tender) -> None:
    tender_documents_render(tender=tender, user=None)
    document = TenderDocument.objects.get(tender=tender, kind=DocumentKind.VOLUME_ANNEX)
    with document.file.open("rb") as fh:
        reader = pypdf.PdfReader(io.BytesIO(fh.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Forventet årlig mængde (æske à 100)" in text
    assert "4.500 æske à 100" in text  # the declared quantity, in the lot's one unit
    assert "850 timer" in text  # a line's estimated quantity, in its unit
    assert "Udlæg kr." in text


def test_the_api_gives_each_lines_unit_and_each_declarations_units(cast, tender) -> None:
    client = api_client_for(cast.staff)
    detail = client.get(f"/api/v1/tenders/{tender.reference}").json()
    lots = {lot["number"]: lot for lot in detail["lots"]}
    assert [(i["unit"], i["quantity"]) for i in lots[1]["line_items"]] == [
        ("æske à 100", "4500.00")
    ]
    assert [i["unit"] for i in lots[2]["line_items"]] == ["timer", "kr."]
    declarations = client.get("/api/v1/declarations", {"tender": tender.reference}).json()
    (declaration,) = declarations["items"]
    assert (declaration["quantity"], declaration["units"]) == ("4500.00", ["æske à 100"])


def test_the_answer_page_shows_a_declared_quantity_with_its_unit(cast, tender) -> None:
    from tests.conftest import client_for

    tender.status = TenderStatus.PREPARATION  # locked: the answer is shown read-only
    tender.save()
    page = client_for(cast.officer).get(
        reverse("tenders:participation", args=[tender.reference, "odense"])
    )
    assert "4.500 æske à 100" in page.content.decode()
