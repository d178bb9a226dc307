"""Lists that grow with a national body (thousands of agreements and users) come a page at a
time, and the pager keeps the filter of the address."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from agreements.models import Agreement
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_agreements_fifty_to_a_page_with_the_filter_kept(cast) -> None:
    Agreement.objects.bulk_create(
        Agreement(
            number=f"L-{n:03d}",
            title=f"Aftale {n}",
            start_date=datetime.date(2025, 1, 1),
            base_end_date=datetime.date(2028, 12, 31),
            end_date=datetime.date(2028, 12, 31),
            agreement_price_level=Decimal("92"),
        )
        for n in range(60)
    )
    client = client_for(cast.staff)
    first = client.get("/agreements/", {"status": "active"}).content.decode()
    second = client.get("/agreements/", {"status": "active", "page": 2}).content.decode()
    assert first.count(">L-0") == 50
    assert second.count(">L-0") == 10
    assert "?status=active&amp;page=2" in first
    assert "?status=active&amp;page=1" in second
    assert client.get("/agreements/", {"page": 99}).status_code == 200  # the last page


def test_users_a_hundred_to_a_page(cast) -> None:
    page = client_for(cast.admin).get("/users/")
    assert page.status_code == 200
    assert len(page.context["users"]) <= 100


def test_my_tenders_fifty_to_a_page(cast) -> None:
    from tenders.models import Participation, Tender

    tenders = Tender.objects.bulk_create(
        Tender(reference=f"2020-{n:03d}", title=f"Udbud {n}", lead_organisation=cast.secretariat)
        for n in range(60)
    )
    Participation.objects.bulk_create(Participation(tender=t, member=cast.odense) for t in tenders)
    client = client_for(cast.officer)
    first = client.get("/tenders/mine/").content.decode()
    second = client.get("/tenders/mine/", {"page": 2}).content.decode()
    assert first.count(">2020-0") == 50 and ">2020-059 " in first
    assert second.count(">2020-0") == 10 and ">2020-000 " in second
    assert "?page=2" in first
