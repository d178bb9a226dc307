"""Attachments: only real DOCX/XLSX/PDF within the size limit, served only to those who may read."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge import attachments
from knowledge.attachments import check_attachment
from knowledge.models import Attachment, Status
from tests.conftest import client_for

from .conftest import make_article

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [("a.pdf", PDF, "pdf"), ("b.DOCX", ooxml("word/document.xml"), "docx"),
     ("c.xlsx", ooxml("xl/workbook.xml"), "xlsx")],
)  # fmt: skip
def test_real_files_are_accepted(name, data, extension) -> None:
    checked = check_attachment(name, len(data), io.BytesIO(data))
    assert checked.extension == extension


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ..."),
        ("side.html", b"<script>alert(1)</script>"),
        ("falsk.pdf", b"<html>not a pdf</html>"),
        ("falsk.docx", b"PK\x03\x04 not really a zip"),
        ("regneark.xlsx", ooxml("word/document.xml")),  # a Word file renamed
        ("tom.pdf", b""),
    ],
)
def test_wrong_types_are_refused(name, data) -> None:
    with pytest.raises(ValidationError):
        check_attachment(name, len(data), io.BytesIO(data))


def test_too_large_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="for stor"):
        check_attachment("a.pdf", len(PDF), io.BytesIO(PDF))


def test_upload_download_and_access(cast) -> None:
    article = make_article(cast.officer)
    upload = SimpleUploadedFile("Skabelon <udbud>.pdf", PDF, content_type="text/html")
    response = client_for(cast.officer).post(
        reverse("knowledge:attachment_upload", args=[article.pk]), {"file": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"  # ours, not the browser's
    url = reverse("knowledge:attachment", args=[attachment.pk])

    download = client_for(cast.viewer).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment;" in download["Content-Disposition"]
    # A draft's file is as private as the draft.
    assert client_for(cast.aarhus_officer).get(url).status_code == 404
    article.status = Status.PUBLISHED
    article.save()
    assert client_for(cast.aarhus_officer).get(url).status_code == 200


def test_refused_upload_says_why(cast) -> None:
    article = make_article(cast.officer)
    upload = SimpleUploadedFile("makro.docm", b"PK", content_type="application/octet-stream")
    response = client_for(cast.officer).post(
        reverse("knowledge:attachment_upload", args=[article.pk]), {"file": upload}, follow=True
    )
    assert "Kun DOCX-, XLSX- og PDF-filer" in response.content.decode()
    assert not Attachment.objects.exists()
