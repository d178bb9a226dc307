"""Renewal planning: the horizon, the latest tender start, and the daily e-mail (sent once)."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from agreements.models import RenewalNotice
from agreements.renewal import latest_tender_start, renewal_timeline
from agreements.selectors import renewal_plan
from agreements.services import agreement_create, agreement_use_option, renewal_reminders_send
from tenders.models import ProcedureType, Tender, TenderStatus
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)


def agreement(number: str, end: datetime.date, **extra):
    return agreement_create(
        number=number,
        title=f"Aftale {number}",
        start_date=D(2023, 1, 1),
        base_end_date=end,
        **extra,
    )


def tender(cast, reference: str, status: str, procedure: str = ProcedureType.OPEN) -> Tender:
    return Tender.objects.create(
        reference=reference, title=f"Udbud {reference}", procedure_type=procedure, status=status,
        lead_organisation=cast.secretariat,
    )  # fmt: skip


@override_settings(AGREEMENTS_RENEWAL_PREPARATION_MONTHS=6, AGREEMENTS_RENEWAL_EVALUATION_DAYS=30)
def test_latest_start_counts_back_the_statutory_time_limits() -> None:
    # By hand, for an open procedure and an agreement ending Friday 30.06.2028 (the successor
    # starts Saturday 01.07.2028):
    # * the standstill (10 days from the day after the award decision, to a working day) must end
    #   by 30.06: an award decision on 20.06 ends it on 30.06; one on 21.06 would run to 03.07;
    # * the bid deadline 30 evaluation days before the decision; the forward plan from a
    #   notice sent on 19.04 has its 30-day limit end Friday 19.05, award 18.06, standstill to
    #   28.06 – in time; a notice on 20.04 ends its limit on Monday 22.05 (20.05 is a Saturday),
    #   award 21.06, standstill to 03.07 – too late;
    # * six months of preparation before 19.04.2028.
    end = D(2028, 6, 30)
    assert latest_tender_start(end, ProcedureType.OPEN) == D(2027, 10, 19)


def test_latest_start_follows_the_procedure_and_the_settings() -> None:
    end = D(2028, 6, 30)
    starts = {p: latest_tender_start(end, p) for p in ProcedureType.values}
    # A restricted procedure adds a request round; a mini-competition has no statutory
    # minimum period and no standstill (a call-off under a framework agreement).
    assert starts[ProcedureType.RESTRICTED] < starts[ProcedureType.OPEN]
    assert starts[ProcedureType.DIALOGUE] < starts[ProcedureType.RESTRICTED]
    assert starts[ProcedureType.MINI_COMPETITION] > starts[ProcedureType.OPEN]
    with override_settings(AGREEMENTS_RENEWAL_PREPARATION_MONTHS={ProcedureType.OPEN: 3}):
        assert latest_tender_start(end, ProcedureType.OPEN) == starts[ProcedureType.OPEN] + (
            relativedelta(months=3)
        )
        # The other procedures keep their defaults.
        assert (
            latest_tender_start(end, ProcedureType.RESTRICTED) == starts[ProcedureType.RESTRICTED]
        )
    for procedure, start in starts.items():
        plan = renewal_timeline(end, procedure)
        assert plan.tender_start == start
        assert plan.contract_start == end + datetime.timedelta(days=1)


def test_renewal_page_explains_the_time_limits(cast) -> None:
    html = client_for(cast.viewer).get(reverse("agreements:renewals")).content.decode()
    assert "Udbudsloven § 57" in html  # the open procedure's minimum period and its source
    assert "Klagenævnsloven § 3" in html  # the standstill
    assert "Forberedelse" in html


def test_plan_lists_agreements_within_the_horizon(cast) -> None:
    agreement("IN-17", D(2028, 4, 22))  # 17 months ahead
    agreement("EDGE-18", D(2028, 5, 22))  # exactly 18 months
    agreement("OUT-19", D(2028, 6, 22))
    agreement("OVER", D(2026, 11, 21))  # already expired
    assert [i.agreement.number for i in renewal_plan(TODAY)] == ["IN-17", "EDGE-18"]
    with override_settings(AGREEMENTS_RENEWAL_HORIZON_MONTHS=12):
        assert renewal_plan(TODAY) == []


def test_late_unless_a_successor_tender_has_started(cast) -> None:
    late = agreement("LATE", D(2027, 6, 30))  # open procedure: must start by 2026-10-20
    started = agreement("STARTED", D(2027, 6, 30))
    started.successor_tender = tender(cast, "2026-901", TenderStatus.PREPARATION)
    started.save()
    planned = agreement("PLANNED", D(2027, 6, 30))
    planned.successor_tender = tender(cast, "2026-902", TenderStatus.PLANNED)
    planned.save()
    calm = agreement("CALM", D(2028, 3, 31))  # must start in the summer of 2027
    items = {i.agreement.number: i for i in renewal_plan(TODAY)}
    assert items["LATE"].late and items["PLANNED"].late
    assert not items["STARTED"].late and not items["CALM"].late
    # Contract start 01.07.2027: award by 20.06 (standstill to 30.06), bids 21.05 (a Friday),
    # which must lie after the 30-day period's last day (20.05): notice 20.04.2027, six months
    # of preparation before that.
    assert items["LATE"].must_start_by == D(2026, 10, 20)
    assert items["STARTED"].successor.reference == "2026-901"
    assert late and calm


def test_daily_mail_tells_the_secretariat_once(cast, django_capture_on_commit_callbacks) -> None:
    agreement("NEW", D(2028, 3, 31))
    agreement("LATE", D(2027, 6, 30))
    agreement("FAR", D(2029, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        result = renewal_reminders_send(today=TODAY)
    assert result == {"entered": 2, "late": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["admin@12by.test", "staff@12by.test"]
    assert "LATE" in message.body and "NEW" in message.body and "FAR" not in message.body
    assert message.subject == "Planlægning af genudbud: 2 aftaler kræver opmærksomhed"  # Danish

    with django_capture_on_commit_callbacks(execute=True):
        again = renewal_reminders_send(today=TODAY)
        renewal_reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert again == {"entered": 0, "late": 0}
    assert len(mail.outbox) == 1, "the same agreements were mailed twice"
    assert RenewalNotice.objects.count() == 3


def test_an_agreement_entering_later_is_mailed_then(
    cast, django_capture_on_commit_callbacks
) -> None:
    agreement("LATER", D(2028, 6, 22))  # enters the horizon on 2026-12-22
    with django_capture_on_commit_callbacks(execute=True):
        renewal_reminders_send(today=TODAY)
        renewal_reminders_send(today=D(2026, 12, 22))
    assert len(mail.outbox) == 1
    assert "LATER" in mail.outbox[0].body


def test_using_an_option_ends_reminders_until_the_new_end_comes_close(
    cast, django_capture_on_commit_callbacks
) -> None:
    a = agreement("OPT", D(2027, 12, 31), option_months=[24])
    with django_capture_on_commit_callbacks(execute=True):
        renewal_reminders_send(today=TODAY)
        agreement_use_option(agreement=a, option=a.options.get())
        renewal_reminders_send(today=TODAY)
    assert len(mail.outbox) == 1
    assert [i.agreement.number for i in renewal_plan(TODAY)] == []


def test_plan_suggests_open_tenders_in_the_same_categories(cast) -> None:
    from cpv.models import CpvCode

    paper = CpvCode.objects.get(code="30192000-1")
    agreement("PAPER", D(2027, 12, 31), categories=[paper])
    candidate = tender(cast, "2026-950", TenderStatus.VOLUME_COLLECTION)
    candidate.main_cpv = paper
    candidate.save()
    items = renewal_plan(TODAY)
    assert [t.reference for t in items[0].candidates] == ["2026-950"]
    html = client_for(cast.staff).get(reverse("agreements:renewals")).content.decode()
    assert "2026-950" in html
