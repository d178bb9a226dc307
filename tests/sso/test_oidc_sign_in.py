"""Sign-in through an organisation's OpenID Connect provider, end to end in Chromium.

The provider is the npm package oidc-provider, running on this machine (tests/sso/oidc_idp.mjs).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import override_settings

from accounts.models import Invitation, ProviderLogout, Role, User
from accounts.services import invitation_create
from tests.conftest import build_cast

from .conftest import oidc_row
from .idp import OIDC_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def idp_login(page: object, login: str) -> None:
    """Sign in at the test provider's own pages (its login form, then its consent)."""
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    consent = page.locator("button[type=submit]", has_text="Continue")
    if consent.count():
        consent.click()
    page.wait_for_load_state("networkidle")


def choose_municipality(page: object, next_url: str = "") -> None:
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.select_option("#sso-provider", OIDC_SLUG)
    page.click("#sso-choose-submit")


def signed_in_email(page: object) -> str | None:
    """The signed-in user as the portal sees it: the e-mail page shows the address."""
    page.goto("/accounts/email/")
    if "/accounts/login/" in page.url:
        return None
    return page.locator("main").inner_text()


def test_new_officer_signs_in_without_a_portal_password(page, idp, live_server) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page)
    idp_login(page, "anna")
    assert page.url.startswith(live_server.url)
    assert "/start/member/" in page.url
    user = User.objects.get(email="anna@odense.dk")
    assert (user.organisation, user.role, user.full_name) == (
        cast.odense.organisation,
        Role.VIEWER,
        "Anna Andersen",
    )
    assert not user.has_usable_password()


def test_pending_invitation_gives_its_role_and_is_accepted(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    invitation, _ = invitation_create(
        invited_by=cast.admin, email="anna@odense.dk", organisation=cast.odense.organisation,
        role=Role.OFFICER,
    )  # fmt: skip
    page.goto("/accounts/login/")
    page.fill("#sso-email", "Anna@Odense.dk")
    page.click("#sso-email-submit")
    idp_login(page, "anna")
    user = User.objects.get(email="anna@odense.dk")
    assert user.role == Role.OFFICER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_user == user


def test_existing_user_is_linked_by_verified_email(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page)
    idp_login(page, "officer")
    assert "/start/member/" in page.url
    assert cast.officer.socialaccount_set.get().uid == "officer"


def test_unverified_email_is_not_linked(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page)
    idp_login(page, "unverified")
    assert "/accounts/login/" in page.url
    assert "bekræftede ikke din e-mailadresse" in page.locator("body").inner_text()
    assert not cast.viewer.socialaccount_set.exists()


def test_wrong_domain_is_refused(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page)
    idp_login(page, "bo")  # bo@aarhus.dk at Odense's provider
    assert "/accounts/login/" in page.url
    assert "ikke i et af de domæner, som Odense bruger" in page.locator("body").inner_text()
    assert not User.objects.filter(email="bo@aarhus.dk").exists()


def test_user_of_another_organisation_is_refused(page, idp) -> None:
    """A provider may name any address in its domains: it never moves a user between tenants."""
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url, email_domains=["odense.dk", "12by.test"])
    choose_municipality(page)
    idp_login(page, "admin")
    assert "/accounts/login/" in page.url
    assert "hører til en anden organisation" in page.locator("body").inner_text()
    assert not cast.admin.socialaccount_set.exists()


@pytest.mark.parametrize("mode", ["wrong_audience", "expired", "wrong_signature", "unsigned"])
def test_bad_id_token_is_refused(page, idp, mode) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    idp.misbehave(mode)
    choose_municipality(page)
    idp_login(page, "anna")
    assert "Log ind via din organisation mislykkedes" in page.locator("h1").inner_text()
    assert not User.objects.filter(email="anna@odense.dk").exists()
    assert signed_in_email(page) is None


def test_replayed_callback_is_refused(page, idp, browser, live_server) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    choose_municipality(page)
    idp_login(page, "anna")
    assert callbacks
    other = browser.new_context(base_url=live_server.url)
    try:
        replay = other.new_page()
        replay.goto(callbacks[0])
        assert "Log ind via din organisation mislykkedes" in replay.locator("h1").inner_text()
        replay.goto("/accounts/email/")
        assert "/accounts/login/" in replay.url
    finally:
        other.close()


def test_next_that_leaves_the_site_is_ignored(page, idp, live_server) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page, next_url="https://evil.example/steal")
    idp_login(page, "anna")
    assert page.url.startswith(live_server.url) and "/start/member/" in page.url


def test_next_on_the_site_is_followed(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page, next_url="/jobs/")
    idp_login(page, "anna")
    assert page.url.endswith("/jobs/")


def test_person_removed_at_the_provider_cannot_sign_in(page, idp) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    idp.remove("gone")
    choose_municipality(page)
    idp_login(page, "gone")
    assert signed_in_email(page) is None
    assert not User.objects.filter(email="gone@odense.dk").exists()


def test_backchannel_logout_ends_the_session_at_its_next_request(page, idp, live_server) -> None:
    cast = build_cast()
    oidc_row(cast.odense.organisation, idp.url)
    choose_municipality(page)
    idp_login(page, "anna")
    assert signed_in_email(page)
    uri = f"{live_server.url}/sso/{OIDC_SLUG}/backchannel-logout/"
    assert idp.backchannel_logout(uri, "anna", stranger=True) == 400  # not the provider's key
    assert signed_in_email(page)
    assert idp.backchannel_logout(uri, "anna") == 200
    assert ProviderLogout.objects.filter(subject="anna").exists()
    assert signed_in_email(page) is None
    assert (
        "Din organisations identitetsudbyder har logget dig af" in page.locator("body").inner_text()
    )


@override_settings(REQUIRE_MFA_FOR_SECRETARIAT=True)
def test_strong_authentication_at_the_provider_satisfies_the_mfa_requirement(page, idp) -> None:
    cast = build_cast()
    oidc_row(
        cast.secretariat, idp.url, name="Sekretariatet", email_domains=["12by.test"],
        default_role=Role.SECRETARIAT_STAFF,
    )  # fmt: skip
    idp.misbehave("normal", claims={"amr": ["pwd", "mfa"]})
    choose_municipality(page)
    idp_login(page, "admin")
    assert "/start/secretariat/" in page.url


@override_settings(REQUIRE_MFA_FOR_SECRETARIAT=True)
def test_without_strong_authentication_the_portal_totp_still_applies(page, idp) -> None:
    cast = build_cast()
    oidc_row(
        cast.secretariat, idp.url, name="Sekretariatet", email_domains=["12by.test"],
        default_role=Role.SECRETARIAT_STAFF,
    )  # fmt: skip
    choose_municipality(page)
    idp_login(page, "admin")
    page.goto("/start/secretariat/")
    assert urlparse(page.url).path != "/start/secretariat/"
