"""The OCDS release package of the demo data exactly as `seed_demo` leaves it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from agreements.models import Agreement
from api.ocds.validation import codelist_errors, schema_errors

URL = "/api/v1/ocds/releases.json"


@pytest.fixture
def plain_demo(db: None) -> None:
    """The demo data exactly as `seed_demo` leaves it, nothing added or re-linked."""
    call_command("seed_demo", password="demo-password-for-tests", force=True)


def test_plain_demo_package_is_valid_ocds_with_its_own_awards(plain_demo) -> None:
    """Valid whether or not the demo's agreements name the tenders they came from; those that do
    are published as the awards and contracts of their tender's release."""
    response = Client().get(URL)
    assert response.status_code == 200
    package = response.json()
    assert package["releases"], "the demo data publishes tenders"
    assert schema_errors(package) == []
    assert codelist_errors(package) == []
    published = {r["tender"]["id"] for r in package["releases"]}
    expected = set(
        Agreement.objects.filter(tender__reference__in=published).values_list("number", flat=True)
    )
    awards = {a["id"] for r in package["releases"] for a in r.get("awards", [])}
    contracts = {c["id"] for r in package["releases"] for c in r.get("contracts", [])}
    assert awards == contracts == expected
