"""The portal's own middleware: the page language, and responses kept out of caches."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

from .logs import current_request_id


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


class PrivateResponseMiddleware:
    """`Cache-Control: private, no-store` on every response the portal itself makes.

    Pages, API answers, PDFs, XLSX/CSV exports and attachments may carry a member's data or a
    person's: no proxy may share them and no browser may keep them on disk or show them again
    from its history after the user signed out. A view that deliberately answers something public
    says so with `public` and is left alone. Static files are served before this middleware
    (WhiteNoise) and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        said = {
            d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")
        }
        if "public" not in said:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestIdMiddleware:
    """Answer with the request's id (`X-Request-ID`), the one its log lines and jobs carry, so a
    user reporting an error can quote it and the operator can find every line about it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        request_id = current_request_id()
        if request_id:
            response["X-Request-ID"] = request_id
        return response
