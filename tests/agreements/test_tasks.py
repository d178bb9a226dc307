"""The recompute job (as an import would start it), the nightly beat task and the daily mail task."""

from __future__ import annotations

import pytest
from django.core import mail

from agreements.models import ComplianceFigure
from agreements.services import compliance_recompute_enqueue
from agreements.tasks import nightly_compliance_recompute, send_renewal_reminders
from jobs.models import Job

from .conftest import D

pytestmark = pytest.mark.django_db


def test_import_hook_job_recomputes_the_touched_member_and_months(
    hand_world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = compliance_recompute_enqueue(
            member_id=hand_world.cast.odense.pk, start=D(2025, 3, 5), end=D(2025, 4, 2),
            user=hand_world.cast.officer,
        )  # fmt: skip
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.organisation == hand_world.cast.odense.organisation
    assert job.result == {"figures": 2}
    assert set(ComplianceFigure.objects.values_list("member_id", "month")) == {
        (hand_world.cast.odense.pk, D(2025, 3, 1)),
        (hand_world.cast.odense.pk, D(2025, 4, 1)),
    }


def test_nightly_task_recomputes_everything_as_a_secretariat_job(
    hand_world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job_id = nightly_compliance_recompute()
    job = Job.objects.get(pk=job_id)
    assert job.state == Job.State.SUCCEEDED and job.organisation == hand_world.cast.secretariat
    assert ComplianceFigure.objects.count() == 4


def test_daily_task_runs_the_reminders(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders() == {"entered": 0, "late": 0}
    assert mail.outbox == []
