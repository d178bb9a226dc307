"""The job page's polled region holds everything a job's end changes on the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jobs.models import Job
from spend.models import SpendImport
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FINISHED = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=datetime.UTC)


def _job(cast, state: str, **fields) -> Job:
    return Job.objects.create(
        kind="t", title="Beregning", organisation=cast.odense.organisation,
        task_name="tests.counts", state=state, started_by=cast.officer, **fields,
    )  # fmt: skip


def _poll(client, url: str):
    return client.get(url, headers={"HX-Request": "true"})


def test_a_failed_job_brings_its_end_time_and_run_again_to_the_polling_page(cast) -> None:
    job = _job(cast, Job.State.FAILED, finished_at=FINISHED, error="Noget gik galt")
    html = _poll(client_for(cast.officer), job.get_absolute_url()).content.decode()
    assert "Afsluttet" in html and "30.11.2026 23:00" in html
    assert reverse("jobs:rerun", args=[job.pk]) in html and "Kør igen" in html
    assert "hx-get" not in html  # ended: polling stops


def test_a_running_job_keeps_polling_its_whole_region(cast) -> None:
    job = _job(cast, Job.State.RUNNING)
    html = _poll(client_for(cast.officer), job.get_absolute_url()).content.decode()
    assert f'id="job-{job.pk}"' in html and "hx-get" in html and "<dl" in html
    assert "Afsluttet" not in html


def test_the_import_region_holds_the_status_badge(cast) -> None:
    job = _job(cast, Job.State.SUCCEEDED, finished_at=FINISHED)
    spend_import = SpendImport.objects.create(
        member=cast.odense, original_name="a.csv", sha256="0" * 64,
        status=SpendImport.Status.IMPORTED, job=job, lines_new=7, lines_total=7,
    )  # fmt: skip
    response = _poll(client_for(cast.officer), spend_import.get_absolute_url())
    html = response.content.decode()
    assert 'id="import-status"' in html and "Indlæst</span>" in html
    assert "7 nye linjer indlæst" in html
    assert "HX-Refresh" not in response


def test_an_import_whose_job_failed_redraws_the_page_to_offer_the_start_again(cast) -> None:
    job = _job(cast, Job.State.FAILED, finished_at=FINISHED, error="Forbindelsen røg")
    spend_import = SpendImport.objects.create(
        member=cast.odense, original_name="a.csv", sha256="0" * 64, job=job,
        file="spend/imports/a.csv",
    )  # fmt: skip
    response = _poll(client_for(cast.officer), spend_import.get_absolute_url())
    assert response["HX-Refresh"] == "true"
