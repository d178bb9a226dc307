"""Session rules: secretariat roles must set up two-factor authentication (or sign in through an
identity provider that asserts strong authentication), and a session ends after a spell without
activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from consortium import tenancy

from .access import acting_for
from .sso.sessions import strong_session

# Paths a secretariat user without MFA may still reach: the account pages (where MFA is set up,
# and sign-out), language switching, static files and the health check.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_MFA_FOR_SECRETARIAT
            and user.is_authenticated
            and getattr(user, "is_secretariat", False)
            and not request.path.startswith(ALLOWED_PREFIXES)
            # A sign-in through the organisation's identity provider with strong authentication
            # (acr/amr, AuthnContextClassRef, NSIS substantial or high) is two-factor already.
            and not strong_session(request)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            target = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            messages.warning(
                request,
                _(
                    "Your role in the secretariat requires two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(target)
        return self.get_response(request)


# When the signed-in user was last seen (Unix seconds), kept in the session.
LAST_SEEN = "portal_last_seen"
# Write the time at most this often: a page with many htmx requests does not save the session
# for each of them.
LAST_SEEN_RESOLUTION = 60


def idle_limit(user: object) -> int:
    """Seconds without activity after which `user` is signed out.

    The secretariat reaches every member's data, so its sessions end sooner (30 minutes unless
    SESSION_IDLE_SECONDS_SECRETARIAT says otherwise); everyone else's after SESSION_IDLE_SECONDS.
    """
    if getattr(user, "is_secretariat", False):
        return settings.SESSION_IDLE_SECONDS_SECRETARIAT
    return settings.SESSION_IDLE_SECONDS


def start_idle_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On sign-in: the session's last activity is now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign a user out after a spell without requests, and say so on the sign-in page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            limit = idle_limit(user)
            if isinstance(last, int) and now - last > limit:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": limit // 60},
                )
                target = (
                    f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
                )
                # (django-htmx's middleware runs later: read the header itself.)
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(target)
                return redirect(target)
            if not isinstance(last, int) or now - last >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class ActingContextMiddleware:
    """Every request runs in its user's acting context (accounts.access.acting_for), so the
    database's row-level security sees what the user may see and no more. Anonymous requests act
    as nobody; an API token's user is switched to once the API has authenticated it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with tenancy.acting_as(acting_for(request.user)):
            return self.get_response(request)
