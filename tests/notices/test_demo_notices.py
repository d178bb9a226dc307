"""Notices made from the demo data: every tender whose status calls for a notice gets one
without errors; a removed value gives a Danish error naming the portal's field; changing the
tender marks a notice outdated; the pages and the download follow the validation result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from lxml import etree

from accounts.models import User
from notices.models import Notice, NoticeKind
from notices.selectors import notice_kinds_for
from notices.services import notice_generate
from tenders.models import Tender
from tests.conftest import flush_deferred_checks, rolled_back


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, seeded once for the module; each test runs in a savepoint of its own."""
    with rolled_back(django_db_blocker):
        call_command("seed_demo", password="demo-password-for-tests", force=True)
        flush_deferred_checks()
        yield


@pytest.fixture
def staff(demo: None, db: None) -> User:
    return User.objects.get(email="sekretariat@12by.test")


def _xml(notice: Notice) -> etree._Element:
    return etree.fromstring(notice.xml.encode())


def test_every_demo_tender_that_calls_for_a_notice_gets_one_without_errors(staff) -> None:
    made = []
    for tender in Tender.objects.order_by("reference"):
        for kind in notice_kinds_for(tender):
            notice = notice_generate(tender=tender, kind=kind, user=staff)
            assert notice.validation["xsd_errors"] == [], (tender.reference, kind)
            assert notice.error_count == 0, (tender.reference, kind, notice.validation)
            made.append(kind)
    assert set(made) == {NoticeKind.PIN, NoticeKind.CONTRACT, NoticeKind.AWARD}
