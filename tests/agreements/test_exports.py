"""The compliance exports: names from members' spend files come out as text, amounts as numbers."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from spend.models import SpendImport
from tests.conftest import client_for
from tests.spend.files import CVR_C, HEADER
from tests.spend.helpers import run_import

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'


def _spend_file(supplier_name: str) -> bytes:
    """An ERP export as a member's file holds it: the name is quoted because it has quotes."""
    quoted = '"' + supplier_name.replace('"', '""') + '"'
    lines = [";".join(HEADER), f"15-02-2025;{CVR_C};{quoted};-1.234,56;4430;R-5"]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_supplier_name_from_a_spend_file_is_text_in_the_outside_agreements_export(cast) -> None:
    spend_import = run_import(cast.odense, _spend_file(HYPERLINK), user=cast.officer)
    assert spend_import.status == SpendImport.Status.IMPORTED, spend_import.errors

    response = client_for(cast.staff).get(reverse("agreements:export_outside"), {"year": 2025})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    cvr, name, spend = sheet[2]
    assert (cvr.value, cvr.data_type) == (CVR_C, "s")
    assert (name.value, name.data_type) == (HYPERLINK, "s")
    assert spend.data_type == "n" and spend.number_format == "#,##0.00"
    assert Decimal(str(spend.value)) == Decimal("-1234.56")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
