"""OpenID Connect Back-Channel Logout 1.0: the provider tells the portal a session has ended.

The provider POSTs a signed logout token; it is checked (signature against the provider's
published keys, issuer, audience, age, the back-channel logout event, no nonce) and recorded as a
`ProviderLogout`, which ends the person's portal sessions from that provider at their next
request (`sessions.ProviderLogoutMiddleware`). Answers as the specification says: 200 when
accepted, 400 otherwise, never cached.
"""

from __future__ import annotations

import time

import jwt
from allauth.socialaccount.adapter import get_adapter
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import IdentityProvider, ProviderLogout

from .config import identity_provider_for

LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_AGE_SECONDS = 300


class InvalidLogoutToken(Exception):
    pass


def _discovery(idp: IdentityProvider) -> dict:
    url = idp.issuer_url.rstrip("/")
    if "/.well-known/" not in url:
        url += "/.well-known/openid-configuration"
    with get_adapter().get_requests_session() as session:
        response = session.get(url)
        response.raise_for_status()
        return response.json()


def verify_logout_token(idp: IdentityProvider, token: str) -> dict:
    try:
        config = _discovery(idp)
        key = jwt.PyJWKClient(config["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key=key.key,
            algorithms=["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"],
            audience=idp.client_id,
            issuer=config["issuer"],
            options={"require": ["iat", "iss", "aud"]},
        )
    except Exception as exc:
        raise InvalidLogoutToken(str(exc)) from exc
    if LOGOUT_EVENT not in (claims.get("events") or {}):
        raise InvalidLogoutToken("no back-channel logout event")
    if "nonce" in claims:
        raise InvalidLogoutToken("a logout token carries no nonce")
    if not (claims.get("sub") or claims.get("sid")):
        raise InvalidLogoutToken("neither sub nor sid")
    if abs(time.time() - float(claims["iat"])) > MAX_AGE_SECONDS:
        raise InvalidLogoutToken("too old")
    return claims


def _answer(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def backchannel_logout(request: HttpRequest, slug: str) -> HttpResponse:
    idp = identity_provider_for(slug)
    if idp is None or idp.protocol != IdentityProvider.Protocol.OIDC:
        raise Http404
    try:
        claims = verify_logout_token(idp, request.POST.get("logout_token", ""))
    except InvalidLogoutToken:
        return _answer(400)
    ProviderLogout.objects.create(
        provider=idp, subject=str(claims.get("sub") or ""), session_id=str(claims.get("sid") or "")
    )
    return _answer(200)
