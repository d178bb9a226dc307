"""Writes to job records. Every long task goes through these, whatever it does."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User

from .models import Job

logger = logging.getLogger(__name__)

# Who started the job that is running in this thread (jobs/runner.py): a job it enqueues without
# a user of its own — what follows a recompute — is started by the same person.
_running_for: ContextVar[int | None] = ContextVar("jobs_running_for", default=None)


@contextmanager
def running_for(user_id: int | None) -> Iterator[None]:
    token = _running_for.set(user_id)
    try:
        yield
    finally:
        _running_for.reset(token)


def job_enqueue(
    *,
    task_name: str,
    kind: str,
    title: str,
    user: User | None,
    organisation: Organisation | None = None,
    task_kwargs: dict[str, Any] | None = None,
) -> Job:
    """Create a queued job and send its task once the surrounding transaction has committed.

    The job is owned by `organisation` (the tenant whose data it touches) or else by the
    starting user's organisation; without a user, it is started by whoever started the job
    running now, if any. `task_kwargs` must be JSON: ids, never model instances.
    """
    owner = organisation or (user.organisation if user else None)
    if owner is None:
        raise ValueError("A job needs an owning organisation.")
    job = Job.objects.create(
        kind=kind,
        title=title,
        organisation=owner,
        started_by_id=user.pk if user is not None else _running_for.get(),
        task_name=task_name,
        task_kwargs=task_kwargs or {},
    )
    transaction.on_commit(lambda: _send(job))
    return job


def _send(job: Job) -> None:
    # The job id doubles as the Celery task id, so a redelivered message finds the same record.
    if job.task_name not in current_app.tasks:
        # Web processes import the apps' tasks modules only when a task is first sent.
        current_app.loader.import_default_modules()
    task = current_app.tasks[job.task_name]
    task.apply_async(kwargs={"job_id": str(job.pk), **job.task_kwargs}, task_id=str(job.pk))


def job_rerun(*, job: Job, user: User) -> Job:
    """Start a failed job again as a new job with the same task and arguments."""
    if job.state != Job.State.FAILED:
        raise ValueError("Only failed jobs can be run again.")
    return job_enqueue(
        task_name=job.task_name,
        kind=job.kind,
        title=job.title,
        user=user,
        organisation=job.organisation,
        task_kwargs=job.task_kwargs,
    )


def job_begin(job_id: str) -> Job | None:
    """Mark the job running and return it, or None if it already ended (a redelivery)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Job %s does not exist; message dropped", job_id)
            return None
        if job.is_finished:
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["state", "attempts", "started_at", "updated_at"])
    return job


def job_progress(job_id: str, percent: float, message: str = "") -> None:
    """Report progress (0–100). Never moves backwards; visible at once to the polling page.

    Call it outside the task's own transaction, or the page sees it only when that commits.
    """
    value = max(0, min(100, int(percent)))
    updates: dict[str, Any] = {
        "progress": Greatest(F("progress"), value),
        "updated_at": timezone.now(),
    }
    if message:
        updates["message"] = message[:500]
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(**updates)


def job_succeed(
    job_id: str, *, message: str = "", result: Any = None, result_url: str = ""
) -> None:
    Job.objects.filter(pk=job_id).exclude(state=Job.State.SUCCEEDED).update(
        state=Job.State.SUCCEEDED,
        progress=100,
        message=(message or _("Done."))[:500],
        result=result,
        result_url=result_url,
        error="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def job_fail(job_id: str, *, error: str) -> None:
    Job.objects.filter(pk=job_id).exclude(state=Job.State.SUCCEEDED).update(
        state=Job.State.FAILED,
        error=error,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def jobs_fail_stale(*, older_than: timedelta) -> int:
    """Fail jobs whose worker vanished: running (or queued) for longer than any task may run."""
    cutoff = timezone.now() - older_than
    return (
        Job.objects.unfinished()
        .filter(updated_at__lt=cutoff)
        .update(
            state=Job.State.FAILED,
            error=_(
                "The job stopped without finishing (the background worker was interrupted). "
                "Nothing was half-written; start it again."
            ),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )
