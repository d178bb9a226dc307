"""Pages and exports: who sees which compliance figures, charts beside tables, XLSX exports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import AgreementDocument
from agreements.services import compliance_recompute
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(hand_world):
    compliance_recompute()
    return hand_world


def page(user, name: str, *args, **params) -> str:
    response = client_for(user).get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_secretariat_sees_every_member(computed) -> None:
    html = page(computed.cast.staff, "agreements:compliance", year=2025)
    assert "Odense" in html and "Aarhus" in html
    assert "<svg" in html and 'role="img"' in html
    assert "1.750,00" not in html  # per-year totals, not months of one member
    assert "3.950,00" in html  # A in 2025: 1750 + 1800 + 400


def test_board_sees_aggregates_only(computed) -> None:
    html = page(computed.cast.board_member, "agreements:compliance", year=2025)
    assert "3.950,00" in html  # the consortium total for A
    assert "Odense" not in html and "Aarhus" not in html
    detail = page(computed.cast.board_member, "agreements:detail", computed.a.pk, year=2025)
    assert "2.150,00" in detail  # March 2025: Odense 1750 + Aarhus 400, one row
    assert reverse("agreements:member", args=[computed.cast.odense.pk]) not in detail
    response = client_for(computed.cast.board_member).get(
        reverse("agreements:member", args=[computed.cast.odense.pk])
    )
    assert response.status_code == 403


def test_board_export_has_no_member_column(computed) -> None:
    response = client_for(computed.cast.board_member).get(
        reverse("agreements:export_compliance"), {"year": 2025}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert "Medlem" not in header
    assert header[0] == "Aftalenummer"
    assert all("Odense" not in str(v) for row in sheet.iter_rows(values_only=True) for v in row)


def test_officer_sees_only_own_member(computed) -> None:
    html = page(computed.cast.aarhus_officer, "agreements:compliance", year=2025)
    assert "400,00" in html and "1.750,00" not in html and "3.950,00" not in html
    response = client_for(computed.cast.aarhus_officer).get(
        reverse("agreements:member", args=[computed.cast.odense.pk])
    )
    assert response.status_code == 404


def test_secretariat_export_in_danish_with_number_formats(computed) -> None:
    response = client_for(computed.cast.admin).get(
        reverse("agreements:export_compliance"), {"year": 2025}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == [
        "Aftalenummer", "Aftale", "Medlem", "Måned", "Forbrug i kategorierne (kr.)",
        "Forbrug hos aftalens leverandører (kr.)", "Aftaleoverholdelse", "Realiseret besparelse (kr.)",
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    first = sheet[2]
    assert first[2].value == "Aarhus" and first[4].value == 400  # ordered by member name
    assert first[4].number_format == "#,##0.00"
    assert first[6].number_format == "0.0%"


def test_outside_suppliers_lists_spend_with_suppliers_on_no_agreement(computed) -> None:
    html = page(computed.cast.staff, "agreements:outside", year=2025)
    assert "Udenfor Aftale A/S" in html and "Kontor A/S" not in html
    assert "2.299,00" in html  # 500 + 999 + 800
    own = page(computed.cast.aarhus_officer, "agreements:outside", year=2025)
    assert "Udenfor Aftale A/S" not in own


def test_documents_upload_and_download_through_the_access_check(computed) -> None:
    staff = client_for(computed.cast.staff)
    response = staff.post(
        reverse("agreements:document_add", args=[computed.a.pk]),
        {"title": "Kontrakt", "file": SimpleUploadedFile("kontrakt.pdf", b"%PDF-1.7 demo")},
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    url = reverse("agreements:document", args=[computed.a.pk, document.pk])
    response = client_for(computed.cast.officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 demo"
    assert "attachment" in response["Content-Disposition"]
    bad = staff.post(
        reverse("agreements:document_add", args=[computed.a.pk]),
        {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert bad.status_code == 302 and AgreementDocument.objects.count() == 1


def test_agreement_list_filters_by_status(computed) -> None:
    html = page(computed.cast.viewer, "agreements:list", status="expired")
    assert "2024-101" not in html or "Udløbet" in html
