"""The broker (Redis) restarted under a running import: the job still ends correctly and every
line is written once.

The test runs its own Redis (append-only, as in docker-compose.yml), a worker on it, and starts
the job from a separate process that publishes to that Redis."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from jobs.models import Job
from spend.models import SpendImport, SpendLine
from spend.services import spend_import_create
from tests.fixtures.worker import ROOT, start_worker, stop_worker, wait_for, worker_env
from tests.spend.test_worker import big_csv

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LINES = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "yes", "--dir", str(folder)],
        stdout=(folder / "redis.log").open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert wait_for(lambda: _answers(port), timeout=20, step=0.05)
    return server


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_redis_restarted_under_a_running_import(cast, tmp_path) -> None:
    port = free_port()
    redis = start_redis(port, tmp_path)
    broker = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "TEST_REDIS_DB": "0"}
    database = connection.settings_dict["NAME"]
    worker = start_worker("redis-restart", database, tmp_path / "worker.log", extra_env=broker)
    try:
        spend_import = spend_import_create(
            member=cast.odense, user=cast.officer, file=io.BytesIO(big_csv(LINES)), name="stor.csv"
        )
        # Enqueue from a process whose broker is this test's Redis.
        enqueue = subprocess.run(
            [sys.executable, "-c",
             "import django; django.setup()\n"
             "from consortium.celery import app\n"
             "app.conf.task_always_eager = False\n"
             "from accounts.access import acting_for\n"
             "from consortium import tenancy\n"
             "from spend.models import SpendImport\n"
             "from spend.services import spend_import_enqueue\n"
             "with tenancy.acting_as(tenancy.SYSTEM):\n"
             f"    i = SpendImport.objects.select_related('uploaded_by').get(pk={spend_import.pk})\n"
             # as the officer's request would: the task acts as the officer
             "with tenancy.acting_as(acting_for(i.uploaded_by)):\n"
             "    spend_import_enqueue(spend_import=i, user=i.uploaded_by)\n"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
            env={**worker_env(database), **broker},
        )  # fmt: skip
        assert enqueue.returncode == 0, enqueue.stderr[-3000:]
        spend_import.refresh_from_db()
        job = spend_import.job

        def running() -> bool:
            job.refresh_from_db()
            return job.state == Job.State.RUNNING and job.progress > 0

        assert wait_for(running, timeout=120, step=0.05), worker.log()[-3000:]
        redis.terminate()  # Redis goes away under the running job …
        redis.wait(timeout=20)
        time.sleep(1)
        redis = start_redis(port, tmp_path)  # … and comes back

        def ended() -> bool:
            job.refresh_from_db()
            return job.is_finished

        assert wait_for(ended, timeout=300, step=0.5), worker.log()[-3000:]
        assert job.state == Job.State.SUCCEEDED, job.error or worker.log()[-3000:]
        spend_import.refresh_from_db()
        assert spend_import.status == SpendImport.Status.IMPORTED
        assert SpendLine.objects.filter(member=cast.odense).count() == LINES
        assert SpendLine.objects.values("fingerprint").distinct().count() == LINES
    finally:
        stop_worker(worker)
        redis.terminate()
        redis.wait(timeout=20)
