"""Files that are not spend files are refused at upload: nothing is stored, not even the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spend.models import SpendImport
from tests.api.conftest import api_client_for
from tests.conftest import client_for

from .files import csv_bytes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
NOT_SPEND = {
    "billede.png": PNG,
    "faktura.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "side.html": b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>",
    "side.htm": b"  <html lang='da'><head><title>x</title></head></html>",
    "billede.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "program.exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
    "data.csv": b"CVR;Navn\x00;Bel\x00b\n",  # binary bytes behind a spend file's name
    "foto.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
}


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "spend" / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("name", sorted(NOT_SPEND))
def test_page_refuses_a_file_that_is_not_a_spend_file(cast, name) -> None:
    before = stored_files()
    response = client_for(cast.officer).post(
        reverse("spend:import_new"), {"file": SimpleUploadedFile(name, NOT_SPEND[name])}
    )
    assert response.status_code == 400
    assert "ikke en forbrugsfil" in response.content.decode()
    assert SpendImport.objects.count() == 0
    assert stored_files() == before


@pytest.mark.parametrize("name", ["billede.png", "side.html", "data.csv"])
def test_api_refuses_a_file_that_is_not_a_spend_file(cast, name) -> None:
    before = stored_files()
    response = api_client_for(cast.officer).client.post(
        "/api/v1/spend/uploads",
        {"file": SimpleUploadedFile(name, NOT_SPEND[name])},
        headers=api_client_for(cast.officer).headers,
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_a_spend_file"
    assert SpendImport.objects.count() == 0
    assert stored_files() == before


def test_a_spend_file_is_still_taken(cast) -> None:
    response = client_for(cast.officer).post(
        reverse("spend:import_new"), {"file": SimpleUploadedFile("udtraek.csv", csv_bytes())}
    )
    assert response.status_code == 302
    assert SpendImport.objects.get().format == "erp_csv"
