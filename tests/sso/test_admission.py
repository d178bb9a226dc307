"""Who may come in through an identity provider: the claims, read alike for OIDC and SAML."""

from __future__ import annotations

import pytest

from accounts.models import IdentityProvider, Organisation
from accounts.sso.admission import Refused, check_claims
from accounts.sso.claims import claims_of, is_strong
from accounts.sso.providers import AUTHN_CONTEXTS


def provider(**fields: object) -> IdentityProvider:
    values = {
        "organisation": Organisation(name="Odense", kind=Organisation.Kind.MEMBER),
        "protocol": IdentityProvider.Protocol.OIDC,
        "email_domains": ["odense.dk"],
        **fields,
    }
    return IdentityProvider(**values)


def oidc(**claims: object) -> dict:
    return claims_of({"id_token": claims, "userinfo": {}})


def test_domain_decides() -> None:
    assert check_claims(provider(), oidc(email="Anna@Odense.DK")).email == "anna@odense.dk"
    with pytest.raises(Refused):
        check_claims(provider(), oidc(email="anna@odense.dk.evil.test"))
    with pytest.raises(Refused):
        check_claims(provider(), oidc())


def test_cvr_claim_must_hold_an_accepted_number() -> None:
    idp = provider(cvr_claim="cvr", cvr_numbers=["35209115"])
    assert check_claims(idp, oidc(email="a@odense.dk", cvr="35209115"))
    with pytest.raises(Refused):
        check_claims(idp, oidc(email="a@odense.dk", cvr="29189617"))
    with pytest.raises(Refused):
        check_claims(idp, oidc(email="a@odense.dk"))


def test_verified_only_when_the_provider_says_so_or_is_trusted() -> None:
    assert not check_claims(provider(), oidc(email="a@odense.dk")).verified
    assert check_claims(provider(), oidc(email="a@odense.dk", email_verified=True)).verified
    assert check_claims(provider(trust_email=True), oidc(email="a@odense.dk")).verified


def test_strong_authentication_from_acr_amr_authn_context_and_nsis_level() -> None:
    idp = provider(
        strong_auth_values=["mfa", "https://data.gov.dk/concept/core/nsis/loa/Substantial", "High"]
    )
    assert is_strong(idp, oidc(amr=["pwd", "mfa"]))
    assert is_strong(idp, oidc(acr="https://data.gov.dk/concept/core/nsis/loa/Substantial"))
    assert not is_strong(idp, oidc(amr=["pwd"]))
    saml = {AUTHN_CONTEXTS: ["https://data.gov.dk/concept/core/nsis/loa/Substantial"]}
    assert is_strong(idp, claims_of(saml))
    assert is_strong(idp, claims_of({"https://data.gov.dk/concept/core/nsis/loa": ["High"]}))
    assert not is_strong(
        idp,
        claims_of(
            {AUTHN_CONTEXTS: ["urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"]}
        ),
    )


def test_userinfo_cannot_claim_strong_authentication() -> None:
    claims = claims_of({"id_token": {"amr": ["pwd"]}, "userinfo": {"amr": ["mfa"], "acr": "High"}})
    assert not is_strong(provider(strong_auth_values=["mfa", "High"]), claims)
