"""A spend import recomputes the compliance figures of the months it touched."""

from __future__ import annotations

import datetime

from agreements.apps import recompute_after_spend_import
from jobs.models import Job
from spend import hooks


def test_agreements_listen_to_spend_imports() -> None:
    assert recompute_after_spend_import in hooks.AFTER_IMPORT


def test_import_hook_starts_a_recompute_job_for_the_member(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        hooks.run_after_import(
            cast.odense.pk, datetime.date(2026, 3, 4), datetime.date(2026, 5, 31)
        )
    job = Job.objects.get(task_name="agreements.compliance_recompute")
    assert job.organisation == cast.odense.organisation
    assert job.task_kwargs == {
        "member_id": cast.odense.pk,
        "start": "2026-03-04",
        "end": "2026-05-31",
    }
