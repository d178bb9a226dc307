"""A job run by a real Celery worker process against Redis, watched through the job fragment."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from jobs.models import Job
from tests.conftest import client_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_runs_selfcheck_and_fragment_shows_progress(cast, real_worker) -> None:
    client = client_for(cast.admin)
    response = client.post(reverse("jobs:selfcheck"))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()

    seen: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        html = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
        seen.append(int(re.search(r'<progress[^>]*value="(\d+)"', html).group(1)))
        if "hx-trigger" not in html:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"The job did not finish. Worker log:\n{real_worker.log()}")

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen), f"no intermediate progress seen: {seen}"
    assert seen == sorted(seen), "progress moved backwards"
    assert job.message in html
    assert f"{job.pk}" in real_worker.log()
