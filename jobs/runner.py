"""The base every job task uses: retries, time limits, late acks, and the job record kept true.

    @job_task(name="members.render_fee_statements")
    def render_fee_statements(job: Job, *, year: int) -> JobOutcome:
        ...
        report(job, 40, _("Rendering Odense"))
        return JobOutcome(message=..., result_url=...)

Callers start it with `jobs.services.job_enqueue(task_name=..., ...)`. Work done by a job task
must be idempotent: a message can be delivered twice (acks_late) and a failed job can be rerun.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pghistory
import redis.exceptions
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Job
from .services import job_begin, job_fail, job_progress, job_succeed, running_for

logger = logging.getLogger(__name__)

# Errors worth retrying: the database, broker or mail server was briefly unreachable.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


class JobError(Exception):
    """A failure the user can act on; its message (translated) is shown on the job page."""


@dataclass
class JobOutcome:
    message: str = ""
    result: Any = None
    result_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def report(job: Job, percent: float, message: str = "") -> None:
    job_progress(str(job.pk), percent, message)


class JobTask(Task):
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        job_id = kwargs.get("job_id")
        if not job_id:
            return
        if isinstance(exc, JobError):
            message = str(exc)
        elif isinstance(exc, SoftTimeLimitExceeded):
            message = _("The job took too long and was stopped. Nothing was half-written.")
        else:
            logger.error("Job %s failed", job_id, exc_info=exc)
            message = _(
                "An unexpected error stopped the job. Nothing was half-written; "
                "the secretariat has been told. Try again later."
            )
        job_fail(job_id, error=message)


def job_task(*, name: str, **options: Any) -> Callable[[Callable[..., JobOutcome | None]], Task]:
    """Turn `fn(job, **kwargs) -> JobOutcome` into a Celery task that keeps its Job record."""

    def decorator(fn: Callable[..., JobOutcome | None]) -> Task:
        @shared_task(base=JobTask, bind=True, name=name, **options)
        def run(self: Task, job_id: str, **kwargs: Any) -> None:
            job = job_begin(job_id)
            if job is None:
                return  # already ended: a redelivered message or a rerun of a finished job
            language = getattr(job.started_by, "language", None) or "da"
            with (
                translation.override(language),
                pghistory.context(user=job.started_by_id, job=str(job.pk)),
                running_for(job.started_by_id),
            ):
                try:
                    outcome = fn(job, **kwargs) or JobOutcome()
                except JobError as exc:
                    # Not retried: the input is wrong, the user must act.
                    job_fail(job_id, error=str(exc))
                    return
            job_succeed(
                job_id,
                message=outcome.message,
                result=outcome.result,
                result_url=outcome.result_url,
            )

        run.__doc__ = fn.__doc__
        return run

    return decorator
