"""The secretariat gives a new tender three award criteria: adds a row, is told at the top of
the form that the weights do not add up, corrects them and saves."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tenders.models import Tender, TenderStatus
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_criteria_with_the_error_summary_at_the_top(cast, page) -> None:
    tender = Tender.objects.create(
        reference="2026-031", title="Rengøringsartikler", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PREPARATION,
        bid_deadline=timezone.now() + timezone.timedelta(days=60),
    )  # fmt: skip
    sign_in(page, cast.staff.email)
    page.goto(f"/tenders/{tender.reference}/criteria/")
    rows = page.locator("#criteria-rows fieldset")
    assert rows.count() == 2  # a new tender starts with room for price and quality
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.fill("#id_criteria-0-name", "Pris")
    page.select_option("#id_criteria-0-kind", "price")
    page.fill("#id_criteria-0-weight", "50")
    page.fill("#id_criteria-1-name", "Kvalitet")
    page.select_option("#id_criteria-1-kind", "quality")
    page.fill("#id_criteria-1-weight", "30")
    page.get_by_role("button", name="Tilføj et kriterium").click()
    # htmx swaps in the rows with one more; what was typed stays, the new row has the focus.
    page.locator("#id_criteria-2-name").wait_for()
    assert rows.count() == 3
    assert page.input_value("#id_criteria-0-name") == "Pris"
    assert page.evaluate("document.activeElement.id") == "id_criteria-2-name"
    page.fill("#id_criteria-2-name", "Miljø")
    page.select_option("#id_criteria-2-kind", "environment")
    page.fill("#id_criteria-2-weight", "30")  # 110 % in all
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_load_state("networkidle")

    summary = page.get_by_role("alert").filter(has_text="Ret følgende")
    assert "Vægtene skal give 100 % tilsammen (nu 110 %)." in summary.inner_text()
    # At the top of the form, above the first criterion — not inside a row.
    summary_box = summary.bounding_box()
    first_row = page.locator("#criteria-rows fieldset").first.bounding_box()
    assert summary_box["y"] + summary_box["height"] <= first_row["y"]
    assert page.locator("#criteria-rows fieldset .alert").count() == 0
    screenshot(page, "criteria-form-error-summary")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.fill("#id_criteria-2-weight", "20")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.get_by_text("Tildelingskriterierne er gemt.").wait_for()
    assert list(tender.criteria.order_by("position").values_list("name", "weight")) == [
        ("Pris", 50), ("Kvalitet", 30), ("Miljø", 20),
    ]  # fmt: skip


def test_add_a_row_without_javascript(cast, browser, live_server) -> None:
    tender = Tender.objects.create(
        reference="2026-032", title="Papir", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PREPARATION,
    )  # fmt: skip
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, cast.staff.email)
    page.goto(f"/tenders/{tender.reference}/criteria/")
    page.fill("#id_criteria-0-name", "Pris")
    page.fill("#id_criteria-1-name", "Kvalitet")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilføj et kriterium").click()
    assert page.locator("#criteria-rows fieldset").count() == 3
    assert page.input_value("#id_criteria-0-name") == "Pris"
    assert page.get_by_text("Ret følgende").count() == 0
    context.close()
