"""What the board reads — the reports page, every table export and the board pack — carries no
member's own words: decline reasons reach the board only as counts."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from reports import figures
from reports.packs import pack_sections, render_pack
from tests.conftest import client_for

from .conftest import YEAR

pytestmark = pytest.mark.django_db

REASON = "Egen aftale til 2027"  # the decline reason in the `data` fixture


def test_the_board_dashboard_and_every_export_hold_no_decline_reason(data) -> None:
    client = client_for(data.board_member)
    page = client.get(reverse("reports:dashboard") + "?period=2026")
    assert page.status_code == 200
    assert REASON not in page.content.decode()
    slugs = [t.slug for s in pack_sections(YEAR) for t in s.tables]
    assert "declines" in slugs or "declines-by-tender" in slugs
    for slug in slugs:
        export = client.get(reverse("reports:table_export", args=[slug]) + "?period=2026")
        assert export.status_code == 200, slug
        book = openpyxl.load_workbook(io.BytesIO(export.content))
        cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
        assert not [c for c in cells if REASON in c], slug


def test_the_board_pack_holds_no_decline_reason_but_counts_the_declines(data) -> None:
    pdf = render_pack(YEAR, version=1).pdf
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert REASON not in text
    rows = {r["reference"][:8]: r for r in figures.declines_by_tender_table(YEAR).rows}
    assert rows["2026-002"]["declines"] == 1


def test_the_member_and_the_secretariat_still_read_the_reasons(data) -> None:
    table = figures.binding_answers_table(YEAR, member=data.aarhus)
    assert table.slug == "member-binding-answers"
    assert [r["reason"] for r in figures.declines_table(YEAR).rows] == [REASON]
