"""Tender documents: every kind renders, names the participating authorities with CVR, and each
rendering is a numbered version with its checksum and the data it was made from."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from jobs.models import Job
from tenders.documents import KINDS, documents_ready, documents_state
from tenders.models import DocumentKind, DocumentTemplate, TenderDocument, TenderStatus
from tenders.services import tender_documents_render
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def pdf_text(document: TenderDocument) -> str:
    with document.file.open("rb") as fh:
        reader = pypdf.PdfReader(io.BytesIO(fh.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_cells(document: TenderDocument) -> list[str]:
    with document.file.open("rb") as fh:
        workbook = openpyxl.load_workbook(io.BytesIO(fh.read()))
    return [
        str(c)
        for ws in workbook.worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]


def test_render_job_makes_every_document_with_names_and_cvr(
    cast, tender_world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.staff).post(
            reverse("tender_timeline:documents_render", args=[tender_world.tender.reference])
        )
    job = Job.objects.get(kind="tenders.render_documents")
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.result_url == reverse("tender_timeline:documents", args=["2026-014"])

    documents = {d.kind: d for d in TenderDocument.objects.filter(tender=tender_world.tender)}
    assert set(documents) == set(KINDS)
    assert {d.version for d in documents.values()} == {1}
    assert {d.rendered_by for d in documents.values()} == {cast.staff}

    for kind in KINDS:
        document = documents[kind]
        text = (
            " ".join(xlsx_cells(document))
            if kind == DocumentKind.PRICE_SCHEDULE
            else pdf_text(document)
        )
        for name, cvr in tender_world.authorities:
            assert name in text, (kind, name)
            assert cvr in text, (kind, cvr)
        assert "Aarhus" not in text  # declined: not a participating authority
    assert documents_ready(tender_world.tender)


def test_holstebro_lemvig_is_two_contracting_authorities(tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    document = TenderDocument.objects.get(kind=DocumentKind.AUTHORITIES)
    text = pdf_text(document)
    holstebro, lemvig = tender_world.holstebro_lemvig.municipalities.order_by("name")
    assert f"Holstebro Kommune 661 {holstebro.cvr}" in " ".join(text.split())
    assert f"Lemvig Kommune 665 {lemvig.cvr}" in " ".join(text.split())


def test_pdf_has_header_with_reference_and_page_numbers(tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    text = pdf_text(TenderDocument.objects.get(kind=DocumentKind.CONDITIONS))
    assert "Udbud 2026-014 – Kontorartikler og papir" in text
    assert "Side 1 af" in text
    assert "version 1" in text


def test_volume_annex_lists_declarations_per_lot_and_member(tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    text = " ".join(pdf_text(TenderDocument.objects.get(kind=DocumentKind.VOLUME_ANNEX)).split())
    assert "400.000 kr." in text and "90.000 kr." in text
    assert "490.000 kr." in text  # lot 1 total
    assert "150.000 kr." in text and "3.000 pakke" in text  # the quantity in its unit


def test_price_schedule_has_a_sheet_per_lot_with_line_items(tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    document = TenderDocument.objects.get(kind=DocumentKind.PRICE_SCHEDULE)
    assert document.content_type.endswith("spreadsheetml.sheet")
    with document.file.open("rb") as fh:
        workbook = openpyxl.load_workbook(io.BytesIO(fh.read()))
    assert workbook.sheetnames == ["Ordregivere", "Delaftale 1", "Delaftale 2"]
    lot1 = workbook["Delaftale 1"]
    rows = [r for r in lot1.iter_rows(values_only=True) if r[0] in (1, 2)]
    assert rows[0][1:4] == ("Kuglepen, blå", "stk.", 5000)
    assert rows[1][3] is None  # quantity is optional
    assert rows[0][5] == '=IF(E4="","",D4*E4)'
    assert "2026-014" in lot1.oddHeader.left.text
    assert "&P" in lot1.oddFooter.right.text


def test_versions_are_numbered_with_checksum_and_snapshot(cast, tender_world) -> None:
    first = {
        d.kind: d for d in tender_documents_render(tender=tender_world.tender, user=cast.staff)
    }
    # Rendering again from unchanged data gives the same versions (idempotent).
    again = {
        d.kind: d for d in tender_documents_render(tender=tender_world.tender, user=cast.staff)
    }
    assert {k: d.pk for k, d in again.items()} == {k: d.pk for k, d in first.items()}

    lot = tender_world.lots[1]
    lot.title = "Kopipapir og karton"
    lot.save()
    assert not documents_ready(tender_world.tender)
    assert {s.kind for s in documents_state(tender_world.tender) if not s.current} == set(KINDS)

    second = {
        d.kind: d for d in tender_documents_render(tender=tender_world.tender, user=cast.staff)
    }
    assert {d.version for d in second.values()} == {2}
    for document in second.values():
        with document.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == document.sha256
        assert document.data_snapshot["lots"][1]["title"] == "Kopipapir og karton"
        assert document.filename.endswith(
            f"_v2.{'xlsx' if document.kind == 'price_schedule' else 'pdf'}"
        )
    assert TenderDocument.objects.filter(tender=tender_world.tender).count() == 2 * len(KINDS)
    assert first[DocumentKind.CONDITIONS].data_snapshot["lots"][1]["title"] == "Kopipapir"
    assert documents_ready(tender_world.tender)


def test_declaration_change_makes_documents_outdated(tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    declaration = tender_world.tender.participations.get(
        member__organisation__slug="odense"
    ).declarations.first()
    declaration.annual_volume = Decimal("1")
    declaration.save()
    assert not documents_ready(tender_world.tender)


def test_documents_not_ready_before_rendering(tender_world) -> None:
    assert not documents_ready(tender_world.tender)


def test_secretariat_edits_template_text_and_it_is_used(cast, tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    client = client_for(cast.staff)
    url = reverse("tender_timeline:template_edit", args=["conditions"])
    assert "Udbudsbetingelser" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Udbudsbetingelser",
            "introduction": "Særlig indledning for [reference] om [udbud].",
            "body": "Første afsnit.\n\nAndet afsnit.",
            "closing": "",
        },
    )
    assert response.status_code == 302
    assert DocumentTemplate.objects.get(kind="conditions").introduction.startswith("Særlig")
    states = {s.kind: s.current for s in documents_state(tender_world.tender)}
    assert states == {**dict.fromkeys(KINDS, True), "conditions": False}

    tender_documents_render(tender=tender_world.tender, user=None)
    document = TenderDocument.objects.get(kind="conditions", version=2)
    assert "Særlig indledning for 2026-014 om Kontorartikler og papir." in pdf_text(document)
    assert document.data_snapshot["template"]["body"] == "Første afsnit.\n\nAndet afsnit."


def test_template_texts_are_not_template_code(cast, tender_world) -> None:
    DocumentTemplate.objects.create(
        kind="requirements", title="Krav", introduction="{{ settings.SECRET_KEY }} <b>x</b>"
    )
    tender_documents_render(tender=tender_world.tender, user=None)
    text = pdf_text(TenderDocument.objects.get(kind="requirements"))
    assert "{{ settings.SECRET_KEY }} <b>x</b>" in text


def test_documents_page_and_panel(cast, tender_world) -> None:
    tender_documents_render(tender=tender_world.tender, user=None)
    html = (
        client_for(cast.officer)
        .get(reverse("tender_timeline:documents", args=["2026-014"]))
        .content.decode()
    )
    assert "Udbudsbetingelser" in html or "Tender conditions" in html
    # Before publication the documents are drafts: members see the list, not the files.
    document = TenderDocument.objects.get(kind="volume_annex")
    download = reverse("tender_timeline:document_download", args=[document.pk])
    assert download not in html
    assert client_for(cast.officer).get(download).status_code == 403
    response = client_for(cast.staff).get(download)
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == document.sha256
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    tender_world.tender.status = TenderStatus.PUBLISHED
    tender_world.tender.save()
    assert client_for(cast.officer).get(download).status_code == 200


def test_panel_include_renders(tender_world) -> None:
    from django.template.loader import render_to_string

    tender_documents_render(tender=tender_world.tender, user=None)
    html = render_to_string(
        "tenders/documents/_panel.html",
        {"tender": tender_world.tender, "document_states": documents_state(tender_world.tender)},
    )
    assert reverse("tender_timeline:documents", args=["2026-014"]) in html
    assert html.count("badge-success") == len(KINDS)


def test_tender_conditions_state_the_award_criteria_and_weights(cast, tender_world) -> None:
    from tenders.services import CriterionData, award_criteria_set

    award_criteria_set(
        user=cast.staff,
        tender=tender_world.tender,
        criteria=[
            CriterionData("Pris", "price", Decimal("60")),
            CriterionData("Kvalitet og service", "quality", Decimal("33.5")),
            CriterionData("Miljø og klima", "environment", Decimal("6.5")),
        ],
    )
    tender_documents_render(tender=tender_world.tender, user=None)
    text = " ".join(pdf_text(TenderDocument.objects.get(kind=DocumentKind.CONDITIONS)).split())
    assert "Tildelingskriterier" in text
    assert "Pris Pris 60 %" in text
    assert "Kvalitet og service Kvalitet 33,50 %" in text
    assert "Miljø og klima" in text and "6,50 %" in text


def test_changing_the_award_criteria_makes_the_documents_outdated(cast, tender_world) -> None:
    from tenders.services import CriterionData, award_criteria_set

    award_criteria_set(
        user=cast.staff,
        tender=tender_world.tender,
        criteria=[CriterionData("Pris", "price", Decimal("100"))],
    )
    tender_documents_render(tender=tender_world.tender, user=None)
    assert documents_ready(tender_world.tender)
    award_criteria_set(
        user=cast.staff,
        tender=tender_world.tender,
        criteria=[
            CriterionData("Pris", "price", Decimal("70")),
            CriterionData("Kvalitet", "quality", Decimal("30")),
        ],
    )
    assert not documents_ready(tender_world.tender)
