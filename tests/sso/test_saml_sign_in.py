"""Sign-in through an organisation's SAML 2.0 identity provider (an OIOSAML broker), end to end.

The provider is pysaml2's IdP, running on this machine (tests/sso/saml_idp.py).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import override_settings

from accounts.models import Role, User
from tests.conftest import build_cast

from .conftest import load_sp_metadata, saml_row
from .idp import NSIS_SUBSTANTIAL, SAML_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILED = "Log ind via din organisation mislykkedes"


@pytest.fixture
def saml_idp(saml_idp_process, live_server):
    return saml_idp_process


def start(page, saml_idp, live_server, organisation, user, mode="normal", class_ref="", **row):
    saml_row(organisation, saml_idp, **row)
    load_sp_metadata(saml_idp, live_server.url)
    saml_idp.next_sign_in(user, mode, class_ref)
    page.goto("/accounts/login/")
    page.select_option("#sso-provider", SAML_SLUG)
    page.click("#sso-choose-submit")
    page.wait_for_load_state("networkidle")


def test_member_officer_signs_in_through_saml(page, saml_idp, live_server) -> None:
    cast = build_cast()
    start(page, saml_idp, live_server, cast.odense.organisation, "anna")
    assert page.url.startswith(live_server.url) and "/start/member/" in page.url, saml_idp.log()
    user = User.objects.get(email="anna@odense.dk")
    assert (user.organisation, user.role) == (cast.odense.organisation, Role.VIEWER)
    assert user.socialaccount_set.get().uid == "anna"


def test_wrong_domain_is_refused(page, saml_idp, live_server) -> None:
    cast = build_cast()
    start(page, saml_idp, live_server, cast.odense.organisation, "bo")
    assert "/accounts/login/" in page.url
    assert "ikke i et af de domæner, som Odense bruger" in page.locator("body").inner_text()
    assert not User.objects.filter(email="bo@aarhus.dk").exists()


@pytest.mark.parametrize("mode", ["unsigned", "wrong_signature", "expired"])
def test_bad_response_is_refused(page, saml_idp, live_server, mode) -> None:
    cast = build_cast()
    start(page, saml_idp, live_server, cast.odense.organisation, "anna", mode=mode)
    assert FAILED in page.locator("h1").inner_text()
    assert not User.objects.filter(email="anna@odense.dk").exists()


def test_replayed_response_is_refused(page, saml_idp, live_server, browser) -> None:
    cast = build_cast()
    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data) if r.method == "POST" and "/acs/" in r.url else None,
    )
    start(page, saml_idp, live_server, cast.odense.organisation, "anna")
    assert "/start/member/" in page.url and posted
    other = browser.new_context(base_url=live_server.url)
    try:
        replay = other.request.post(
            f"/accounts/saml/{SAML_SLUG}/acs/",
            data=posted[0],
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        # The request it answered is used up: refused (403) before anything is read from it.
        assert replay.status == 403 or FAILED in replay.text()
        page2 = other.new_page()
        page2.goto("/accounts/email/")
        assert "/accounts/login/" in page2.url
    finally:
        other.close()


@override_settings(REQUIRE_MFA_FOR_SECRETARIAT=True)
def test_nsis_substantial_satisfies_the_mfa_requirement(page, saml_idp, live_server) -> None:
    cast = build_cast()
    start(
        page, saml_idp, live_server, cast.secretariat, "admin", class_ref=NSIS_SUBSTANTIAL,
        name="Sekretariatet", email_domains=["12by.test"], default_role=Role.SECRETARIAT_STAFF,
    )  # fmt: skip
    assert "/start/secretariat/" in page.url


@override_settings(REQUIRE_MFA_FOR_SECRETARIAT=True)
def test_password_only_at_the_provider_leaves_the_portal_totp(page, saml_idp, live_server) -> None:
    cast = build_cast()
    start(
        page, saml_idp, live_server, cast.secretariat, "admin",
        name="Sekretariatet", email_domains=["12by.test"], default_role=Role.SECRETARIAT_STAFF,
    )  # fmt: skip
    page.goto("/start/secretariat/")
    assert urlparse(page.url).path != "/start/secretariat/"
