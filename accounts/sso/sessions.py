"""A session started through an identity provider: what the provider asserted, and its end.

On sign-in through a provider the session keeps the provider, the person's id there, the
provider's session id (OIDC `sid`) and whether the provider asserted strong authentication.
`ProviderLogoutMiddleware` ends the session at its next request once the provider has said (by
back-channel logout) that the person's session there has ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import ProviderLogout

from .claims import claims_of, first, is_strong
from .config import identity_provider_for

SSO_SESSION = "portal_sso"


def strong_for(sociallogin: Any) -> bool:
    idp = identity_provider_for(sociallogin.account.provider)
    return idp is not None and is_strong(idp, claims_of(sociallogin.account.extra_data or {}))


def remember_sign_in(sender: object, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """allauth's user_logged_in: mark a session started through an identity provider."""
    if not hasattr(request, "session"):
        return
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:
        request.session.pop(SSO_SESSION, None)
        return
    claims = claims_of(sociallogin.account.extra_data or {})
    request.session[SSO_SESSION] = {
        "provider": sociallogin.account.provider,
        "subject": sociallogin.account.uid,
        "sid": first(claims, "sid"),
        "strong": strong_for(sociallogin),
        "at": time.time(),
    }


def strong_session(request: HttpRequest) -> bool:
    """Whether this session's sign-in was through a provider that asserted strong authentication."""
    marker = getattr(request, "session", {}).get(SSO_SESSION) or {}
    return bool(marker.get("strong"))


class ProviderLogoutMiddleware:
    """End a session whose identity provider has since said the person signed out there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # python3-saml (allauth's SAML provider) reads the Host header itself: a request without
        # one (HTTP/1.0) gets the host Django validated, not a server error.
        request.META.setdefault("HTTP_HOST", request.get_host())
        marker = request.session.get(SSO_SESSION) if hasattr(request, "session") else None
        if marker and request.user.is_authenticated and self._ended(marker):
            logout(request)
            messages.info(request, _("Your organisation's identity provider has signed you out."))
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect("/accounts/login/")
            return redirect("account_login")
        return self.get_response(request)

    @staticmethod
    def _ended(marker: dict) -> bool:
        started = datetime.fromtimestamp(float(marker.get("at", 0)), tz=UTC)
        subject = marker.get("subject", "")
        # A token naming the provider's session ends that session; one naming only the person
        # ends all of theirs.
        if marker.get("sid"):
            match = Q(session_id=marker["sid"]) | Q(subject=subject, session_id="")
        else:
            match = Q(subject=subject)
        return ProviderLogout.objects.filter(
            match, provider__slug=marker.get("provider", ""), received_at__gte=started
        ).exists()
