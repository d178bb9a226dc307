"""The sign-in page with identity providers: offered beside e-mail and password, accessible."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import IdentityProvider
from accounts.sso.services import identity_provider_save
from tests.fixtures.browser import axe_violations, describe

pytestmark = pytest.mark.django_db


def providers(cast) -> None:
    for slug, name, organisation in (
        ("odense-entra", "Odense Kommune", cast.odense.organisation),
        ("aarhus-saml", "Aarhus Kommune", cast.aarhus.organisation),
    ):
        identity_provider_save(
            provider=IdentityProvider(
                organisation=organisation, name=name, slug=slug, email_domains=[f"{slug[:5]}.dk"],
                protocol=IdentityProvider.Protocol.OIDC, issuer_url="http://127.0.0.1:9/",
                client_id="portal",
            ),
            client_secret="secret",
        )  # fmt: skip


def test_sign_in_page_offers_the_municipalities(client, cast) -> None:
    providers(cast)
    IdentityProvider.objects.filter(slug="aarhus-saml").update(enabled=False)
    page = client.get(reverse("account_login")).content.decode()
    assert "Log ind med din kommune" in page and "Odense Kommune" in page
    assert "Aarhus Kommune" not in page  # not in use
    assert 'id="id_password"' in page  # e-mail and password stay


def test_without_providers_the_page_is_as_before(client, cast) -> None:
    assert "Log ind med din kommune" not in client.get(reverse("account_login")).content.decode()


def test_unknown_domain_says_so_on_the_sign_in_page(client, cast) -> None:
    providers(cast)
    response = client.post(reverse("accounts:sso_start"), {"email": "a@gmail.com"}, follow=True)
    assert "Portalen fandt ingen identitetsudbyder" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_page_with_providers_passes_axe(page, cast) -> None:
    providers(cast)
    page.goto("/accounts/login/")
    assert page.locator("#sso-provider option").count() == 3
    violations = axe_violations(page)
    assert not violations, describe(violations)
