"""The latest-changes page costs the same number of queries for a trail of N and 2N rounds of
changes, under a ceiling: names for ids are fetched in one query per model, never per row."""

from __future__ import annotations

import itertools

import pghistory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Contact
from tenders.models import TenderStatus
from tests.api.conftest import make_tender
from tests.conftest import Cast, client_for

CEILING = 20
_serial = itertools.count(1)


def _round(cast: Cast) -> None:
    """40 events whose changes point at users, organisations, members and CPV codes."""
    n = next(_serial)
    with pghistory.context(user=cast.staff.pk):
        tender = make_tender(f"2097-{n:03d}", lead=cast.secretariat, lots=1)
        for i in range(12):
            tender.responsible = cast.staff if i % 2 else cast.admin
            tender.lead_organisation = cast.secretariat if i % 2 else cast.odense.organisation
            tender.status = TenderStatus.PREPARATION if i % 2 else TenderStatus.PUBLISHED
            tender.save()
        for i in range(12):
            Contact.objects.create(member=cast.odense if i % 2 else cast.aarhus, name=f"K {n} {i}")
        for i in range(12):
            cast.aarhus.organisation.name = f"Aarhus {n} {i}"
            cast.aarhus.organisation.save()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:recent"))
    assert response.status_code == 200
    return len(queries)


def test_the_audit_page_costs_the_same_for_twice_the_trail(cast) -> None:
    client = client_for(cast.staff)
    for _ in range(2):
        _round(cast)
    first = _queries(client)
    for _ in range(2):
        _round(cast)
    second = _queries(client)
    assert second == first <= CEILING
