"""A Celery task acts as whoever started it, in a real worker connected as the application role;
a task whose message carries no context sees no tenant row."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.access import acting_for
from consortium import tenancy
from jobs.models import Job
from jobs.tasks import fail_stale_jobs
from tests.fixtures.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def stale_jobs(cast) -> dict[str, Job]:
    long_ago = timezone.now() - datetime.timedelta(days=3)
    jobs = {}
    for name, member in (("odense", cast.odense), ("aarhus", cast.aarhus)):
        job = Job.objects.create(organisation=member.organisation, kind="spend_import")
        Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, updated_at=long_ago)
        jobs[name] = job
    return jobs


def run(worker, acting: tenancy.Acting | None, headers: dict | None = None) -> None:
    """Send the beat task `fail_stale_jobs` in `acting`'s context and wait until it ran."""
    with tenancy.acting_as(acting or tenancy.NOBODY):
        result = fail_stale_jobs.apply_async(headers=headers)
    assert wait_for(
        lambda: any(
            result.id in line and "task_succeeded" in line for line in worker.log().splitlines()
        ),
        timeout=60,
        step=0.1,
    ), worker.log()[-3000:]


def states(jobs: dict[str, Job]) -> dict[str, str]:
    return {name: Job.objects.get(pk=job.pk).state for name, job in jobs.items()}


def test_a_task_without_a_context_sees_nothing(cast, real_worker) -> None:
    jobs = stale_jobs(cast)
    run(real_worker, tenancy.NOBODY)
    assert states(jobs) == {"odense": Job.State.RUNNING, "aarhus": Job.State.RUNNING}

    # Started by Odense's officer, it reaches Odense's job only.
    run(real_worker, acting_for(cast.officer))
    assert states(jobs) == {"odense": Job.State.FAILED, "aarhus": Job.State.RUNNING}

    # As beat sends it: the schedule says it acts for the consortium.
    entry = settings.CELERY_BEAT_SCHEDULE["jobs-mark-stale"]
    run(real_worker, tenancy.NOBODY, headers=entry["options"]["headers"])
    assert states(jobs) == {"odense": Job.State.FAILED, "aarhus": Job.State.FAILED}


def test_a_malformed_context_is_no_context() -> None:
    assert tenancy.Acting.from_header({"scope": "superuser"}) == tenancy.NOBODY
    assert tenancy.Acting.from_header("consortium") == tenancy.NOBODY
    assert tenancy.Acting.from_header({"scope": "member", "member_id": "x"}) == tenancy.NOBODY
    assert tenancy.Acting.from_header(tenancy.SYSTEM.as_header()) == tenancy.SYSTEM
