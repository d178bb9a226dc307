"""The timeline page (checked milestones), the pipeline (udbudsplan) and their access."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tenders.models import Milestone, ProcedureType, TenderStatus
from tests.conftest import client_for

from .factories import TenderFactory

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def url(reference: str) -> str:
    return reverse("tender_timeline:timeline", args=[reference])


def test_secretariat_saves_a_valid_timeline_and_tender_deadlines_follow(cast) -> None:
    tender = TenderFactory(reference="2026-020")
    response = client_for(cast.staff).post(
        url("2026-020"),
        {
            "volume_deadline": "2026-01-15T12:00",
            "publication": "2026-02-02T09:00",
            "questions_deadline": "2026-02-20T12:00",
            "bid_deadline": "2026-03-05T12:00",
            "bid_deadline_electronic": "on",
            "award_decision": "2026-04-15T10:00",
            "award_decision_electronic": "on",
            "standstill_end": "2026-04-27T23:59",
            "contract_start": "2026-05-01T00:00",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Milestone.objects.filter(tender=tender).count() == 7
    tender.refresh_from_db()
    assert tender.bid_deadline == datetime(2026, 3, 5, 12, tzinfo=CPH)
    assert tender.volume_deadline == datetime(2026, 1, 15, 12, tzinfo=CPH)
    assert str(tender.expected_start) == "2026-05-01"

    html = client_for(cast.officer).get(url("2026-020")).content.decode()
    assert "05.03.2026 12:00" in html
    assert "timeline-form" not in html  # officers read, they do not edit


def test_timeline_breaking_a_minimum_limit_is_refused_with_its_rule(cast) -> None:
    TenderFactory(reference="2026-021")
    response = client_for(cast.staff).post(
        url("2026-021"),
        {
            "publication": "2026-02-02T09:00",
            "bid_deadline": "2026-03-03T12:00",
            "bid_deadline_electronic": "on",
        },
        headers={"Accept-Language": "da"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["bid_deadline"]
    assert "05.03.2026" in errors[0]
    assert not Milestone.objects.exists()


def test_standstill_end_on_easter_weekend_refused(cast) -> None:
    TenderFactory(reference="2026-022")
    data = {
        "award_decision": "2026-03-25T10:00",
        "award_decision_electronic": "on",
        "standstill_end": "2026-04-06T23:59",
    }
    response = client_for(cast.admin).post(url("2026-022"), data)
    assert "standstill_end" in response.context["form"].errors
    data["standstill_end"] = "2026-04-07T23:59"
    assert client_for(cast.admin).post(url("2026-022"), data).status_code == 302


def test_mini_competition_has_no_standstill_milestone(cast) -> None:
    TenderFactory(reference="2026-023", procedure_type=ProcedureType.MINI_COMPETITION)
    response = client_for(cast.staff).get(url("2026-023"))
    assert "standstill_end" not in response.context["form"].fields
    assert response.context["no_standstill"]


def test_officer_cannot_change_a_timeline(cast) -> None:
    TenderFactory(reference="2026-024")
    response = client_for(cast.officer).post(url("2026-024"), {"publication": "2026-02-02T09:00"})
    assert response.status_code == 403


def test_unknown_tender_is_404(cast) -> None:
    assert client_for(cast.staff).get(url("1999-999")).status_code == 404


def test_pipeline_shows_tenders_by_quarter_with_table_and_filters(cast) -> None:
    published = TenderFactory(
        reference="2026-030", title="Rengøring", status=TenderStatus.PUBLISHED
    )
    Milestone.objects.create(
        tender=published, kind="publication", due=datetime(2026, 2, 2, 9, tzinfo=CPH)
    )
    Milestone.objects.create(
        tender=published, kind="contract_start", due=datetime(2026, 9, 1, tzinfo=CPH)
    )
    TenderFactory(
        reference="2026-031",
        title="Møbler",
        status=TenderStatus.PLANNED,
        procedure_type=ProcedureType.RESTRICTED,
    )
    TenderFactory(reference="2026-032", title="Gammelt udbud", status=TenderStatus.CANCELLED)

    client = client_for(cast.board_member)
    html = client.get(reverse("tender_timeline:pipeline"), {"year": 2026}).content.decode()
    assert "1. kvt. 2026" in html and "4. kvt. 2027" in html
    assert 'class="bar status-published"' in html
    assert "2026-030 Rengøring" in html and "2026-031 Møbler" in html
    assert "Gammelt udbud" not in html  # cancelled tenders are left out unless asked for
    assert "02.02.2026" in html and "01.09.2026" in html  # the accessible table
    start = html.index('<svg class="pipeline-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert 'role="img"' in chart and "<a " not in chart  # an image holds no links; the table has

    html = client.get(
        reverse("tender_timeline:pipeline"), {"procedure": "restricted"}
    ).content.decode()
    assert "Møbler" in html and "Rengøring" not in html
    html = client.get(reverse("tender_timeline:pipeline"), {"status": "cancelled"}).content.decode()
    assert "Gammelt udbud" in html and "Møbler" not in html


def test_pipeline_chart_geometry() -> None:
    from datetime import date

    from tenders.schedule import PipelineRow, pipeline_chart

    tender = TenderFactory.build(reference="2026-040")
    row = PipelineRow(tender, date(2026, 4, 1), date(2026, 6, 30))
    chart = pipeline_chart([row], (2026, 1), 4, today=date(2026, 1, 1))
    (x1, w1, label1), (x2, w2, _label2) = chart.columns[:2]
    assert label1 == "1. kvt. 2026" and x2 == pytest.approx(x1 + w1)
    bar = chart.bars[0]
    assert bar.x == pytest.approx(x2) and bar.width == pytest.approx(w2 - w2 / 91, abs=1)
    assert chart.today_x == pytest.approx(chart.label_width)


def test_urgency_reason_allows_the_shorter_restricted_limits(cast) -> None:
    tender = TenderFactory(reference="2026-030", procedure_type="restricted")
    data = {
        "publication": "2026-02-02T09:00",
        "requests_deadline": "2026-02-18T12:00",  # 15 days (§ 59, stk. 3)
        "invitation": "2026-02-20T09:00",
        "bid_deadline": "2026-03-03T12:00",  # 10 days (§ 60, stk. 6)
        "bid_deadline_electronic": "on",
    }
    client = client_for(cast.staff)
    refused = client.post(url("2026-030"), data)
    assert refused.status_code == 400
    assert {"requests_deadline", "bid_deadline"} <= set(refused.context["form"].errors)
    data["urgency_reason"] = "Den gældende aftale er ophævet ved leverandørens konkurs."
    response = client.post(url("2026-030"), data)
    assert response.status_code == 302, response.context["form"].errors
    tender.refresh_from_db()
    assert tender.urgency_reason.startswith("Den gældende aftale")
    html = client.get(url("2026-030"), headers={"Accept-Language": "da"}).content.decode()
    assert "De kortere frister ved akut behov gælder." in html
    assert "den sikre læsning" in html


def test_a_milestone_planned_for_a_day_shows_no_time(cast) -> None:
    tender = TenderFactory(reference="2026-060", status=TenderStatus.PUBLISHED)
    Milestone.objects.create(
        tender=tender, kind="bid_deadline", due=datetime(2027, 3, 5, 12, tzinfo=CPH)
    )
    Milestone.objects.create(
        tender=tender, kind="questions_deadline", due=datetime(2027, 2, 20, 0, tzinfo=CPH)
    )
    Milestone.objects.create(
        tender=tender, kind="contract_start", due=datetime(2027, 6, 1, tzinfo=CPH)
    )
    client = client_for(cast.staff)
    detail = client.get(tender.get_absolute_url()).content.decode()
    assert "<strong>01.06.2027</strong> — Kontraktstart" in detail
    assert "01.06.2027 00:00" not in detail
    assert "05.03.2027 12:00" in detail  # a deadline keeps its time
    assert "20.02.2027 00:00" in detail  # even at midnight
    timeline = client.get(url("2026-060")).content.decode()
    assert "<td>01.06.2027</td>" in timeline and "01.06.2027 00:00" not in timeline
