"""The generic job record: enqueue after commit, progress, outcome, idempotency, the fragment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report
from jobs.services import (
    job_begin,
    job_enqueue,
    job_fail,
    job_progress,
    job_succeed,
    jobs_fail_stale,
)
from tests.conftest import client_for


@job_task(name="tests.always_fails")
def always_fails(job: Job) -> JobOutcome:
    report(job, 30, "Halfway")
    raise JobError("Filen mangler kolonnen Beløb.")


@job_task(name="tests.counts")
def counts(job: Job, *, upto: int) -> JobOutcome:
    for i in range(upto):
        report(job, 100 * (i + 1) / upto)
    return JobOutcome(message=f"Counted to {upto}", result={"upto": upto}, result_url="/jobs/")


def test_task_is_sent_only_after_commit(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(
            task_name="tests.counts",
            kind="t",
            title="Count",
            user=cast.officer,
            task_kwargs={"upto": 3},
        )
    assert job.state == Job.State.QUEUED and len(callbacks) == 1
    assert job.organisation == cast.odense.organisation


def test_successful_job_records_progress_and_result(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            task_name="tests.counts",
            kind="t",
            title="Count",
            user=cast.officer,
            task_kwargs={"upto": 4},
        )
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.progress == 100 and job.result == {"upto": 4} and job.message == "Counted to 4"
    assert job.attempts == 1 and job.started_at and job.finished_at


def test_job_error_fails_the_job_with_its_message(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            task_name="tests.always_fails", kind="t", title="Import", user=cast.officer
        )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "Filen mangler kolonnen Beløb."
    assert job.progress == 30


def test_redelivered_message_of_a_finished_job_does_nothing(cast) -> None:
    job = Job.objects.create(
        kind="t", title="t", organisation=cast.secretariat, task_name="tests.counts"
    )
    assert job_begin(str(job.pk)) is not None
    job_succeed(str(job.pk), message="ok")
    assert job_begin(str(job.pk)) is None
    job_fail(str(job.pk), error="late failure must not overwrite success")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.error == ""


def test_progress_never_moves_backwards_and_is_clamped(cast) -> None:
    job = Job.objects.create(
        kind="t", title="t", organisation=cast.secretariat, task_name="x", state=Job.State.RUNNING
    )
    job_progress(str(job.pk), 60)
    job_progress(str(job.pk), 40)
    job.refresh_from_db()
    assert job.progress == 60
    job_progress(str(job.pk), 250)
    job.refresh_from_db()
    assert job.progress == 100


def test_stale_jobs_are_failed(cast) -> None:
    job = Job.objects.create(
        kind="t", title="t", organisation=cast.secretariat, task_name="x", state=Job.State.RUNNING
    )
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    assert jobs_fail_stale(older_than=timedelta(hours=2)) == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "igen" in job.error


def test_selfcheck_sends_mail_and_succeeds(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.admin).post(reverse("jobs:selfcheck"))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert mail.outbox[0].to == [cast.admin.email]


def test_fragment_polls_while_running_and_stops_when_done(cast) -> None:
    job = Job.objects.create(
        kind="t", title="Import", organisation=cast.odense.organisation, task_name="x",
        state=Job.State.RUNNING, progress=42, message="Læser linjer",
    )  # fmt: skip
    client = client_for(cast.officer)
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html
    assert 'value="42"' in html and "Læser linjer" in html
    assert "HX-Request" in fragment["Vary"]

    job_succeed(str(job.pk), message="Færdig", result_url="/jobs/")
    html = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html and 'value="100"' in html and "Færdig" in html

    page = client.get(job.get_absolute_url()).content.decode()
    assert "<html" in page


def test_failed_job_fragment_shows_the_error(cast) -> None:
    job = Job.objects.create(
        kind="t", title="Import", organisation=cast.odense.organisation, task_name="x",
        state=Job.State.FAILED, error="Linje 7: ugyldigt CVR-nummer",
    )  # fmt: skip
    html = (
        client_for(cast.viewer)
        .get(job.get_absolute_url(), headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "Linje 7: ugyldigt CVR-nummer" in html and 'role="alert"' in html


@pytest.mark.parametrize("state", [Job.State.SUCCEEDED, Job.State.RUNNING])
def test_only_failed_jobs_can_be_rerun(cast, state) -> None:
    job = Job.objects.create(
        kind="t",
        title="t",
        organisation=cast.odense.organisation,
        task_name="tests.counts",
        state=state,
    )
    client_for(cast.officer).post(reverse("jobs:rerun", args=[job.pk]))
    assert Job.objects.count() == 1


def test_rerun_starts_a_new_job_with_the_same_arguments(
    cast, django_capture_on_commit_callbacks
) -> None:
    job = Job.objects.create(
        kind="t", title="Count", organisation=cast.odense.organisation, task_name="tests.counts",
        task_kwargs={"upto": 2}, state=Job.State.FAILED,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.officer).post(reverse("jobs:rerun", args=[job.pk]))
    new = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == new.get_absolute_url()
    new.refresh_from_db()
    assert (
        new.state == Job.State.SUCCEEDED
        and new.result == {"upto": 2}
        and new.started_by == cast.officer
    )
