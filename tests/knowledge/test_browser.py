"""An officer drafts, the secretariat publishes, another municipality's officer finds it by search."""

from __future__ import annotations

import pytest

from knowledge.models import Article, Status
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page) -> None:
    page.get_by_role("button", name="Log af").first.click()
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


def test_officer_drafts_secretariat_publishes_other_member_finds_it(cast, page) -> None:
    # Odense's officer writes a draft, watching the preview, and submits it.
    sign_in(page, cast.officer.email)
    page.goto("/knowledge/new/")
    page.fill("#id_title", "Erfaringer med udbud af skolemælk")
    page.select_option("#id_kind", "member_case")
    page.fill("#id_summary", "Hvad Odense lærte af udbuddet af skolemælk.")
    page.fill("#id_body", "## Læring\n\nUdbuddene af **skolemælk** bør samles i én delaftale.")
    page.locator("#preview strong", has_text="skolemælk").wait_for()
    page.check("input[name=phases][value=tender]")
    page.check("input[name=levers][value=collaborate]")
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Erfaringer med udbud af skolemælk"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Send til godkendelse").click()
    page.wait_for_load_state("networkidle")
    article = Article.objects.get()
    assert article.status == Status.IN_REVIEW
    _sign_out(page)

    # Aarhus cannot find the draft yet.
    sign_in(page, cast.aarhus_officer.email)
    page.goto("/knowledge/search/?q=skolemælken")
    assert page.locator(".knowledge-results h2").count() == 0
    _sign_out(page)

    # The secretariat finds it in the review queue and publishes it.
    sign_in(page, cast.staff.email)
    page.goto("/knowledge/review/")
    page.get_by_role("link", name="Erfaringer med udbud af skolemælk").click()
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    _sign_out(page)

    # Aarhus' officer searches with another inflection and finds it, the hit highlighted.
    sign_in(page, cast.aarhus_officer.email)
    page.goto("/knowledge/")
    page.fill("#id_q", "udbuddet skolemælken")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state("networkidle")
    result = page.locator(".knowledge-results h2 a").first
    assert result.inner_text() == "Erfaringer med udbud af skolemælk"
    assert page.locator(".knowledge-results mark").count() >= 1
    screenshot(page, "knowledge-search")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    result.click()
    page.wait_for_load_state("networkidle")
    assert "skolemælk" in page.locator(".knowledge-body").inner_text()
