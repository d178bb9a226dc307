"""Access cases for single sign-on: the provider pages (secretariat administrator only) and the
endpoints identity providers and browsers reach without a session (public by nature)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.models import IdentityProvider
from accounts.sso.services import identity_provider_save
from tests.sso.certs import certificate_body, key_and_certificate

from .matrix import LOGIN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Case, expect, only


def setup(world: Any) -> None:
    organisation = world.cast.odense.organisation
    world.objects["oidc"] = identity_provider_save(
        provider=IdentityProvider(
            organisation=organisation, name="Odense Kommune", slug="odense-entra",
            protocol=IdentityProvider.Protocol.OIDC, email_domains=["odense.dk"],
            issuer_url="http://127.0.0.1:9/", client_id="portal",
        ),
        client_secret="matrix-secret",
    )  # fmt: skip
    world.objects["saml"] = identity_provider_save(
        provider=IdentityProvider(
            organisation=organisation, name="Odense Kommune (SAML)", slug="odense-saml",
            protocol=IdentityProvider.Protocol.SAML, email_domains=["odense.dk"],
            idp_entity_id="https://idp.odense.test", idp_sso_url="http://127.0.0.1:9/sso",
            idp_x509cert=certificate_body(key_and_certificate("matrix-idp")[1]),
        )
    )  # fmt: skip


def _pk(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[w.objects[key].pk])


def _slug(name: str, slug: str) -> str:
    kwarg = "provider_id" if name.startswith("openid") else "organization_slug"
    return reverse(name, kwargs={kwarg: slug})


ADMIN = ("admin",)
PUBLIC_OK = expect(OK)

CASES: list[Case] = [
    # --- the secretariat administrator's pages --------------------------------------------------
    Case("accounts:identity_provider_list", only(ADMIN)),
    Case("accounts:identity_provider_new", only(ADMIN)),
    Case(
        "accounts:identity_provider_new",
        only(ADMIN, 400),
        method="post",
        data={"name": "Uden resten"},
        label="POST incomplete",
    ),
    Case(
        "accounts:identity_provider_edit",
        only(ADMIN),
        path=_pk("accounts:identity_provider_edit", "oidc"),
    ),
    Case(
        "accounts:identity_provider_edit",
        only(ADMIN, NOT_FOUND),
        path="/users/identity-providers/999999/",
        label="missing",
    ),
    Case(
        "accounts:identity_provider_delete",
        only(ADMIN, REDIRECT),
        path=_pk("accounts:identity_provider_delete", "oidc"),
        method="post",
    ),
    Case(
        "accounts:identity_provider_delete",
        expect(METHOD_NOT_ALLOWED),
        path=_pk("accounts:identity_provider_delete", "oidc"),
        label="GET",
    ),
    # --- the sign-in choice: anyone may ask to be sent to a provider --------------------------------
    Case("accounts:sso_start", expect(LOGIN), method="post", label="nothing chosen"),
    Case(
        "accounts:sso_start",
        expect(REDIRECT),
        method="post",
        data={"provider": "odense-saml"},
        label="SAML provider",
    ),
    Case("accounts:sso_start", expect(METHOD_NOT_ALLOWED), label="GET"),
    # --- back-channel logout: the provider calls it, with a signed token -------------------------
    Case(
        "accounts:sso_backchannel_logout",
        expect(METHOD_NOT_ALLOWED),
        path="/sso/odense-entra/backchannel-logout/",
        label="GET",
    ),
    Case(
        "accounts:sso_backchannel_logout",
        expect(NOT_FOUND),
        path="/sso/no-such-provider/backchannel-logout/",
        method="post",
        label="unknown provider",
    ),
    # --- allauth's provider endpoints: public by nature ----------------------------------------
    Case("openid_connect_login", PUBLIC_OK, path=_slug("openid_connect_login", "odense-entra")),
    Case(
        "openid_connect_login",
        expect(NOT_FOUND),
        path=_slug("openid_connect_login", "no-such-provider"),
        label="unknown provider",
    ),
    # Without a code from the provider: the portal's "sign-in failed" page, 401.
    Case(
        "openid_connect_callback",
        expect(401),
        path=_slug("openid_connect_callback", "odense-entra"),
        label="without a code",
    ),
    Case("saml_metadata", PUBLIC_OK, path=_slug("saml_metadata", "odense-saml")),
    Case(
        "saml_metadata",
        expect(NOT_FOUND),
        path=_slug("saml_metadata", "no-such-provider"),
        label="unknown provider",
    ),
    # GET shows the "continue to your organisation" page; the sign-in itself is a POST.
    Case("saml_login", PUBLIC_OK, path=_slug("saml_login", "odense-saml")),
    Case("saml_acs", expect(REDIRECT), path=_slug("saml_acs", "odense-saml"), method="post"),
    # Without an answer from the provider: "sign-in failed" (401); a logout without a request: 400.
    Case("saml_finish_acs", expect(401), path=_slug("saml_finish_acs", "odense-saml")),
    Case("saml_sls", expect(400), path=_slug("saml_sls", "odense-saml")),
    Case("socialaccount_login_cancelled", PUBLIC_OK),
    Case("socialaccount_login_error", expect(401)),
    # Sign-up through a provider is closed (users come in by the admission rules only).
    Case("socialaccount_signup", expect(LOGIN)),
    Case("socialaccount_connections", expect(OK, anonymous=LOGIN)),
    # allauth's old addresses under social/ send on to the current ones.
    *(
        Case(route, expect(REDIRECT), path="/" + route)
        for route in (
            "accounts/social/login/cancelled/",
            "accounts/social/login/error/",
            "accounts/social/signup/",
            "accounts/social/connections/",
        )
    ),
]
