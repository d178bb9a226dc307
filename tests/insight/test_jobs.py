"""Insight follows the compliance figures: after a recompute, a job for what it touched."""

from __future__ import annotations

import pytest

from agreements import hooks
from agreements.services import compliance_recompute
from insight.tasks import recompute_after_compliance
from jobs.models import Job

from .conftest import D

pytestmark = pytest.mark.django_db


def test_insight_listens_to_compliance_recomputes() -> None:
    assert recompute_after_compliance in hooks.AFTER_COMPLIANCE_RECOMPUTE


def test_a_members_recompute_starts_a_job_for_its_touched_years(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        compliance_recompute(
            member_id=world.cast.odense.pk, start=D(2025, 11, 3), end=D(2026, 1, 5)
        )
    # The compliance recompute's own callback enqueues the insight job, whose sending waits for
    # the next commit.
    assert callbacks
    job = Job.objects.get(task_name="insight.recompute")
    assert job.task_kwargs == {"member_ids": [world.cast.odense.pk], "years": [2025, 2026]}
    assert job.organisation == world.cast.odense.organisation


def test_a_full_recompute_starts_a_full_insight_job(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute()
    job = Job.objects.get(task_name="insight.recompute")
    assert job.task_kwargs == {"member_ids": None, "years": None}
