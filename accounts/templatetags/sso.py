from __future__ import annotations

from django import template

from accounts.models import IdentityProvider
from accounts.sso.views import sign_in_choices

register = template.Library()


@register.simple_tag
def sso_providers() -> list[IdentityProvider]:
    """The identity providers the sign-in page offers."""
    return sign_in_choices()
