"""Tender documents rendered by a real Celery worker against Redis."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from jobs.models import Job
from tenders.documents import KINDS, documents_ready
from tenders.models import TenderDocument
from tests.conftest import client_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_renders_every_document(cast, tender_world, real_worker) -> None:
    client = client_for(cast.staff)
    client.post(reverse("tender_timeline:documents_render", args=[tender_world.tender.reference]))
    job = Job.objects.get(kind="tenders.render_documents")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.state == Job.State.SUCCEEDED, job.error or real_worker.log()[-3000:]
    assert TenderDocument.objects.filter(tender=tender_world.tender).count() == len(KINDS)
    assert documents_ready(tender_world.tender)
    assert str(job.pk) in real_worker.log()
