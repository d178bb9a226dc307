"""A request that only reads runs its statements in one transaction: the user's acting context
is handed to PostgreSQL once, not before every statement (consortium/middleware.py)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from consortium.middleware import ReadTransactionMiddleware
from tests.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hand_overs(monkeypatch) -> list[object]:
    """Every hand-over of an acting context to PostgreSQL (one statement each)."""
    seen: list[object] = []
    original = connection.hand_over_acting

    def spy(acting):
        seen.append(acting)
        return original(acting)

    monkeypatch.setattr(connection, "hand_over_acting", spy)
    return seen


def test_a_page_hands_the_context_over_when_it_changes_not_per_statement(
    cast, hand_overs, settings
) -> None:
    counts = {}
    for wrapped in (True, False):
        if not wrapped:
            settings.MIDDLEWARE = [
                m for m in settings.MIDDLEWARE if not m.endswith("ReadTransactionMiddleware")
            ]
        client = client_for(cast.officer)  # a client loads the middleware once
        client.get("/start/member/")  # sessions and caches warm
        hand_overs.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/start/member/")
        assert response.status_code == 200
        assert "Odense" in response.content.decode()  # the member's own rows, under the policies
        counts[wrapped] = (len(hand_overs), len(queries))
    (wrapped, statements), (unwrapped, _statements) = counts[True], counts[False]
    assert statements >= 20
    assert unwrapped * 2 >= statements  # about one per statement (not the session's: nobody's)
    assert wrapped * 3 <= unwrapped, counts  # only when the page changes who acts


def test_a_write_is_left_to_its_own_transactions(cast, hand_overs) -> None:
    seen = []

    def view(request):
        seen.append(connection.in_atomic_block)
        return HttpResponse()

    ReadTransactionMiddleware(view)(_request("POST"))
    ReadTransactionMiddleware(view)(_request("GET"))
    assert seen == [False, True]


def test_a_failed_read_keeps_nothing_it_wrote(db) -> None:
    def failing(request):
        Organisation.objects.create(kind=Organisation.Kind.MEMBER, name="Midlertidig", slug="m1")
        return HttpResponse(status=500)

    def passing(request):
        Organisation.objects.create(kind=Organisation.Kind.MEMBER, name="Varig", slug="m2")
        return HttpResponse()

    ReadTransactionMiddleware(failing)(_request("GET"))
    ReadTransactionMiddleware(passing)(_request("HEAD"))
    assert not connection.in_atomic_block
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["m2"]


def test_inside_a_transaction_already_nothing_changes(db) -> None:
    with transaction.atomic():
        seen = []
        ReadTransactionMiddleware(
            lambda r: seen.append(connection.savepoint_ids[:]) or HttpResponse()
        )(_request("GET"))
        assert seen == [[]]  # no savepoint of its own


def _request(method: str):
    from django.test import RequestFactory

    return RequestFactory().generic(method, "/")
