"""The language of the API's texts (error details, conflict messages): the caller's.

A program calling with a token (or with nothing) gets English unless it asks for another language
the portal speaks with `Accept-Language`; a signed-in portal session (the browsable docs) keeps
the portal's language, as every page does. Either way only `detail` changes, never `code`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LANGUAGE = "en"


def _is_session(request: HttpRequest) -> bool:
    """Signed in by the portal's session cookie and not calling with a token (a token wins)."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# The documentation page and its OpenAPI document also take `?lang=da|en` (the page's switch).
DOCS_URL_NAMES = ("openapi-view", "openapi-json")


def api_language(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name in DOCS_URL_NAMES:
        code = request.GET.get("lang", "")
        if code in dict(settings.LANGUAGES):
            return code
        if match.url_name == "openapi-view" and not _is_session(request):
            return settings.LANGUAGE_CODE  # a page of the portal: Danish, whatever the browser says
    if _is_session(request):
        return translation.get_language() or DEFAULT_LANGUAGE  # the portal middleware's choice
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


def in_callers_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run an API view in `api_language`, and say which language the answer is in."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = api_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return wrapper
