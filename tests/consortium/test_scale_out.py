"""Scale-out: tasks go to the queue of their kind, each queue has its workers in
docker-compose.yml, and report reads go to a read replica when one is configured."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from consortium import tenancy
from consortium.celery import app
from consortium.db.routers import REPORTS, ReportsReplicaRouter, reports_replica
from consortium.settings import TASK_KINDS, celery_queues, celery_task_routes
from cpv.models import CpvCode
from members.models import Member

ROOT = Path(__file__).resolve().parents[2]


def test_queues_are_named_after_the_default_queue() -> None:
    assert celery_queues("portal") == {
        "default": "portal",
        "imports": "portal.imports",
        "rendering": "portal.rendering",
        "mail": "portal.mail",
    }
    routes = celery_task_routes("portal")
    assert routes["spend.import_file"] == {"queue": "portal.imports"}
    assert routes["agreements.compliance_recompute"] == {"queue": "portal.imports"}
    assert routes["reports.render_board_pack"] == {"queue": "portal.rendering"}
    assert routes["consortium.send_email"] == {"queue": "portal.mail"}
    assert "jobs.tasks.fail_stale_jobs" not in routes  # the default queue


@pytest.mark.django_db  # importing every task module may touch the database
def test_every_routed_task_exists_and_is_routed_by_celery() -> None:
    app.loader.import_default_modules()
    queues = settings.TASK_QUEUES
    for kind, tasks in TASK_KINDS.items():
        for name in tasks:
            assert name in app.tasks, f"{name} is routed but no such task is registered"
            assert app.amqp.router.route({}, name)["queue"].name == queues[kind]
    assert app.amqp.router.route({}, "jobs.selfcheck")["queue"].name == queues["default"]
    # Every queue is declared, so a worker started without --queues serves them all.
    assert set(app.amqp.queues) == set(queues.values())


def test_docker_compose_has_a_worker_per_queue() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    served = re.findall(r'"--queues", "([^"]+)"', compose)
    assert sorted(served) == sorted(celery_queues("portal").values())


# --- The reports replica ---------------------------------------------------------------------


def test_without_a_replica_report_reads_stay_on_the_primary() -> None:
    assert settings.REPORTS_REPLICA is False  # off by default
    router = ReportsReplicaRouter()
    with reports_replica():
        assert router.db_for_read(CpvCode) is None
    assert router.db_for_write(CpvCode) is None


@pytest.fixture
def replica(settings) -> Iterator[str]:
    """The tests' second alias on the same test database (tests/settings.py), as a replica."""
    settings.REPORTS_REPLICA = True
    yield REPORTS
    connections[REPORTS].close()  # or the test database cannot be dropped at the end


@pytest.mark.django_db(databases=["default", REPORTS])
def test_report_reads_go_to_the_replica_and_writes_to_the_primary(replica) -> None:
    router = ReportsReplicaRouter()
    assert router.db_for_read(CpvCode) is None  # outside the block
    with reports_replica():
        assert router.db_for_read(CpvCode) == REPORTS
        assert router.db_for_write(CpvCode) is None
    assert router.allow_migrate(REPORTS, "cpv") is False
    assert router.allow_migrate("default", "cpv") is True

    expected = CpvCode.objects.count()  # reference data, committed by the migrations
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPORTS]) as on_replica,
    ):
        with reports_replica():
            assert CpvCode.objects.count() == expected
        assert CpvCode.objects.filter(code8="30192000").exists()
    assert len(on_replica) == 1 and "COUNT" in on_replica[0]["sql"].upper()
    assert len(primary) == 1 and "30192000" in primary[0]["sql"]


@pytest.mark.django_db(databases=["default", REPORTS])
def test_the_replica_is_under_row_level_security_too(replica) -> None:
    """The replica connects as the application role through the same backend, which hands the
    acting context to PostgreSQL there too."""
    assert connections[REPORTS].settings_dict["USER"] == settings.DATABASE_APP_ROLE
    sql = "SELECT current_setting('portal.scope', true), current_setting('portal.member', true)"
    for acting, expected in (
        (tenancy.SYSTEM, ("consortium", "")),
        (tenancy.Acting(scope=tenancy.MEMBER, organisation_id=5, member_id=7), ("member", "7")),
    ):
        with tenancy.acting_as(acting), connections[REPORTS].cursor() as cursor:
            cursor.execute(sql)
            assert cursor.fetchone() == expected
    with reports_replica(), tenancy.acting_as(tenancy.NOBODY):
        assert Member.objects.count() == 0


def test_reports_database_url_turns_the_replica_on() -> None:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from consortium import settings as s; "
        "print(json.dumps([s.REPORTS_REPLICA, sorted(s.DATABASES), "
        "s.DATABASES.get('reports', {}).get('HOST'), s.DATABASES.get('reports', {}).get('ENGINE')]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "REPORTS_DATABASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    off = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(off.stdout.splitlines()[-1]) == [False, ["default"], None, None]
    env["REPORTS_DATABASE_URL"] = "postgres://portal_app@replica.internal:5432/portal"
    on = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(on.stdout.splitlines()[-1]) == [
        True,
        ["default", "reports"],
        "replica.internal",
        "consortium.db",
    ]
