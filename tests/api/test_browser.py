"""In the browser: the API docs render under the site's real CSP, and an officer creates a token."""

from __future__ import annotations

import pytest

from api.models import ApiToken
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_csp_violations(browser, live_server, db) -> None:
    # No bypass_csp here: the page must work under the policy it is served with.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.goto("/api/v1/docs")
    page.wait_for_selector("#operations-udbud-tender_list", timeout=15_000)  # Danish tags
    assert page.locator(".opblock").count() >= 10
    assert problems == []
    context.close()


def test_officer_creates_and_revokes_a_token_in_danish(cast, page) -> None:
    sign_in(page, cast.officer.email)
    page.goto("/api-tokens/")
    assert page.locator("h1").inner_text() == "API-nøgler"
    page.get_by_role("link", name="Opret en nøgle").click()
    page.fill("#id_name", "Power BI")
    page.get_by_role("button", name="Opret nøgle").click()
    secret = page.input_value("#token-secret").strip()
    assert secret.startswith("12by_")
    assert ApiToken.objects.get(user=cast.officer).prefix in secret
    screenshot(page, "api-token-created")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("link", name="Færdig").click()
    assert secret not in page.content()
    page.get_by_role("button", name="Tilbagekald Power BI").click()
    assert "Tilbagekaldt" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
