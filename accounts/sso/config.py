"""allauth's SocialApp, built in memory from the portal's IdentityProvider rows.

allauth reads an app's settings per request (`SocialAccountAdapter.list_apps`), so each
organisation's provider has its own configuration without a settings file and without allauth's
own SocialApp table, whose client secret would be stored in clear text.
"""

from __future__ import annotations

from allauth.socialaccount.models import SocialApp

from accounts.models import IdentityProvider

from . import crypto

OIDC = "openid_connect"
SAML = "saml"


def allauth_provider(protocol: str) -> str:
    return OIDC if protocol == IdentityProvider.Protocol.OIDC else SAML


def social_app(idp: IdentityProvider) -> SocialApp:
    """The unsaved SocialApp allauth uses for one identity provider."""
    if idp.protocol == IdentityProvider.Protocol.OIDC:
        return SocialApp(
            provider=OIDC,
            provider_id=idp.slug,
            name=idp.name,
            client_id=idp.client_id,
            secret=crypto.decrypt(idp.client_secret_encrypted),
            settings={
                "server_url": idp.issuer_url,
                "uid_field": idp.uid_claim or "sub",
                "oauth_pkce_enabled": True,
                "scope": idp.scopes.split(),
            },
        )
    attributes = {"email": [idp.email_attribute]} if idp.email_attribute else {}
    if idp.uid_attribute:
        attributes["uid"] = [idp.uid_attribute]
    idp_settings: dict = (
        {"entity_id": idp.idp_entity_id, "metadata_url": idp.idp_metadata_url}
        if idp.idp_metadata_url
        else {
            "entity_id": idp.idp_entity_id,
            "sso_url": idp.idp_sso_url,
            "x509cert": idp.idp_x509cert,
        }
    )
    return SocialApp(
        provider=SAML,
        provider_id=idp.slug,
        name=idp.name,
        client_id=idp.slug,
        settings={
            "attribute_mapping": attributes,
            "idp": idp_settings,
            "sp": {"entity_id": idp.sp_entity_id} if idp.sp_entity_id else {},
            "advanced": {
                "strict": True,
                # Only signed assertions count; the portal starts every sign-in itself.
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "allow_single_label_domains": True,
            },
        },
    )


def identity_provider_for(slug: str) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.select_related("organisation")
        .filter(slug=slug, enabled=True)
        .first()
    )


def social_apps(provider: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """The apps of the enabled identity providers that match allauth's lookup."""
    rows = IdentityProvider.objects.filter(enabled=True).select_related("organisation")
    apps = [social_app(row) for row in rows]
    if provider:
        apps = [app for app in apps if provider in (app.provider, app.provider_id)]
    if client_id:
        apps = [app for app in apps if app.client_id == client_id]
    return apps
