"""Bounded queries: each main page, export and API endpoint, read by each of the five roles, runs
the same number of SQL queries on a small world and on one with twice the data — under a stated
ceiling. A query count that grows with the rows (an N+1) fails here before it reaches 98 members
and ten million spend lines.

The world is built once for the module (the standard cast, commitments, and `_build` of
test_query_counts.py: tenders with answers and volumes, agreements, articles, users, jobs, spend
imports with lines, and the audit events all that leaves); each role's test measures its pages,
doubles the world in its own savepoint and measures again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pghistory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement
from api.models import ApiToken
from cpv.models import CpvCode
from knowledge.models import Article
from members.models import Commitment
from spend.models import Supplier
from tenders.models import Tender
from tests.api.conftest import token_for
from tests.conftest import Cast, build_cast, client_for, flush_deferred_checks, rolled_back
from tests.consortium.test_query_counts import _build

N = 3

# (path, ceiling) per role. `{tender}`, `{agreement}`, `{article}`, `{cvr}` and `{odense}` are
# objects of the first build; the later builds add more of everything around them.
PAGES: dict[str, list[tuple[str, int]]] = {
    "admin": [
        ("/start/secretariat/", 42),
        ("/users/", 15),
        ("/members/", 20),
        ("/members/municipalities/", 20),
        ("/jobs/", 15),
        ("/tenders/", 20),
        ("/agreements/", 20),
        ("/spend/imports/", 20),
        ("/reports/", 100),
    ],
    "staff": [
        ("/start/secretariat/", 42),
        ("/tenders/", 20),
        ("/tenders/{tender}/", 45),
        ("/tenders/plan/", 25),
        ("/agreements/", 20),
        ("/agreements/{agreement}/", 40),
        ("/agreements/{agreement}/export.xlsx", 40),
        ("/agreements/renewals/", 25),
        ("/agreements/compliance/", 30),
        ("/agreements/compliance/export.xlsx", 30),
        ("/agreements/compliance/members/{odense}/", 30),
        ("/agreements/compliance/outside/", 30),
        ("/spend/suppliers/", 20),
        ("/spend/suppliers/{cvr}/", 25),
        ("/knowledge/", 20),
        ("/knowledge/search/?q=udbud", 20),
        ("/knowledge/{article}/", 30),
        ("/members/{odense}/", 40),
        ("/reports/", 100),
        ("/reports/export/pipeline.xlsx", 95),
        ("/reports/scorecard/{odense}/", 60),
    ],
    "officer": [
        ("/start/member/", 50),
        ("/tenders/", 20),
        ("/tenders/mine/", 20),
        ("/tenders/{tender}/", 45),
        ("/agreements/", 20),
        ("/agreements/{agreement}/", 40),
        ("/spend/imports/", 20),
        ("/knowledge/", 20),
        ("/knowledge/{article}/", 30),
        ("/members/{odense}/", 40),
        ("/reports/scorecard/{odense}/", 60),
    ],
    "viewer": [
        ("/start/member/", 50),
        ("/tenders/", 20),
        ("/agreements/", 20),
        ("/knowledge/", 20),
        ("/members/{odense}/", 40),
        ("/reports/scorecard/{odense}/", 60),
    ],
    "board": [
        ("/start/board/", 50),
        ("/reports/", 100),
        ("/reports/export/pipeline.xlsx", 95),
        ("/agreements/", 20),
        ("/agreements/{agreement}/", 40),
        ("/members/{odense}/", 40),
        ("/tenders/", 20),
    ],
}

API: dict[str, list[tuple[str, int]]] = {
    "staff": [
        ("/api/v1/members", 10),
        ("/api/v1/tenders", 10),
        ("/api/v1/agreements", 10),
        ("/api/v1/spend/summary?group_by=supplier&member_id={odense}", 12),
        ("/api/v1/compliance/summary", 12),
    ],
    "officer": [
        ("/api/v1/members", 10),
        ("/api/v1/tenders", 10),
        ("/api/v1/agreements", 10),
        ("/api/v1/knowledge", 10),
        ("/api/v1/declarations", 10),
        ("/api/v1/spend/summary?group_by=month", 12),
        ("/api/v1/spend/summary?group_by=supplier", 12),
        ("/api/v1/spend/summary?group_by=cpv", 12),
        ("/api/v1/compliance/summary", 12),
    ],
    "viewer": [
        ("/api/v1/tenders", 10),
        ("/api/v1/spend/summary?group_by=month", 12),
    ],
    "board": [
        ("/api/v1/members", 10),
        ("/api/v1/agreements", 10),
    ],
}


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with rolled_back(django_db_blocker):
        cast = build_cast()
        year = timezone.localdate().year
        for member in (cast.odense, cast.aarhus):
            commitment = Commitment.objects.create(
                member=member, start_year=year - 1, end_year=year + 2
            )
            commitment.binding_categories.add(CpvCode.objects.get(code8="30190000"))
        with pghistory.context(user=cast.staff.pk):
            _build(cast, N)
        names = {
            "tender": Tender.objects.order_by("pk").first().reference,
            "agreement": Agreement.objects.order_by("pk").first().pk,
            "article": Article.objects.order_by("pk").first().pk,
            "cvr": Supplier.objects.order_by("pk").first().cvr,
            "odense": cast.odense.pk,
        }
        flush_deferred_checks()
        yield {"cast": cast, "names": names}


def _count(client: Client, path: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return len(queries)


def _measure(cast: Cast, role: str) -> dict[str, int]:
    names = _names
    user = cast.user(role)
    client = client_for(user)
    token = {"Authorization": f"Bearer {token_for(user, ApiToken.Scope.READ)}"}
    counts = {}
    client.get("/")  # first use: session, caches
    for path, _ in PAGES.get(role, []):
        url = path.format(**names)
        counts[url] = _count(client, url, {})
    api = Client()
    for n, (path, _) in enumerate(API.get(role, [])):
        url = path.format(**names)
        if not n:
            api.get(url, headers=token)  # first use: the token's last use, caches
        counts[url] = _count(api, url, token)
    return counts


_names: dict[str, Any] = {}


@pytest.mark.parametrize("role", ["admin", "staff", "officer", "viewer", "board"])
def test_queries_do_not_grow_with_the_data(built, db, role) -> None:
    cast: Cast = built["cast"]
    _names.update(built["names"])
    small = _measure(cast, role)
    with pghistory.context(user=cast.staff.pk):
        _build(cast, N)
    doubled = _measure(cast, role)
    grown = {url: (small[url], doubled[url]) for url in small if doubled[url] != small[url]}
    assert not grown, f"queries grew with the data ({N} → {2 * N} of everything): {grown}"
    ceilings = {
        path.format(**_names): ceiling for path, ceiling in PAGES.get(role, []) + API.get(role, [])
    }
    over = {url: (n, ceilings[url]) for url, n in small.items() if n > ceilings[url]}
    assert not over, f"over the ceiling (queries, ceiling): {over}"
