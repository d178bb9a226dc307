"""One error body for every failure the API answers: `{"detail": ..., "code": ...}`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)


class ErrorOut(Schema):
    detail: str
    code: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str
    code: str
    errors: list[FieldError]


class ApiError(Exception):
    """Raise in an endpoint to answer `status` with a message and a machine-readable code."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


# The error responses every authenticated operation may give; endpoints add 404/409/… as needed.
AUTH_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
NOT_FOUND: dict[int, Any] = {404: ErrorOut}


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, detail: str
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail, "code": code}
    if status == 422:
        body["errors"] = []
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every exception the API can meet to the one error body."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, exc.detail)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = _("Send a valid token: Authorization: Bearer …")
        return _error(api, request, 401, "not_authenticated", detail)

    @api.exception_handler(AuthorizationError)
    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 403, "permission_denied", _("Your role may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = _error(api, request, 429, "throttled", _("Too many requests; slow down."))
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "loc": [str(part) for part in error.get("loc", [])],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
            for error in exc.errors
        ]
        body = {"detail": _("The request is not valid."), "code": "invalid", "errors": errors}
        return api.create_response(request, body, status=422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 403: "permission_denied", 405: "method_not_allowed"}
        # Ninja's own texts are English: the ones it can raise are said again in the caller's
        # language ("Cannot parse request body", "CSRF check Failed").
        details = {
            400: _("The request body could not be read."),
            403: _("The CSRF check failed: send the CSRF token with the request."),
            405: _("This method is not allowed here."),
        }
        detail = details.get(exc.status_code, str(exc))
        return _error(api, request, exc.status_code, codes.get(exc.status_code, "error"), detail)
