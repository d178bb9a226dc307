"""A real worker killed in the middle of writing an import; the job runs again; each line once."""

from __future__ import annotations

import io
import os
import signal

import pytest
from django.db import connection

from jobs.models import Job
from jobs.services import job_rerun
from spend.models import SpendImport, SpendLine
from spend.services import spend_import_create, spend_import_enqueue
from tests.fixtures.worker import children, wait_for

from .files import CVR_A, CVR_B, HEADER

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LINES = 200_000


def big_csv(lines: int) -> bytes:
    rows = [";".join(HEADER)]
    for i in range(lines):
        day = 1 + i % 28
        rows.append(
            f"{day:02d}-0{1 + i % 9}-2025;{CVR_A if i % 3 else CVR_B};Leverandør {i % 3};{i % 9999},{i % 100:02d};44{i % 10};F-{i}"
        )
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def writing_backend() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid() "
            "AND (query ILIKE '%%INSERT INTO spend_spendline%%' OR query ILIKE '%%COPY spend_import_rows%%')"
        )
        return cursor.fetchone()[0] > 0


def test_worker_killed_while_writing_then_rerun_writes_each_line_once(cast, real_worker) -> None:
    spend_import = spend_import_create(
        member=cast.odense, user=cast.officer, file=io.BytesIO(big_csv(LINES)), name="stor.csv"
    )
    spend_import_enqueue(spend_import=spend_import, user=cast.officer)
    spend_import.refresh_from_db()
    job = spend_import.job

    assert wait_for(writing_backend, timeout=180), (
        f"the import never wrote:\n{real_worker.log()[-3000:]}"
    )
    pool = children(real_worker.process.pid)
    assert pool, "no worker child process to kill"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)  # the process running the task dies mid-transaction

    # Nothing of the killed attempt is left: its transaction died with it.
    assert wait_for(lambda: not writing_backend(), timeout=30, step=0.05)

    def ended() -> bool:
        job.refresh_from_db()
        return job.is_finished

    # acks_late + reject_on_worker_lost: the broker delivers the task again to a fresh child.
    assert wait_for(ended, timeout=300, step=0.5), f"job did not end:\n{real_worker.log()[-3000:]}"
    killed = Job.objects.get(pk=job.pk)
    if job.state == Job.State.FAILED:
        job = job_rerun(job=job, user=cast.officer)
        assert wait_for(ended, timeout=300, step=0.5)
    assert job.state == Job.State.SUCCEEDED, job.error

    spend_import.refresh_from_db()
    assert spend_import.status == SpendImport.Status.IMPORTED
    assert spend_import.lines_new == LINES
    assert SpendLine.objects.filter(member=cast.odense).count() == LINES
    assert SpendLine.objects.values("fingerprint").distinct().count() == LINES
    # The killed attempt really ran: it was either delivered again (a second attempt) or rerun.
    assert killed.attempts >= 2 or job.pk != killed.pk
