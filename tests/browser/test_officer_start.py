"""A procurement officer signs in, sees the Danish start page, and the page passes axe."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_sees_danish_start_page_without_serious_axe_violations(cast, page) -> None:
    sign_in(page, cast.officer.email)
    assert page.url.endswith("/start/member/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").inner_text().startswith("Min kommune")
    assert page.get_by_role("button", name="Log af").first.is_visible()
    screenshot(page, "officer-start")
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("path", ["/accounts/login/"])
def test_sign_in_page_passes_axe(page, path, db) -> None:
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "da"
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_english_can_be_chosen(cast, page) -> None:
    sign_in(page, cast.officer.email)
    page.get_by_role("button", name="English").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("My municipality")
