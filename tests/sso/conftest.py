from __future__ import annotations

import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from accounts.models import IdentityProvider
from accounts.sso.services import identity_provider_save

from .certs import certificate_body
from .idp import (
    CLIENT_ID,
    CLIENT_SECRET,
    OIDC_SLUG,
    SAML_SLUG,
    OIDCProvider,
    SAMLProvider,
    start_oidc_provider,
    start_saml_provider,
)


@pytest.fixture(scope="session")
def oidc_idp(
    live_server: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OIDCProvider]:
    yield from start_oidc_provider(live_server.url, tmp_path_factory.mktemp("oidc"))


@pytest.fixture
def page(page: object) -> object:
    """The browser page, patient: a sign-in crosses two servers on a busy machine."""
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    return page


@pytest.fixture
def idp(oidc_idp: OIDCProvider) -> Iterator[OIDCProvider]:
    oidc_idp.misbehave("normal")
    yield oidc_idp
    oidc_idp.misbehave("normal")


def oidc_row(organisation: object, issuer: str, **fields: object) -> IdentityProvider:
    values = {
        "organisation": organisation,
        "name": "Odense Kommune",
        "slug": OIDC_SLUG,
        "protocol": IdentityProvider.Protocol.OIDC,
        "email_domains": ["odense.dk", "odense.test"],
        "issuer_url": issuer,
        "client_id": CLIENT_ID,
        **fields,
    }
    return identity_provider_save(provider=IdentityProvider(**values), client_secret=CLIENT_SECRET)


@pytest.fixture(scope="session")
def saml_idp_process() -> Iterator[SAMLProvider]:
    with tempfile.TemporaryDirectory(prefix="portal-saml-idp-") as folder:
        yield from start_saml_provider(Path(folder))


def saml_row(organisation: object, saml_idp: SAMLProvider, **fields: object) -> IdentityProvider:
    values = {
        "organisation": organisation,
        "name": "Odense Kommune (OIOSAML)",
        "slug": SAML_SLUG,
        "protocol": IdentityProvider.Protocol.SAML,
        "email_domains": ["odense.dk"],
        "trust_email": True,
        "idp_entity_id": saml_idp.entity_id,
        "idp_sso_url": saml_idp.sso_url,
        "idp_x509cert": certificate_body(saml_idp.certificate),
        **fields,
    }
    return identity_provider_save(provider=IdentityProvider(**values))


def load_sp_metadata(saml_idp: SAMLProvider, live_server_url: str) -> str:
    url = f"{live_server_url}/accounts/saml/{SAML_SLUG}/metadata/"
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        xml = response.read().decode()
    saml_idp.load_sp_metadata(xml)
    return xml
