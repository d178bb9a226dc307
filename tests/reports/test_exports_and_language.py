"""Spreadsheets and PDFs are Danish whatever language the user reads the portal in."""

from __future__ import annotations

import io
import re

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.urls import reverse

from reports.models import ReportPack
from tests.conftest import client_for

from .conftest import make_tender

ENGLISH_HEADINGS = [
    "Contents",
    "Key figures",
    "Tender pipeline",
    "Pooled volume",
    "Members' commitment",
    "Climate and environment",
    "Fees and budget",
    "Total",
    "Board report",
]


def _english(user):
    user.language = "en"
    user.save()
    return client_for(user)


def _sheet_values(response) -> list[object]:
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [c.value for row in sheet.iter_rows() for c in row]


def _pdf_text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_officer_exports_own_scorecard_tables_only(data) -> None:
    url = reverse("reports:scorecard_export", args=[data.odense.pk, "member-spend-by-month"])
    values = _sheet_values(client_for(data.officer).get(url + "?period=2026"))
    assert "Forbrug ekskl. moms (kr.)" in values and pytest.approx(91999.75) in values
    assert client_for(data.staff).get(url).status_code == 200
    other = reverse("reports:scorecard_export", args=[data.aarhus.pk, "member-spend-by-month"])
    assert client_for(data.officer).get(other).status_code == 404
    assert client_for(data.board_member).get(url).status_code == 403
    unknown = reverse("reports:scorecard_export", args=[data.odense.pk, "pipeline"])
    assert client_for(data.officer).get(unknown).status_code == 404


def test_scorecard_page_links_each_table_to_its_export(data) -> None:
    page = client_for(data.officer).get(
        reverse("reports:scorecard", args=[data.odense.pk]) + "?period=2026"
    )
    export = reverse("reports:scorecard_export", args=[data.odense.pk, "member-spend-by-month"])
    assert f"{export}?period=2026" in page.content.decode()


def test_secretariat_exports_volume_collection_and_imports(data) -> None:
    for slug in ("volume-collection", "recent-imports"):
        url = reverse("reports:table_export", args=[slug]) + "?period=2026"
        assert _sheet_values(client_for(data.staff).get(url))
        assert client_for(data.board_member).get(url).status_code == 404  # not the board's
    page = client_for(data.staff).get(reverse("start_secretariat")).content.decode()
    assert reverse("reports:table_export", args=["volume-collection"]) in page


def test_exports_are_danish_for_english_users(data) -> None:
    url = reverse("reports:table_export", args=["pooled-volume"]) + "?period=2026"
    response = _english(data.staff).get(url)
    values = _sheet_values(response)
    assert "Anslået værdi over hele kontraktperioden (kr.)" in values and "I alt" in values
    assert not any("Estimated value" in str(v) for v in values)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Samlet volumen"
    money = next(
        c
        for row in sheet.iter_rows()
        for c in row
        if c.value == "Anslået værdi over hele kontraktperioden (kr.)"
    )
    amounts = [c for c in sheet[money.column_letter][money.row :] if c.value is not None]
    # Whole kroner, as the page shows them; the exact amount stays in the cell.
    assert amounts and all((c.data_type, c.number_format) == ("n", "#,##0") for c in amounts)
    trend = reverse("reports:table_export", args=["key-figure-trend"]) + "?period=2026"
    assert "Medlemmer" in _sheet_values(_english(data.board_member).get(trend))


def test_english_users_pack_pdf_has_danish_headings_only(
    data, django_capture_on_commit_callbacks
) -> None:
    client = _english(data.staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reports:pack_generate"), {"period": "2026"}).status_code == 302
    text = _pdf_text(ReportPack.objects.get().file.read())
    for danish in ("Indhold", "Nøgletal", "Udbudsplan", "Samlet volumen", "I alt"):
        assert danish in text
    for english in ENGLISH_HEADINGS:
        assert not re.search(rf"\b{re.escape(english)}\b", text), english


def test_english_officers_scorecard_pdf_is_danish(data) -> None:
    response = _english(data.officer).get(
        reverse("reports:scorecard_pdf", args=[data.odense.pk]) + "?period=2026"
    )
    text = _pdf_text(response.content)
    assert "Forbrug pr. måned" in text and "Spend by month" not in text


def test_pack_mail_names_the_period_in_each_readers_language(
    data, django_capture_on_commit_callbacks
) -> None:
    data.board_member.language = "en"
    data.board_member.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(data.staff).post(reverse("reports:pack_generate"), {"period": "2026-Q3"})
    assert "3. quarter 2026" in mail.outbox[0].subject


def test_report_pages_have_no_inline_styles(data) -> None:
    make_tender(data, 3)
    pages = [
        (data.staff, reverse("reports:dashboard")),
        (data.staff, reverse("reports:pack_list")),
        (data.staff, reverse("reports:meeting_list")),
        (data.staff, reverse("reports:meeting_new")),
        (data.staff, reverse("start_secretariat")),
        (data.board_member, reverse("start_board")),
        (data.officer, reverse("reports:scorecard", args=[data.odense.pk])),
    ]
    for user, url in pages:
        page = client_for(user).get(url).content.decode()
        assert " style=" not in page, url


def test_secretariat_reaches_every_members_scorecard(data) -> None:
    scorecard = reverse("reports:scorecard", args=[data.aarhus.pk])
    for url in (reverse("start_secretariat"), reverse("reports:dashboard")):
        assert scorecard in client_for(data.staff).get(url).content.decode()
    assert (
        scorecard
        not in client_for(data.board_member).get(reverse("reports:dashboard")).content.decode()
    )
