"""Access cases for the climate footprint pages.

The consortium page goes to the secretariat and the board (member users are sent to their own
member's page); a member's page and its spreadsheet to the secretariat and that member's users
(the board reads only the per-member totals on the consortium page: 403); metered consumption is
entered by an officer for its own member and by the secretariat; the factors are read by everyone
signed in and changed by the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .matrix import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    Case,
    expect,
    only,
)


def _member(name: str, key: str) -> Any:
    return lambda w: reverse(name, args=[getattr(w.cast, key).pk])


UNAUTHORISED = 401


def _api_member(key: str) -> Any:
    return lambda w: f"/api/v1/insight/climate?member_id={getattr(w.cast, key).pk}"


METERED = {
    "year": "2026",
    "kind": "electricity",
    "kwh": "1.000",
    "kg_per_kwh": "0,1",
    "factor_source": "Energinet",
}

CASES: list[Case] = [
    Case(
        "climate:overview",
        expect(OK, anonymous=LOGIN, officer=REDIRECT, viewer=REDIRECT),
    ),
    Case("climate:export", only((*SECRETARIAT, "board"))),
    Case("climate:factors", expect(OK, anonymous=LOGIN)),
    Case("climate:factor_version_new", only(SECRETARIAT)),
    Case(
        "climate:member",
        expect(OK, anonymous=LOGIN, board=FORBIDDEN),
        path=_member("climate:member", "odense"),
        label="own member",
    ),
    Case(
        "climate:member",
        expect(OK, anonymous=LOGIN, officer=NOT_FOUND, viewer=NOT_FOUND, board=FORBIDDEN),
        path=_member("climate:member", "aarhus"),
        label="other member",
    ),
    Case(
        "climate:member_export",
        expect(OK, anonymous=LOGIN, board=FORBIDDEN),
        path=_member("climate:member_export", "odense"),
        label="own member",
    ),
    Case(
        "climate:member_export",
        expect(OK, anonymous=LOGIN, officer=NOT_FOUND, viewer=NOT_FOUND, board=FORBIDDEN),
        path=_member("climate:member_export", "aarhus"),
        label="other member",
    ),
    Case(
        "climate:metered",
        expect(REDIRECT, anonymous=LOGIN, viewer=FORBIDDEN, board=FORBIDDEN),
        path=_member("climate:metered", "odense"),
        method="post",
        data=METERED,
        label="own member",
    ),
    Case(
        "climate:metered",
        expect(REDIRECT, anonymous=LOGIN, officer=NOT_FOUND, viewer=FORBIDDEN, board=FORBIDDEN),
        path=_member("climate:metered", "aarhus"),
        method="post",
        data=METERED,
        label="other member",
    ),
    Case(
        "climate:metered",
        expect(METHOD_NOT_ALLOWED),
        path=_member("climate:metered", "odense"),
        label="GET",
    ),
    Case("api:insight_climate", expect(OK, anonymous=UNAUTHORISED)),
    Case(
        "api:insight_climate",
        expect(OK, anonymous=UNAUTHORISED, board=FORBIDDEN),
        path=_api_member("odense"),
        label="own member",
    ),
    Case(
        "api:insight_climate",
        expect(OK, anonymous=UNAUTHORISED, officer=NOT_FOUND, viewer=NOT_FOUND, board=FORBIDDEN),
        path=_api_member("aarhus"),
        label="other member",
    ),
]
