"""Every list page, export and API list costs the same number of queries for N and 2N objects.

Each case builds a little of everything (tenders with lots, answers and declarations;
agreements with suppliers, options, members and categories; articles; spend imports with lines;
jobs; and the audit events all of that leaves), measures the page, builds as much again and
measures again: the count must not move, and stays under the stated ceiling.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.services import agreement_create
from api.models import ApiToken
from cpv.models import CpvCode
from jobs.models import Job
from knowledge.models import Status
from members.models import Commitment
from spend.models import SpendImport, SpendLine, Supplier
from tenders.models import Participation, TenderStatus, VolumeDeclaration
from tests.api.conftest import make_tender, token_for
from tests.conftest import Cast, client_for
from tests.factories import UserFactory, valid_cvr
from tests.knowledge.conftest import make_article

N = 3
_serial = itertools.count(1)

# (path, role, ceiling). Pages read as the roles that see the most on them.
PAGES: list[tuple[str, str, int]] = [
    # The key figures beside last year's read its tenders' statuses from their history.
    ("/start/secretariat/", "staff", 42),
    ("/start/member/", "officer", 50),
    ("/start/board/", "board", 50),
    ("/tenders/", "staff", 20),
    ("/tenders/", "officer", 20),
    ("/tenders/mine/", "officer", 20),
    ("/agreements/", "staff", 20),
    ("/agreements/", "board", 20),
    ("/agreements/renewals/", "staff", 25),
    ("/agreements/compliance/", "staff", 30),
    ("/agreements/compliance/export.xlsx", "staff", 30),
    ("/knowledge/", "officer", 20),
    ("/knowledge/search/?q=udbud", "officer", 20),
    ("/knowledge/review/", "staff", 20),
    ("/knowledge/stale/", "staff", 20),
    ("/members/", "officer", 20),
    ("/members/municipalities/", "staff", 20),
    ("/spend/imports/", "officer", 20),
    ("/spend/imports/", "staff", 20),
    ("/spend/suppliers/", "staff", 20),
    ("/jobs/", "staff", 15),
    ("/users/", "admin", 15),
    ("/members/{odense}/", "officer", 40),
    ("/members/{odense}/", "board", 40),
    ("/agreements/compliance/outside/", "staff", 30),
    ("/agreements/compliance/outside/export.xlsx", "staff", 30),
    # /audit/ fetches one query of names per model its page's changes point at, so its count
    # follows the mix of models on the page: tests/audit/test_query_count.py holds the mix fixed.
    # The reports page holds every section of the board pack (with insight, the climate
    # footprint and the peer comparison since 2026-12) and the secretariat's working tables.
    ("/reports/", "staff", 100),
    ("/reports/", "board", 100),
    ("/reports/export/pipeline.xlsx", "board", 95),
    ("/insight/", "officer", 25),
    ("/insight/", "staff", 25),
    ("/insight/", "board", 25),
    ("/insight/money-left/", "officer", 15),
    ("/insight/export.xlsx", "staff", 25),
]

API: list[tuple[str, str, int]] = [
    ("/api/v1/members", "officer", 10),
    ("/api/v1/tenders", "officer", 10),
    ("/api/v1/agreements", "officer", 10),
    ("/api/v1/knowledge", "officer", 10),
    ("/api/v1/declarations", "officer", 10),
    ("/api/v1/ocds/releases.json", "anonymous", 15),
]


def _grow(cast: Cast, count: int) -> None:
    """`count` more of everything the lists show, in every state that adds to a page, made by a
    user as on the pages (so the audit trail names one)."""
    with pghistory.context(user=cast.staff.pk):
        _build(cast, count)


def _build(cast: Cast, count: int) -> None:
    cpv = CpvCode.objects.get(code8="30192000")
    today = timezone.localdate()
    for _ in range(count):
        n = next(_serial)
        statuses = [TenderStatus.VOLUME_COLLECTION, TenderStatus.PUBLISHED, TenderStatus.CONCLUDED]
        tender = make_tender(
            f"2096-{n:03d}",
            lead=cast.secretariat if n % 2 else cast.odense.organisation,
            status=statuses[n % 3],
            deadline_days=-30 if n % 3 else 10,
        )
        tender.additional_cpv.add(cpv)
        for member, answer in (
            (cast.odense, Participation.Answer.PARTICIPATE),
            (cast.aarhus, Participation.Answer.DECLINE if n % 2 else Participation.Answer.PENDING),
        ):
            participation = Participation.objects.create(
                tender=tender, member=member, answer=answer
            )
            if answer == Participation.Answer.PARTICIPATE:
                VolumeDeclaration.objects.create(
                    participation=participation, lot=tender.lots.first(),
                    annual_volume=Decimal("1000.00") * n,
                )  # fmt: skip
        supplier = Supplier.objects.create(cvr=valid_cvr(5000 + n), name=f"Leverandør {n}")
        agreement_create(
            number=f"Q-{n}", title=f"Aftale {n}", tender=tender, lot=tender.lots.first(),
            start_date=today - datetime.timedelta(days=400),
            base_end_date=today + datetime.timedelta(days=100 + n),
            members=[cast.odense, cast.aarhus], categories=[cpv],
            suppliers=[(supplier, 1)], option_months=[12],
            expected_annual_value=Decimal("500000.00"),
        )  # fmt: skip
        make_article(cast.staff, status=Status.PUBLISHED, title=f"Udbud af papir {n}",
                     summary="Om udbud", review_date=today - datetime.timedelta(days=1))  # fmt: skip
        make_article(cast.officer, status=Status.IN_REVIEW, title=f"Kladde om udbud {n}")
        UserFactory(email=f"bruger{n}@odense.test", organisation=cast.odense.organisation)
        job = Job.objects.create(
            kind="spend.import_file", title=f"Import {n}", organisation=cast.odense.organisation,
            started_by=cast.officer, task_name="spend.import_file", state=Job.State.SUCCEEDED,
        )  # fmt: skip
        spend_import = SpendImport.objects.create(
            member=cast.odense, uploaded_by=cast.officer, original_name=f"faktura-{n}.csv",
            sha256=f"{n:064d}", status=SpendImport.Status.IMPORTED, job=job,
        )  # fmt: skip
        SpendLine.objects.create(
            member=cast.odense, supplier=supplier, amount=Decimal("1234.50"),
            invoice_date=today - datetime.timedelta(days=20), cpv=cpv,
            fingerprint=f"q-{n}", spend_import=spend_import,
        )  # fmt: skip


@pytest.fixture
def world(cast: Cast) -> Cast:
    year = timezone.localdate().year
    for member in (cast.odense, cast.aarhus):
        commitment = Commitment.objects.create(
            member=member, start_year=year - 1, end_year=year + 2
        )
        commitment.binding_categories.add(CpvCode.objects.get(code8="30190000"))
    return cast


def _queries(get: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def _same_for_n_and_2n(cast: Cast, get: Any, ceiling: int) -> None:
    _grow(cast, N)
    get()  # first use: sessions, caches and the like
    small = _queries(get)
    _grow(cast, N)
    large = _queries(get)
    assert (small, large) == (small, small), f"{small} queries for {N}, {large} for {2 * N}"
    assert small <= ceiling


@pytest.mark.parametrize(("path", "role", "ceiling"), PAGES, ids=[f"{p}-{r}" for p, r, _ in PAGES])
def test_page_queries_do_not_grow_with_the_data(world, path, role, ceiling) -> None:
    client = client_for(world.user(role))
    path = path.format(odense=world.odense.pk)
    _same_for_n_and_2n(world, lambda: client.get(path), ceiling)


@pytest.mark.parametrize(("path", "role", "ceiling"), API, ids=[f"{p}-{r}" for p, r, _ in API])
def test_api_list_queries_do_not_grow_with_the_data(world, path, role, ceiling) -> None:
    from django.test import Client

    user = world.user(role)
    headers = {"Authorization": f"Bearer {token_for(user, ApiToken.Scope.READ)}"} if user else {}
    client = Client()
    _same_for_n_and_2n(world, lambda: client.get(path, headers=headers), ceiling)
