# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""The consortium's tenders as open data: an OCDS 1.1 release package. Public, no token needed."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ..auth import aware
from ..errors import ErrorOut, ValidationErrorOut
from ..ocds.builder import published_tenders, release_package

PREFIX = "/ocds"
router = Router(tags=["open data (OCDS)"])


@router.get(
    "/releases.json",
    auth=None,
    response={200: dict[str, Any], 422: ValidationErrorOut, 429: ErrorOut},
    url_name="ocds_releases",
)
def ocds_releases(
    request: HttpRequest,
    since: datetime.datetime | None = Query(None, description="Releases dated on or after"),
    until: datetime.datetime | None = Query(None, description="Releases dated before"),
):
    """An OCDS 1.1 release package: one release per published tender, its current state."""
    tenders = published_tenders(
        since=aware(since) if since else None, until=aware(until) if until else None
    )
    return release_package(tenders, uri=request.build_absolute_uri())
