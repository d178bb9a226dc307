"""When the import job ends, the page shows its outcome everywhere without a reload: the status
badge among the facts, the result and the withdraw button."""

from __future__ import annotations

import pytest
from django.db import connection

from spend.models import SpendImport
from spend.services.writing import MEMBER_LOCK_SPACE
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

from .files import ROWS, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _upload(page, path) -> None:
    page.goto("/spend/imports/upload/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload og se forhåndsvisning").click()
    page.wait_for_load_state("networkidle")


def _badge(page) -> str:
    return page.locator("#import-status dl .badge").inner_text().strip()


def test_the_status_badge_follows_the_job_without_a_reload(
    cast, real_worker, page, tmp_path
) -> None:
    path = tmp_path / "udtraek.csv"
    path.write_bytes(csv_bytes(ROWS))
    sign_in(page, cast.officer.email)
    _upload(page, path)
    assert _badge(page) == "Ikke indlæst endnu"

    # Hold the member's write lock so the job is seen running before it can end.
    lock = [MEMBER_LOCK_SPACE, cast.odense.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", lock)
    try:
        page.get_by_role("button", name="Start indlæsningen").click()
        page.locator("#import-status progress").wait_for()
        assert _badge(page) == "Indlæser"
        # A mark on the window: a reload of the page would wipe it.
        page.evaluate("window.stillTheSamePage = true")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", lock)

    page.wait_for_function(
        "document.querySelector('#import-status dl .badge')?.textContent.trim() === 'Indlæst'",
        timeout=60_000,
    )
    assert page.evaluate("window.stillTheSamePage === true")
    region = page.locator("#import-status").inner_text()
    assert "4 nye linjer indlæst" in region
    assert page.get_by_role("link", name="Træk indlæsningen tilbage").is_visible()
    assert "Ikke indlæst endnu" not in page.locator("main").inner_text()
    assert SpendImport.objects.get().status == SpendImport.Status.IMPORTED
    screenshot(page, "spend-import-status-updated")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_refused_file_turns_the_badge_to_rejected_without_a_reload(
    cast, real_worker, page, tmp_path
) -> None:
    path = tmp_path / "fejl.csv"
    path.write_bytes(csv_bytes([*ROWS, ["31-02-2025", ROWS[0][1], "X", "abc", "4410", "F-1"]]))
    sign_in(page, cast.officer.email)
    _upload(page, path)
    page.get_by_role("button", name="Start indlæsningen").click()
    page.wait_for_load_state("domcontentloaded")
    page.wait_for_function(
        "document.querySelector('#import-status dl .badge')?.textContent.trim() === 'Afvist'",
        timeout=60_000,
    )
    assert SpendImport.objects.get().status == SpendImport.Status.REJECTED
    assert "Filen blev afvist" in page.locator("#import-status").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
