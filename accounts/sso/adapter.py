"""allauth's social-account adapter: apps from IdentityProvider rows, and the admission rules."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect

from .admission import Refused, check_claims, check_linked_user, user_for_admission
from .claims import claims_of
from .config import identity_provider_for, social_apps


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: Any = None, client_id: Any = None
    ) -> list:
        return social_apps(provider=provider, client_id=client_id)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # Users are created by the admission rules in pre_social_login, never by allauth's
        # sign-up form.
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        idp = identity_provider_for(sociallogin.account.provider)
        try:
            # Only signing in: connecting a provider account to whoever is signed in would let
            # one person's provider account open another person's user.
            if idp is None or sociallogin.state.get("process") not in (None, AuthProcess.LOGIN):
                raise Refused("")
            claims = claims_of(sociallogin.account.extra_data or {})
            admission = check_claims(idp, claims, fallback_email=sociallogin.user.email or "")
            if sociallogin.is_existing:
                check_linked_user(idp, sociallogin.user)
                return
            user = user_for_admission(idp, admission, claims)
        except Refused as refusal:
            if refusal.message:
                messages.error(request, refusal.message)
            raise ImmediateHttpResponse(redirect("account_login")) from None
        sociallogin.connect(request, user)
