"""The latest-changes page costs the same number of queries for a trail of N and 2N rounds of
changes (two rounds more), under a ceiling: names for ids are fetched in one query per model, never per row."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pghistory
import pghistory.core
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Contact
from tenders.models import Tender, TenderStatus
from tests.api.conftest import make_tender
from tests.conftest import Cast, client_for

CEILING = 20
_serial = itertools.count(1)


def _age_events_so_far() -> None:
    """Date every event so far an hour back: the events of one test share the transaction's
    time, and the page must hold the newest round only, however the tables' ids interleave."""
    for model in pghistory.core.event_models():
        model.objects.update(pgh_created_at=F("pgh_created_at") - timedelta(hours=1))


def _round(cast: Cast, tender: Tender) -> None:
    """60 events whose changes point at users, organisations and members."""
    n = next(_serial)
    _age_events_so_far()
    with pghistory.context(user=cast.staff.pk):
        for i in range(30):
            tender.responsible = cast.staff if i % 2 else cast.admin
            tender.lead_organisation = cast.secretariat if i % 2 else cast.odense.organisation
            tender.status = TenderStatus.PREPARATION if i % 2 else TenderStatus.PUBLISHED
            tender.save()
        for i in range(30):
            Contact.objects.create(member=cast.odense if i % 2 else cast.aarhus, name=f"K {n} {i}")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:recent"))
    assert response.status_code == 200
    return len(queries)


def test_the_audit_page_costs_the_same_for_twice_the_trail(cast) -> None:
    client = client_for(cast.staff)
    tender = make_tender(f"2097-{next(_serial):03d}", lead=cast.secretariat, lots=1)
    _round(cast, tender)
    first = _queries(client)
    for _ in range(2):
        _round(cast, tender)
    second = _queries(client)
    assert second == first <= CEILING
