# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""The consortium's tenders as open data: an OCDS 1.1 release package. Public, no token needed."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from consortium import tenancy

from ..auth import aware
from ..errors import ApiError, ErrorOut, ValidationErrorOut
from ..ocds.builder import published_tenders, release_package
from ..ocds.config import may_publish

PREFIX = "/ocds"
router = Router(tags=["open data (OCDS)"])


@router.get(
    "/releases.json",
    auth=None,
    response={200: dict[str, Any], 422: ValidationErrorOut, 429: ErrorOut, 503: ErrorOut},
    url_name="ocds_releases",
)
def ocds_releases(
    request: HttpRequest,
    since: datetime.datetime | None = Query(None, description="Releases dated on or after"),
    until: datetime.datetime | None = Query(None, description="Releases dated before"),
):
    """An OCDS 1.1 release package: one release per published tender, its current state.

    Answers 503 (`ocds_not_configured`) while the portal has no registered ocid prefix or no
    publisher CVR number: nothing is published under a placeholder."""
    if not may_publish():
        raise ApiError(
            503,
            "ocds_not_configured",
            _(
                "Open contracting data is not published yet: the portal's OCDS prefix or the "
                "publisher's CVR number is not configured."
            ),
        )
    # The release is the consortium's publication: built from every member's answers, of which
    # the builder publishes only what a contracting authority publishes anyway (api/ocds).
    with tenancy.across_members():
        tenders = published_tenders(
            since=aware(since) if since else None, until=aware(until) if until else None
        )
        return release_package(tenders, uri=request.build_absolute_uri())
