"""Concluding a tender creates its agreements, with the participating members bound."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from agreements.models import Agreement
from cpv.models import CpvCode
from jobs.models import Job
from tenders.models import AwardCriterion, Lot, Participation, ProcedureType, Tender, TenderStatus
from tenders.signals import tender_concluded
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(cast) -> Tender:
    tender = Tender.objects.create(
        reference="2026-014", title="Kontorartikler", procedure_type=ProcedureType.OPEN,
        status=TenderStatus.CONCLUDED, lead_organisation=cast.secretariat,
        main_cpv=CpvCode.objects.get(code="30192000-1"), term_years=2, option_years=[1, 1],
        expected_start=datetime.date(2027, 1, 1), climate_flag=True,
    )  # fmt: skip
    tender.additional_cpv.add(CpvCode.objects.get(code="30199000-0"))
    vejle = make_member("vejle", "Vejle", "630")
    Participation.objects.create(tender=tender, member=cast.odense, answer="participate")
    Participation.objects.create(tender=tender, member=vejle, answer="participate")
    Participation.objects.create(tender=tender, member=cast.aarhus, answer="decline")
    return tender


def conclude(tender: Tender, user) -> None:
    with transaction.atomic():
        tender_concluded.send(sender=Tender, tender=tender, user=user)


def test_concluding_creates_one_agreement_with_the_participating_members(cast, tender) -> None:
    conclude(tender, cast.staff)
    agreement = Agreement.objects.get()
    assert agreement.tender == tender and agreement.number == "2026-014"
    assert sorted(m.name for m in agreement.members.all()) == ["Odense", "Vejle"]
    assert sorted(c.code for c in agreement.categories.all()) == ["30192000-1", "30199000-0"]
    assert agreement.start_date == datetime.date(2027, 1, 1)
    assert agreement.end_date == agreement.base_end_date == datetime.date(2028, 12, 31)
    assert [(o.sequence, o.months, o.used_on) for o in agreement.options.all()] == [
        (1, 12, None), (2, 12, None),
    ]  # fmt: skip


def test_one_agreement_per_lot(cast, tender) -> None:
    Lot.objects.create(tender=tender, number=1, title="Papir")
    Lot.objects.create(tender=tender, number=2, title="Skriveredskaber")
    conclude(tender, cast.staff)
    agreements = list(Agreement.objects.order_by("number"))
    assert [a.number for a in agreements] == ["2026-014-1", "2026-014-2"]
    assert agreements[1].title == "Kontorartikler: Skriveredskaber"
    assert all(a.members.count() == 2 for a in agreements)


def test_concluding_twice_creates_nothing_more(cast, tender) -> None:
    conclude(tender, cast.staff)
    conclude(tender, cast.staff)
    assert Agreement.objects.count() == 1


def test_concluding_recomputes_in_a_job_after_the_commit(
    cast, tender, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        conclude(tender, cast.staff)
    agreement = Agreement.objects.get()
    job = Job.objects.get(task_name="agreements.compliance_recompute")
    assert job.task_kwargs["agreement_id"] == agreement.pk
    assert job.started_by == cast.staff
    assert {c.__qualname__.split(".")[0] for c in callbacks} == {"job_enqueue"}


def test_a_climate_flagged_tender_gives_a_climate_flagged_agreement(cast, tender) -> None:
    AwardCriterion.objects.create(
        tender=tender, position=1, name="Miljø og klima", kind=AwardCriterion.Kind.ENVIRONMENT,
        weight=Decimal(20), is_climate=True,
    )  # fmt: skip
    conclude(tender, cast.staff)
    agreement = Agreement.objects.get()
    assert agreement.has_climate_requirements
    assert "Miljø og klima (20 %)" in agreement.climate_requirements
