"""Insight follows the compliance figures: after a recompute, a job for what it touched."""

from __future__ import annotations

import pytest

from agreements import hooks
from agreements.services import agreement_update, compliance_recompute
from agreements.services.compliance import compliance_recompute_deferred
from insight.models import OffContractFigure, VolumeKeptFigure
from insight.services import (
    members_an_agreement_moves,
    recompute_enqueue,
    recompute_for_agreement,
)
from insight.tasks import recompute_after_compliance
from jobs.models import Job
from jobs.runner import JobOutcome, job_task
from jobs.services import job_enqueue

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


def test_an_agreement_change_starts_a_job_for_the_members_it_can_move(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute(agreement_id=world.b.pk)
    job = Job.objects.get(task_name="insight.recompute")
    # B binds Odense only; the job is the secretariat's, not Odense's.
    assert job.task_kwargs == {"agreement_id": world.b.pk, "member_ids": [world.cast.odense.pk]}
    assert job.organisation == world.cast.secretariat


def _figure_ids(member) -> set[int]:
    return set(VolumeKeptFigure.objects.filter(member=member).values_list("pk", flat=True)) | {
        -pk for pk in OffContractFigure.objects.filter(member=member).values_list("pk", flat=True)
    }


def test_an_agreement_change_recomputes_only_the_members_it_can_move(computed) -> None:
    odense, aarhus = computed.cast.odense, computed.cast.aarhus
    before_odense, before_aarhus = _figure_ids(odense), _figure_ids(aarhus)
    assert before_odense and before_aarhus
    assert members_an_agreement_moves(computed.b.pk) == [odense.pk]
    recompute_for_agreement(computed.b.pk)
    assert _figure_ids(aarhus) == before_aarhus  # bound by A only: not rewritten
    assert not _figure_ids(odense) & before_odense  # rewritten
    assert len(_figure_ids(odense)) == len(before_odense)


def test_a_member_taken_off_an_agreement_loses_its_figures_under_it(
    computed, django_capture_on_commit_callbacks
) -> None:
    odense, aarhus = computed.cast.odense, computed.cast.aarhus
    assert VolumeKeptFigure.objects.filter(agreement=computed.a, member=aarhus).exists()
    with compliance_recompute_deferred():
        agreement_update(agreement=computed.a, user=None, members=[odense])
    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute(agreement_id=computed.a.pk)
    job = Job.objects.get(task_name="insight.recompute")
    # Aarhus is bound no longer, but held figures under A: it is among the members moved.
    assert job.task_kwargs["member_ids"] == sorted([odense.pk, aarhus.pk])
    recompute_for_agreement(computed.a.pk, job.task_kwargs["member_ids"])
    assert not VolumeKeptFigure.objects.filter(agreement=computed.a, member=aarhus).exists()
    assert VolumeKeptFigure.objects.filter(agreement=computed.a, member=odense).exists()


def test_a_gone_agreement_recomputes_every_member(world) -> None:
    gone = world.c.pk
    world.c.delete()
    assert members_an_agreement_moves(gone) is None


@job_task(name="tests.insight.enqueue_a_recompute")
def _enqueue_a_recompute(job: Job, *, member_id: int) -> JobOutcome:
    """A job that starts another without a user, as the compliance job's hooks do."""
    recompute_enqueue(member_ids=[member_id])
    return JobOutcome()


def test_a_job_started_inside_a_job_is_started_by_whoever_started_that_one(
    world, django_capture_on_commit_callbacks
) -> None:
    staff = world.cast.staff
    with django_capture_on_commit_callbacks(execute=True):
        first = job_enqueue(
            task_name="tests.insight.enqueue_a_recompute", kind="test", title="Test",
            user=staff, task_kwargs={"member_id": world.cast.odense.pk},
        )  # fmt: skip
    first.refresh_from_db()
    assert first.state == Job.State.SUCCEEDED
    follow = Job.objects.get(task_name="insight.recompute")
    assert follow.started_by == staff
    assert follow.organisation == world.cast.odense.organisation  # still the member's job


def test_a_job_enqueued_outside_any_job_without_a_user_names_nobody(world) -> None:
    job = recompute_enqueue(member_ids=None)
    assert job.started_by is None
