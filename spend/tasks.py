"""Background work for spend data: running an uploaded file's import with progress, and keeping
the spend lines' yearly partitions."""

from __future__ import annotations

import contextvars
import logging
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.db import connections
from django.utils.translation import ngettext

from consortium.formatting import format_number
from jobs.models import Job
from jobs.runner import JobError, JobOutcome, job_task, report

from .models import SpendImport
from .services import spend_import_run

logger = logging.getLogger(__name__)


class ProgressReporter:
    """Records a job's progress from a thread of its own, so on a database connection of its own.

    The import reports while its write transaction is open; on the task's connection those
    reports would stay invisible to the polling page until the commit. Reports go out in order;
    one that repeats the last (same whole percent and message) is skipped.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last: tuple[int, str] | None = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spend-progress")

    def __call__(self, percent: float, message: str) -> None:
        key = (int(percent), message)
        if key != self.last:
            self.last = key
            # The thread reports in the task's acting context (row-level security).
            self.pool.submit(contextvars.copy_context().run, self._send, percent, message)

    def _send(self, percent: float, message: str) -> None:
        try:
            report(self.job, percent, message)
        except Exception:  # progress is a courtesy: never let it stop the import
            logger.warning("Progress of job %s not recorded", self.job.pk, exc_info=True)

    def close(self) -> None:
        """Wait for the reports sent, then close the thread's connection."""
        self.pool.submit(connections.close_all)
        self.pool.shutdown(wait=True)


@job_task(name="spend.import_file")
def import_file(job: Job, *, spend_import_id: int) -> JobOutcome:
    """Import one uploaded spend file; a rejected file ends the job as failed with the reason."""
    reporter = ProgressReporter(job)
    try:
        spend_import = spend_import_run(spend_import_id=spend_import_id, progress=reporter)
    finally:
        reporter.close()
    url = spend_import.get_absolute_url()
    if spend_import.status == SpendImport.Status.REJECTED:
        first = spend_import.errors[0]["reason"] if spend_import.errors else ""
        raise JobError(
            ngettext(
                "The file was rejected: %(count)s error, nothing was imported. %(first)s",
                "The file was rejected: %(count)s errors, nothing was imported. %(first)s",
                spend_import.error_count,
            )
            % {"count": format_number(spend_import.error_count), "first": first}
        )
    if spend_import.status == SpendImport.Status.UNCHANGED:
        message = ngettext(
            "Nothing new: the %(count)s line was already imported.",
            "Nothing new: all %(count)s lines were already imported.",
            spend_import.lines_valid,
        ) % {"count": format_number(spend_import.lines_valid)}
    else:
        message = ngettext(
            "%(new)s new line imported (%(existing)s were already there).",
            "%(new)s new lines imported (%(existing)s were already there).",
            spend_import.lines_new,
        ) % {
            "new": format_number(spend_import.lines_new),
            "existing": format_number(spend_import.lines_existing),
        }
    return JobOutcome(message=message, result_url=url)


@shared_task(name="spend.keep_partitions")
def keep_partitions() -> list[int]:
    """Nightly: the spend lines' partitions of this year and the next, and a partition for any
    year whose lines landed in the default one (spend/partitions.py)."""
    from .partitions import partitions_keep

    return partitions_keep()
