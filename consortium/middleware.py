"""Choosing the page language: Danish unless the user asked for English."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PortalLocaleMiddleware(LocaleMiddleware):
    """Danish by default, English only when chosen — never guessed from the browser.

    A Danish public-sector portal speaks Danish to everyone whose browser happens to be set to
    English; the language switcher (a cookie) or the user's saved choice changes it.
    """

    def process_request(self, request: HttpRequest) -> None:
        available = dict(settings.LANGUAGES)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if language not in available and user is not None and user.is_authenticated:
            language = getattr(user, "language", None)
        if language not in available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
