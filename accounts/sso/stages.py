"""The two-factor step of allauth's sign-in, skipped where the identity provider did it."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage
from django.http import HttpRequest

from .sessions import strong_for


class PortalAuthenticateStage(AuthenticateStage):
    """Ask for the portal's own code unless the provider asserted strong authentication."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if (
            sociallogin is not None
            and not isinstance(sociallogin, dict)
            and strong_for(sociallogin)
        ):
            return False
        return super()._should_handle(request)
