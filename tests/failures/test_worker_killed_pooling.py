"""A worker killed in the middle of pooling a tender's volumes: after the restart the job ends
correctly and the tender has exactly one pooling run."""

from __future__ import annotations

import os
import signal

import psycopg
import pytest
from django.db import connection

from jobs.models import Job
from tenders.models import PoolingRun, TenderStatus
from tenders.services import tender_pooling_start
from tests.fixtures.worker import children, wait_for
from tests.tenders.conftest import declare, invite, make_tender

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def waiting_to_store_the_run() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%INSERT INTO %%poolingrun%%'"
        )
        return cursor.fetchone()[0] > 0


def test_worker_killed_while_storing_the_pooling_then_one_run(cast, real_worker) -> None:
    tender = make_tender(cast, status=TenderStatus.VOLUME_COLLECTION)
    odense, aarhus = invite(tender, [cast.odense, cast.aarhus])
    declare(odense, 100_000, 50_000)
    declare(aarhus, 200_000, 0)
    db = connection.settings_dict
    blocker = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    blocker.execute("LOCK TABLE tenders_poolingrun IN SHARE MODE")
    try:
        job = tender_pooling_start(tender=tender, user=cast.staff)
        assert wait_for(waiting_to_store_the_run, timeout=120, step=0.05), real_worker.log()[-3000:]
        for pid in children(real_worker.process.pid):
            os.kill(pid, signal.SIGKILL)  # the pooling dies with its insert half-done
    finally:
        blocker.rollback()
        blocker.close()

    def ended() -> bool:
        job.refresh_from_db()
        return job.is_finished

    assert wait_for(ended, timeout=300, step=0.5), real_worker.log()[-3000:]
    assert job.state == Job.State.SUCCEEDED, job.error
    runs = PoolingRun.objects.filter(tender=tender)
    assert runs.count() == 1
    assert job.result["pooling_run"] == runs.get().pk
    assert runs.get().annual_total == 350_000
