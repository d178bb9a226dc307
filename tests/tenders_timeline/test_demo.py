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


@pytest.mark.django_db
def test_demo_tenders_have_valid_timelines_and_the_published_one_current_documents() -> None:

    from tenders import demo
    from tenders.models import Tender
    from tenders.schedule import points, tender_timeline
    from tenders.timeline import check_timeline

    members_demo.seed()
    accounts_demo.seed(password="another-demo-password")
    demo.seed()
    for status in ("published", "evaluation", "awarded", "concluded"):
        tender = Tender.objects.get(status=status)
        planned = tender_timeline(tender)
        assert {"publication", "bid_deadline", "award_decision"} <= set(planned), status
        assert check_timeline(tender.procedure_type, points(planned)) == [], status
        assert tender.bid_deadline == planned["bid_deadline"].due
    published = Tender.objects.get(status="published")
    assert documents_ready(published)
    awarded = Tender.objects.get(status="awarded")
    assert awarded.awarded_at == awarded.milestones.get(kind="award_decision").due
    demo.seed()  # idempotent
    assert Tender.objects.filter(status="published").count() == 1
