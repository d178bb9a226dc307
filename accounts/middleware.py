"""Secretariat roles must set up two-factor authentication before they can use the portal."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

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
