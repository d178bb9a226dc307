"""Stored fees go out of date when what they were computed from changes; statements wait."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from jobs.models import Job
from jobs.services import job_enqueue
from members.fees.services import fee_model_save, fees_calculate
from members.models import Fee, FeeModel, FeeStatement, Member, PopulationFigure
from members.services import member_update, population_set
from tests.conftest import client_for
from tests.factories import MemberFactory

FORM = {"year": "2026", "budget": "1000000.01", "base_share": "0.3333", "minimum_fee": "",
        "population_year": "2026", "due_on": "", "notes": ""}  # fmt: skip
OUTDATED = "forældede"


def _calculated(fee_model: FeeModel) -> FeeModel:
    fees_calculate(fee_model=fee_model)
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is not None
    return fee_model


def test_changing_the_budget_marks_the_fees_outdated_and_refuses_statements(
    cast, fee_model, django_capture_on_commit_callbacks
) -> None:
    _calculated(fee_model)
    client = client_for(cast.staff)
    response = client.post(
        reverse("members:fee_model_edit", args=[2026]), {**FORM, "budget": "1200000.00"}
    )
    assert response.status_code == 302
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is None
    assert Fee.objects.filter(fee_model=fee_model).count() == 3  # kept, but marked outdated

    page = client.get(reverse("members:fee_model", args=[2026])).content.decode()
    assert OUTDATED in page and "Beregn kontingenterne igen" in page
    assert reverse("members:fee_statements", args=[2026]) not in page

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("members:fee_statements", args=[2026]), follow=True)
    assert OUTDATED in refused.content.decode()
    assert not Job.objects.exists() and not FeeStatement.objects.exists()


def test_saving_without_changes_keeps_the_calculation(cast, fee_model) -> None:
    calculated_at = _calculated(fee_model).calculated_at
    client_for(cast.staff).post(
        reverse("members:fee_model_edit", args=[2026]), {**FORM, "notes": "Vedtaget af bestyrelsen"}
    )
    fee_model.refresh_from_db()
    assert fee_model.calculated_at == calculated_at


def test_a_changed_population_of_the_fee_years_population_year_outdates_the_fees(
    cast, fee_model
) -> None:
    _calculated(fee_model)
    other = FeeModel.objects.create(
        year=2025, budget=Decimal("100.00"), base_share=Decimal("1"), population_year=2025
    )
    odense = cast.odense.municipalities.get()
    population_set(municipality=odense, year=2025, population=1)
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is not None  # another year's figure

    population_set(municipality=odense, year=2026, population=210_000)
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is not None  # the same figure again

    population_set(municipality=odense, year=2026, population=211_000)
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is None
    other.refresh_from_db()
    assert other.calculated_at is None  # never calculated


def test_a_changed_membership_outdates_the_years_it_changes(cast, fee_model) -> None:
    _calculated(fee_model)
    member_update(
        member=Member.objects.get(pk=cast.aarhus.pk),
        name="Aarhus",
        status=Member.Status.FORMER,
        left_on=datetime.date(2025, 12, 31),
    )
    fee_model.refresh_from_db()
    assert fee_model.calculated_at is None


def test_a_job_started_before_the_change_refuses_to_render(
    cast, fee_model, django_capture_on_commit_callbacks
) -> None:
    _calculated(fee_model)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(
            task_name="members.render_fee_statements", kind="members.fee_statements",
            title="Kontingentopgørelser 2026", user=cast.staff,
            task_kwargs={"year": 2026, "member_ids": None},
        )  # fmt: skip
    fee_model.budget = Decimal("5.00")
    fee_model_save(fee_model=fee_model)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert OUTDATED in job.error
    assert not FeeStatement.objects.exists()


def test_the_fee_list_and_member_page_say_the_fees_are_outdated(cast, fee_model) -> None:
    _calculated(fee_model)
    PopulationFigure.objects.filter(municipality__code="461", year=2026).delete()
    population_set(municipality=cast.odense.municipalities.get(), year=2026, population=5)
    listing = client_for(cast.staff).get(reverse("members:fee_models")).content.decode()
    assert "Forældet" in listing
    page = client_for(cast.officer).get(reverse("members:detail", args=[cast.odense.pk]))
    assert "Forældet" in page.content.decode()


def test_statement_for_a_non_numeric_member_is_not_found(cast, fee_model) -> None:
    _calculated(fee_model)
    client = client_for(cast.staff)
    url = reverse("members:fee_statements", args=[2026])
    assert client.post(url, {"member": "odense"}).status_code == 404
    assert client.post(url, {"member": "99999999999999999999"}).status_code == 404
    stranger = MemberFactory()  # no fee this year
    assert client.post(url, {"member": str(stranger.pk)}).status_code == 404
    assert not Job.objects.exists()
