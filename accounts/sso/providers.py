"""allauth's OpenID Connect and SAML providers with the portal's two stricter rules.

Installed through `SOCIALACCOUNT_PROVIDERS[...]["provider_class"]`, they keep allauth's URLs.

* OpenID Connect: the ID token's signature is always checked against the provider's published
  keys (the login and callback views in `oidc/urls.py` build this adapter). (allauth skips the check for a token fetched over TLS, which the specification allows; an
  unsigned or wrongly signed token is refused here all the same.)
* SAML: the authentication context of the assertion (`AuthnContextClassRef`) is kept beside the
  attributes, so `strength` can read it.
"""

from __future__ import annotations

from typing import Any

import jwt
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.socialaccount.providers.saml.provider import SAMLProvider

AUTHN_CONTEXTS = "portal:authn_contexts"


class PortalOIDCAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        try:
            return jwtkit.verify_and_decode(
                credential=id_token,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except (KeyError, ValueError, TypeError, jwt.PyJWTError) as exc:
            # A token without a key id (unsigned, "alg": "none") or with one the provider does
            # not publish: not a token of this provider.
            raise OAuth2Error("Invalid id_token") from exc


class PortalOIDCProvider(OpenIDConnectProvider):
    # Its URLs (accounts/sso/oidc/urls.py) keep allauth's addresses and names.
    package = "accounts.sso.oidc"
    oauth2_adapter_class = PortalOIDCAdapter


class PortalSAMLProvider(SAMLProvider):
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data: Any) -> dict:
        extra = dict(data.get_attributes())
        extra[AUTHN_CONTEXTS] = list(data.get_last_authn_contexts() or [])
        return extra
