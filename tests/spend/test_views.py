"""The import pages: upload → preview with mapping → start → result, the error report, mapping."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spend.models import ColumnMapping, SpendImport, SpendLine
from tests.conftest import client_for

from .files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

ODD_HEADER = ["Dato", "Lev CVR", "Navn", "Netto", "Art", "Bilag"]


def upload(client, data: bytes, name: str = "udtraek.csv", **extra):
    return client.post(
        reverse("spend:import_new"), {"file": SimpleUploadedFile(name, data), **extra}
    )


def test_officer_uploads_previews_with_mapping_and_imports(
    cast, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.officer)
    response = upload(client, csv_bytes(header=ODD_HEADER))
    spend_import = SpendImport.objects.get()
    assert response["Location"] == spend_import.get_absolute_url()
    assert spend_import.member == cast.odense and spend_import.uploaded_by == cast.officer

    page = client.get(spend_import.get_absolute_url()).content.decode()
    assert "Filen har ingen kolonne til" in page  # the odd headers are not recognised

    mapping = {
        "map_supplier_cvr": "Lev CVR",
        "map_amount": "Netto",
        "map_invoice_date": "Dato",
        "map_supplier_name": "Navn",
    }
    fragment = client.get(
        reverse("spend:import_preview", args=[spend_import.pk]),
        mapping,
        headers={"HX-Request": "true"},
    )
    html = fragment.content.decode()
    assert "Tavleverandøren A/S" in html and "12.500,00" in html and "badge-success" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("spend:import_start", args=[spend_import.pk]),
            {**mapping, "headers": ODD_HEADER, "save_mapping": "on"},
        )
    assert response.status_code == 302
    spend_import.refresh_from_db()
    assert spend_import.status == SpendImport.Status.IMPORTED  # tasks run eagerly in tests
    assert spend_import.job is not None and spend_import.job.state == "succeeded"
    assert SpendLine.objects.filter(member=cast.odense).count() == 4
    assert ColumnMapping.objects.get(member=cast.odense).columns["amount"] == "Netto"
    result = client.get(spend_import.get_absolute_url()).content.decode()
    assert "4 nye linjer indlæst" in result


def test_rejected_file_offers_the_valid_lines_and_an_error_report(
    cast, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.officer)
    upload(client, csv_bytes([*ROWS, ["31-02-2025", ROWS[0][1], "X", "1,00", "1", "1"]]))
    spend_import = SpendImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("spend:import_start", args=[spend_import.pk]), {"headers": [], "valid_only": ""}
        )
    spend_import.refresh_from_db()
    assert spend_import.status == SpendImport.Status.REJECTED
    assert SpendLine.objects.count() == 0
    page = client.get(spend_import.get_absolute_url()).content.decode()
    assert "Filen blev afvist; intet blev indlæst" in page
    assert "Indlæs kun de 4 gyldige linjer" in page

    report = client.get(reverse("spend:import_errors", args=[spend_import.pk]))
    assert report["Content-Disposition"] == 'attachment; filename="fejlrapport-udtraek.csv"'
    text = report.content.decode("utf-8-sig").splitlines()
    assert text[0] == "Fil;Linje;Årsag"
    assert text[1].startswith("udtraek.csv;6;Datoen »31-02-2025« kan ikke læses")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spend:import_start", args=[spend_import.pk]), {"valid_only": "on"})
    spend_import.refresh_from_db()
    assert spend_import.status == SpendImport.Status.IMPORTED and spend_import.lines_new == 4


def test_secretariat_uploads_for_a_member(cast) -> None:
    client = client_for(cast.staff)
    upload(client, csv_bytes(), member=cast.aarhus.pk)
    assert SpendImport.objects.get().member == cast.aarhus


def test_other_members_cannot_see_an_import(cast) -> None:
    upload(client_for(cast.officer), csv_bytes())
    spend_import = SpendImport.objects.get()
    other = client_for(cast.aarhus_officer)
    assert other.get(spend_import.get_absolute_url()).status_code == 404
    assert other.get(reverse("spend:import_errors", args=[spend_import.pk])).status_code == 404
    assert other.post(reverse("spend:import_start", args=[spend_import.pk])).status_code == 404
    assert (
        spend_import.original_name not in other.get(reverse("spend:import_list")).content.decode()
    )


def test_viewer_sees_but_cannot_start(cast) -> None:
    upload(client_for(cast.officer), csv_bytes())
    spend_import = SpendImport.objects.get()
    viewer = client_for(cast.viewer)
    page = viewer.get(spend_import.get_absolute_url())
    assert page.status_code == 200 and "Start indlæsningen" not in page.content.decode()
    assert viewer.post(reverse("spend:import_start", args=[spend_import.pk])).status_code == 403


def test_officer_saves_the_column_mapping(cast) -> None:
    client = client_for(cast.officer)
    response = client.post(
        reverse("spend:mapping"), {"supplier_cvr": "Leverandør", "amount": "Netto"}
    )
    assert response.status_code == 302
    assert ColumnMapping.objects.get(member=cast.odense).columns == {
        "supplier_cvr": "Leverandør",
        "amount": "Netto",
    }


def test_supplier_registry_lists_suppliers_with_their_names(
    cast, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.officer)
    upload(client, csv_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spend:import_start", args=[SpendImport.objects.get().pk]), {})
    staff = client_for(cast.staff)
    page = staff.get(reverse("spend:supplier_list"), {"q": "kontor"}).content.decode()
    assert "Kontorland ApS" in page and "Tavleverandøren" not in page
    detail = staff.get(reverse("spend:supplier_detail", args=["10000009"])).content.decode()
    assert "Kontorland ApS; Kontorland" in detail or "Kontorland; Kontorland ApS" in detail


def test_preview_reads_only_the_head_of_a_large_file(cast) -> None:
    """The preview decodes the first lines, not the whole file: a fault far down doesn't matter."""
    from spend.selectors import import_preview

    rows = [[f"{1 + i % 28:02d}-01-2025", *ROWS[0][1:5], f"F-{i}"] for i in range(8_000)]
    data = csv_bytes(rows) + b"02-01-2025;16356700;Fejl\x00;1,00;1;1\r\n"
    assert len(data) > 300 * 1024
    upload(client_for(cast.officer), data)
    preview = import_preview(SpendImport.objects.get())
    assert not preview.rejected, preview.rejected
    assert len(preview.rows) == 10 and preview.rows[0].values["invoice_number"] == "F-0"
    assert preview.columns["amount"] == "Beløb ekskl. moms"
