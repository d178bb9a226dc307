"""Who is calling: a personal token (`Authorization: Bearer 12by_…`) or the portal session.

Either way the caller is a portal user, and every endpoint decides with accounts/access.py exactly
as the pages do. A token adds one limit of its own: a read-only token never writes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AuthRateThrottle

from accounts.access import ALL_ROLES, acting_for, has_role
from consortium import tenancy

from .errors import ApiError
from .services import api_token_authenticate
from .tokens import token_looks_valid


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token_looks_valid(token):
            raise ApiError(401, "token_invalid", _("The token is not valid."))
        api_token = api_token_authenticate(secret=token)
        if api_token is None:
            raise ApiError(401, "token_invalid", _("The token is not valid."))
        if api_token.is_revoked:
            raise ApiError(401, "token_revoked", _("The token has been revoked."))
        if api_token.is_expired:
            raise ApiError(401, "token_expired", _("The token has expired."))
        user = api_token.user
        if not user.is_active:
            raise ApiError(401, "token_invalid", _("The token is not valid."))
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        # The request began as nobody (no session): from here on it acts as the token's user.
        tenancy.switch_to(acting_for(user))
        return user


class PortalSessionAuth(SessionAuth):
    """The signed-in portal user (the browsable docs use it); writes need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        request.api_token = None  # type: ignore[attr-defined]
        return super().authenticate(request, key)


def aware(value: datetime.datetime) -> datetime.datetime:
    """A client's datetime in UTC (taken as UTC when it has no offset).

    Python accepts offsets up to ±24 hours and PostgreSQL only up to ±16, so it is converted here.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ApiError(422, "invalid", _("The date and time is out of range.")) from None


def caller(request: HttpRequest, roles: frozenset[str] | set[str] = ALL_ROLES) -> Any:
    """The calling user, if their role is one of `roles`; 403 otherwise."""
    user = request.auth  # type: ignore[attr-defined]
    if not has_role(user, roles):
        raise ApiError(403, "permission_denied", _("Your role may not do this."))
    return user


def require_write_scope(request: HttpRequest) -> None:
    """Refuse writes made with a read-only token (the session may write as the pages may)."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise ApiError(
            403, "insufficient_scope", _("This token can only read; create a read-write token.")
        )


class ApiThrottle(AuthRateThrottle):
    """Per caller (token or session user, else IP); the rate is read from settings on each call."""

    def __init__(self) -> None:
        super().__init__(rate="1/s")

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "API_THROTTLE_RATE", "600/m")
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
