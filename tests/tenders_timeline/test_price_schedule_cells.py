"""The price schedule through the shared writer: the secretariat's text stays text, a supplier's
price cells are numbers with the money format, and only the portal's own totals are formulas."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tenders.models import DocumentKind, LineItem, TenderDocument
from tenders.services import tender_documents_render

pytestmark = pytest.mark.django_db


def test_line_texts_are_text_and_totals_are_formulas(tender_world) -> None:
    LineItem.objects.filter(number=2, lot__number=1).update(
        description='=HYPERLINK("http://x","y")', unit="-stk."
    )
    tender_documents_render(tender=tender_world.tender, user=None)
    document = TenderDocument.objects.get(kind=DocumentKind.PRICE_SCHEDULE)
    with document.file.open("rb") as fh:
        lot1 = openpyxl.load_workbook(io.BytesIO(fh.read()))["Delaftale 1"]
    rows = {r[0].value: r for r in lot1.iter_rows(min_row=4) if r[0].value in (1, 2)}
    number, description, unit, quantity, price, total = rows[2]
    assert (description.value, description.data_type) == ('=HYPERLINK("http://x","y")', "s")
    assert (unit.value, unit.data_type) == ("-stk.", "s")
    assert (
        total.data_type == "f"
        and total.value == f'=IF(E{number.row}="","",D{number.row}*E{number.row})'
    )
    _n, _d, _u, quantity, price, total = rows[1]
    assert (quantity.value, quantity.number_format) == (5000, "#,##0.00")
    assert price.value is None and price.fill.fgColor.rgb.endswith("FFF2CC")
    assert (price.number_format, total.number_format) == ("#,##0.00", "#,##0.00")
    assert lot1.freeze_panes == "A4"
