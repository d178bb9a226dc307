"""The portal's own middleware: the page language, responses kept out of caches, and reads in
one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
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


class ReadTransactionMiddleware:
    """A GET, HEAD or OPTIONS request runs all its statements in one transaction.

    Under row-level security every statement must know who is acting (consortium/db/base.py): a
    statement outside a transaction is wrapped in one of its own that first hands the acting
    context over, three round trips where one would do (`bench/row_level_security.py`: 4.3 ms
    against 2.2 ms a statement under load). A page reads some 20 to 50 times; in one transaction
    the context is handed over when the user is known and stays. Writes (POST and the like) keep
    their services' own transactions, so a view's error handling works as it was written.

    A failed request (status 500) keeps nothing it wrote. A request that is already inside a
    transaction (a test's) is left as it is, and so is one made while the database does not
    answer (the health check says so itself).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in self.SAFE_METHODS or connection.in_atomic_block:
            return self.get_response(request)
        try:
            connection.ensure_connection()
        except DatabaseError:  # the health check answers that itself
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
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
