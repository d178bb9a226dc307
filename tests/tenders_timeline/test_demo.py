from __future__ import annotations

import pytest

from accounts import demo as accounts_demo
from members import demo as members_demo
from tenders import demo_timeline
from tenders.documents import KINDS, documents_ready
from tenders.models import TenderDocument


@pytest.mark.django_db
def test_demo_tender_has_checked_timeline_and_current_documents() -> None:
    members_demo.seed()
    accounts_demo.seed(password="another-demo-password")
    tender = demo_timeline.seed()
    assert tender.milestones.count() == 8
    assert documents_ready(tender)
    demo_timeline.seed()  # idempotent: no new versions from unchanged data
    assert TenderDocument.objects.filter(tender=tender).count() == len(KINDS)
