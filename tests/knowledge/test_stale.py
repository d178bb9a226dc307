"""Owner and review date: the weekly job flags stale articles and mails owners once."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from knowledge.models import Article, Status
from knowledge.services import article_update, articles_flag_stale
from knowledge.tasks import schedule_stale_check
from tests.conftest import client_for

from .conftest import make_article


def _stale(user, title, days=10, **kw) -> Article:
    return make_article(
        user, title=title, status=Status.PUBLISHED,
        review_date=timezone.localdate() - timedelta(days=days), **kw,
    )  # fmt: skip


def test_flags_stale_articles_and_mails_each_owner_once(
    cast, django_capture_on_commit_callbacks
) -> None:
    _stale(cast.staff, "Gammel procedure")
    _stale(cast.staff, "Gammel skabelon", owner=cast.officer)
    _stale(cast.staff, "Også gammel", owner=cast.officer)
    make_article(cast.staff, title="Frisk", status=Status.PUBLISHED)
    make_article(cast.staff, title="Kladde", review_date=date(2020, 1, 1))  # drafts are not stale
    with django_capture_on_commit_callbacks(execute=True):
        assert articles_flag_stale() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [cast.officer.email, cast.staff.email]
    officer_mail = next(m for m in mail.outbox if m.to == [cast.officer.email])
    assert "Gammel skabelon" in officer_mail.body and "Også gammel" in officer_mail.body
    assert officer_mail.subject.startswith("Artikler i videnbanken")

    with django_capture_on_commit_callbacks(execute=True):
        assert articles_flag_stale() == 0  # idempotent: nobody is mailed twice
    assert len(mail.outbox) == 2


def test_new_review_date_clears_the_flag(cast) -> None:
    article = _stale(cast.staff, "Gammel")
    articles_flag_stale()
    article.refresh_from_db()
    assert article.stale_flagged_at is not None
    article_update(
        article=article, user=cast.staff, review_date=timezone.localdate() + timedelta(days=365)
    )
    article.refresh_from_db()
    assert article.stale_flagged_at is None and not article.is_stale()


def test_stale_list_is_for_the_secretariat(cast) -> None:
    _stale(cast.staff, "Forældet vejledning")
    url = reverse("knowledge:stale")
    assert "Forældet vejledning" in client_for(cast.staff).get(url).content.decode()
    assert client_for(cast.officer).get(url).status_code == 403


def test_beat_task_runs_as_a_job_owned_by_the_secretariat(
    cast, django_capture_on_commit_callbacks
) -> None:
    _stale(cast.staff, "Gammel")
    with django_capture_on_commit_callbacks(execute=True):
        job_id = schedule_stale_check()  # the job runs eagerly in tests
    job = Job.objects.get(pk=job_id)
    assert job.organisation == cast.secretariat
    assert job.state == Job.State.SUCCEEDED and job.result == {"flagged": 1}
    assert job.result_url == reverse("knowledge:stale")


def test_beat_schedule_is_weekly() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["knowledge-flag-stale"]
    assert entry["task"] == "knowledge.tasks.schedule_stale_check"
    assert entry["schedule"].day_of_week == {1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_flags_and_mails(cast, real_worker) -> None:
    article = _stale(cast.staff, "Gammel i arbejder")
    job_id = schedule_stale_check()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"The job did not finish. Worker log:\n{real_worker.log()}")
    assert job.state == Job.State.SUCCEEDED, job.error
    article.refresh_from_db()
    assert article.stale_flagged_at is not None
