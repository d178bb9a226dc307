"""An officer uploads an ERP file, fixes a column in the preview, and watches the progress bar."""

from __future__ import annotations

import pytest
from django.db import connection

from spend.models import SpendImport, SpendLine
from spend.services.writing import MEMBER_LOCK_SPACE
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

from .files import ROWS, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = ["Dato", "Leverandør CVR", "Kreditor", "Netto", "Art", "Bilag"]


def test_upload_with_mapping_preview_and_progress_bar(cast, real_worker, page, tmp_path) -> None:
    rows = ROWS * 1 + [
        [f"{1 + i % 28:02d}-03-2025", ROWS[i % 4][1], "Leverandør", f"{i},00", "4410", f"B-{i}"]
        for i in range(30_000)
    ]
    path = tmp_path / "oekonomi.csv"
    path.write_bytes(csv_bytes(rows, header=HEADER, encoding="cp1252"))

    sign_in(page, cast.officer.email)
    page.goto("/spend/imports/upload/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload og se forhåndsvisning").click()
    page.wait_for_load_state("networkidle")

    # "Netto" and "Dato" are not headers the portal knows: the preview says so until they are chosen.
    assert "Filen har ingen kolonne til" in page.locator("#preview-table").inner_text()
    page.select_option("#id_map_amount", "Netto")
    page.select_option("#id_map_invoice_date", "Dato")
    page.wait_for_function("document.querySelector('#preview-table table') !== null")
    preview = page.locator("#preview-table").inner_text()
    assert "12.500,00" in preview and "Tavleverandøren A/S" in preview
    screenshot(page, "spend-preview")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Hold the member's write lock, so the import waits after it has reported its first progress
    # however fast the machine is; the page must show that progress before the lock is let go.
    lock = [MEMBER_LOCK_SPACE, cast.odense.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", lock)
    seen: set[int] = set()
    try:
        page.get_by_role("button", name="Start indlæsningen").click()
        page.locator("#import-status progress").wait_for()
        for _ in range(300):
            value = page.locator("#import-status progress").get_attribute("value")
            if value is not None:
                seen.add(int(value))
            if any(0 < v < 100 for v in seen):
                break
            page.wait_for_timeout(100)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
    page.wait_for_selector("text=nye linjer indlæst", timeout=60_000)
    assert any(0 < v < 100 for v in seen), f"no progress seen between 0 and 100: {sorted(seen)}"
    screenshot(page, "spend-imported")
    text = page.locator("main").inner_text()
    assert "30.004 nye linjer indlæst" in text, text[:500]
    assert SpendImport.objects.get().status == SpendImport.Status.IMPORTED
    assert SpendLine.objects.count() == 30_004
