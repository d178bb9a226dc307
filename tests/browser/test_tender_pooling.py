"""An officer declares volumes; the secretariat pools them; the officer follows the pooling."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import Lot, Participation, Tender, TenderStatus
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_officer_declares_and_sees_pooling_run_by_the_secretariat(
    cast, real_worker, browser, page, live_server
) -> None:
    tender = Tender.objects.create(
        reference="2026-014", title="Kontorartikler", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.VOLUME_COLLECTION,
        volume_deadline=timezone.now() + timedelta(days=10), term_years=2, option_years=[1, 1],
    )  # fmt: skip
    lot1 = Lot.objects.create(tender=tender, number=1, title="Kontorartikler")
    Lot.objects.create(tender=tender, number=2, title="Kopipapir")
    for member in (cast.odense, cast.aarhus):
        Participation.objects.create(tender=tender, member=member)

    # The officer finds the invitation on the start page and declares.
    sign_in(page, cast.officer.email)
    page.get_by_role("link", name=re.compile("2026-014 Kontorartikler")).first.click()
    page.get_by_label("Vi tilslutter os (bindende)").check()
    page.get_by_label("Delaftale 1: forventet årligt volumen (kr. ekskl. moms)").fill("250.000")
    page.get_by_label("Kommunen køber ikke på delaftale 2").check()
    page.get_by_role("button", name="Gem svaret").click()
    page.get_by_text("Jeres svar er gemt.").wait_for()
    answer = Participation.objects.get(tender=tender, member=cast.odense)
    assert answer.answer == "participate"
    assert answer.declarations.get(lot=lot1).annual_volume == 250_000
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # The officer opens the tender page; it shows pooling as soon as the secretariat starts it.
    page.goto(tender.get_absolute_url())
    status = page.locator("#pooling-status")
    assert "ikke lagt sammen endnu" in status.inner_text()

    # The secretariat starts the pooling in its own browser.
    staff = browser.new_context(base_url=live_server.url, locale="da-DK", bypass_csp=True)
    staff_page = staff.new_page()
    sign_in(staff_page, cast.staff.email)
    staff_page.goto(tender.get_absolute_url())
    staff_page.get_by_role("button", name="Læg volumen sammen").click()
    staff_page.wait_for_load_state("networkidle")

    # Without reloading, the officer's page follows the job to its end.
    status.get_by_text("Gennemført").wait_for(timeout=30_000)
    assert "100 %" in status.inner_text()
    # When the job ends the page reloads itself with the pooled volumes: the officer sees its
    # own municipality's row and the totals (other members' rows are the secretariat's).
    page.get_by_role("table", name=re.compile("Angivet årligt volumen pr. delaftale")).wait_for()
    pooled = page.locator("#pooling").locator("..")
    assert "250.000" in pooled.inner_text()
    assert "1.000.000" in pooled.inner_text()  # 250,000 a year × (2 + 1 + 1) years
    screenshot(page, "officer-pooling")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    staff.close()
