"""The agreements' demo data: agreements from the concluded demo tender, spend generated only
when the spend demo has not loaded any, and links to the knowledge base's demo articles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts import demo as accounts_demo
from agreements import demo
from agreements.models import Agreement
from api.ocds.awards import ocds_awards_for
from jobs.models import Job
from knowledge import demo as knowledge_demo
from members import demo as members_demo
from members.models import Member
from spend.models import SpendLine, Supplier
from tenders import demo as tenders_demo
from tenders.models import Participation, Tender, TenderStatus
from tests.factories import valid_cvr

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(monkeypatch):
    """Members and users as the demo makes them, and a note of every spend generation."""
    members_demo.seed()
    accounts_demo.seed()
    calls: list[object] = []
    monkeypatch.setattr(demo, "generate_spend", lambda *a, **k: calls.append(a) or 0)
    return calls


@pytest.fixture
def base(people):
    """…and the demo tenders."""
    tenders_demo.seed()
    return people


def one_spend_line() -> None:
    member = Member.objects.active().first()
    supplier = Supplier.objects.create(cvr=valid_cvr(4242), name="Spend-demo A/S")
    SpendLine.objects.create(
        member=member, supplier=supplier, amount=Decimal("100.00"),
        invoice_date=demo.timezone.localdate().replace(day=1), fingerprint="spend-demo-1",
    )  # fmt: skip


def test_spend_is_generated_only_when_there_is_none_for_the_period(people) -> None:
    demo.seed()
    assert len(people) == 1  # an empty database: the agreements' demo brings its own spend
    one_spend_line()  # as the spend app's demo, which runs first, leaves it
    demo.seed()
    assert len(people) == 1, "demo spend was generated on top of the spend demo's"


def test_the_concluded_demo_tender_has_its_agreement(base) -> None:
    one_spend_line()
    demo.seed()
    demo.seed()  # idempotent
    concluded = Tender.objects.filter(status=TenderStatus.CONCLUDED)
    assert concluded.exists()
    for tender in concluded:
        agreements = list(Agreement.objects.filter(tender=tender))
        assert len(agreements) == 1
        agreement = agreements[0]
        participants = set(
            Member.objects.filter(
                participations__tender=tender,
                participations__answer=Participation.Answer.PARTICIPATE,
            ).values_list("pk", flat=True)
        )
        assert set(agreement.members.values_list("pk", flat=True)) == participants
        assert agreement.supplier_links.exclude(contact_name="").exists()
        assert agreement.agreement_price_level < agreement.baseline_price_level
        assert agreement.has_climate_requirements
        awards = ocds_awards_for(tender)
        assert awards.awards and awards.awards[0]["suppliers"]
        assert awards.contracts[0]["awardID"] == agreement.number
    # The agreement the concluded tender renews has it as its successor: not late.
    assert Agreement.objects.filter(successor_tender__in=concluded).exists()
    # The demo recomputes everything itself: no job per change it made.
    assert not Job.objects.filter(task_name="agreements.compliance_recompute").exists()
    # Every demo agreement has suppliers and a price level.
    assert not Agreement.objects.filter(supplier_links__isnull=True).exists()
    assert not Agreement.objects.filter(agreement_price_level=Decimal(100)).exists()


def test_agreements_link_knowledge_articles_once_the_knowledge_demo_ran(
    base, django_capture_on_commit_callbacks
) -> None:
    one_spend_line()
    # seed_demo runs the apps in INSTALLED_APPS order inside one transaction: agreements before
    # knowledge. The links are made when that transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed()
        knowledge_demo.seed()
    office = Agreement.objects.get(number="2023-004")
    assert "Analyse: forbrug af kontorartikler 2025" in {
        a.title for a in office.related_articles.all()
    }
    linked = Agreement.objects.filter(related_articles__isnull=False).distinct().count()
    demo.seed()  # seeding again with the articles in place keeps the same links
    assert Agreement.objects.filter(related_articles__isnull=False).distinct().count() == linked
