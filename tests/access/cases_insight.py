"""Access cases for the insight pages and API: volume kept, framework maximum, money left on
the table. A member's users see their own member's figures and lines, the secretariat every
member's, the board consortium tables only (no member's lines, no member's volume per
agreement)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .matrix import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, SECRETARIAT, Case, expect, only

UNAUTHORISED = 401
MEMBER_SIDE = expect(OK, anonymous=LOGIN, board=FORBIDDEN)
OTHER_MEMBER = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, board=FORBIDDEN)


def _member(name: str, member: str) -> Any:
    return lambda w: reverse(name, args=[getattr(w.cast, member).pk])


def _agreement(name: str) -> Any:
    return lambda w: reverse(name, args=[w.objects["agreement_odense"].pk])


CASES: list[Case] = [
    Case("insight:overview", expect(OK, anonymous=LOGIN)),
    Case("insight:export", expect(OK, anonymous=LOGIN)),
    Case(
        "insight:overview",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/insight/?year=x1",
        label="bad year",
    ),
    # The secretariat names the member; the board has no member's page.
    Case(
        "insight:money_left",
        expect(OK, anonymous=LOGIN, admin=REDIRECT, staff=REDIRECT, board=FORBIDDEN),
    ),
    Case(
        "insight:money_left_member",
        MEMBER_SIDE,
        path=_member("insight:money_left_member", "odense"),
    ),
    Case(
        "insight:money_left_member",
        OTHER_MEMBER,
        path=_member("insight:money_left_member", "aarhus"),
        label="other member",
    ),
    Case("insight:lines", MEMBER_SIDE, path=_member("insight:lines", "odense")),
    Case(
        "insight:lines", OTHER_MEMBER, path=_member("insight:lines", "aarhus"), label="other member"
    ),
    Case(
        "insight:money_left_export",
        MEMBER_SIDE,
        path=_member("insight:money_left_export", "odense"),
    ),
    Case(
        "insight:money_left_export",
        OTHER_MEMBER,
        path=_member("insight:money_left_export", "aarhus"),
        label="other member",
    ),
    Case("insight:agreement", expect(OK, anonymous=LOGIN), path=_agreement("insight:agreement")),
    Case("insight:settings", only(SECRETARIAT)),
    Case("insight:maximum", only(SECRETARIAT), path=_agreement("insight:maximum")),
    Case("insight:declarations", only(SECRETARIAT), path=_agreement("insight:declarations")),
    Case("api:insight_volume_kept", expect(OK, anonymous=UNAUTHORISED, board=FORBIDDEN)),
    Case(
        "api:insight_volume_kept",
        expect(NOT_FOUND, anonymous=UNAUTHORISED, admin=OK, staff=OK, board=FORBIDDEN),
        path=lambda w: f"/api/v1/insight/volume-kept?member_id={w.cast.aarhus.pk}",
        label="other member",
    ),
    Case("api:insight_off_contract", expect(OK, anonymous=UNAUTHORISED)),
    Case(
        "api:insight_off_contract",
        expect(NOT_FOUND, anonymous=UNAUTHORISED, admin=OK, staff=OK, board=FORBIDDEN),
        path=lambda w: f"/api/v1/insight/off-contract?member_id={w.cast.aarhus.pk}",
        label="other member",
    ),
    Case("api:insight_framework_consumption", expect(OK, anonymous=UNAUTHORISED)),
]
