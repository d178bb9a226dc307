"""A worker killed in the middle of rendering a tender's documents: after the restart the job ends
correctly, each document exists once, and no file is left behind without its record."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from jobs.models import Job
from tenders.documents import KINDS
from tenders.models import TenderDocument
from tenders.services import documents_render_enqueue
from tests.fixtures.worker import children, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def waiting_on_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%INSERT INTO %%tenderdocument%%'"
        )
        return cursor.fetchone()[0] > 0


def stored_documents(tender) -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "tenders" / f"{tender.reference}-{tender.pk}" / "documents"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_worker_killed_after_writing_a_file_but_before_its_record(
    cast, tender_world, real_worker
) -> None:
    tender = tender_world.tender
    db = connection.settings_dict
    # Another session blocks new document records: the renderer writes the first file, then waits
    # to insert its row — the moment a crash leaves a file without a record.
    blocker = psycopg.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    blocker.execute("LOCK TABLE tenders_tenderdocument IN SHARE MODE")
    try:
        job = documents_render_enqueue(tender=tender, user=cast.staff)
        assert wait_for(waiting_on_lock, timeout=120, step=0.05), real_worker.log()[-3000:]
        assert len(stored_documents(tender)) == 1  # the file is written, its record is not
        for pid in children(real_worker.process.pid):
            os.kill(pid, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()

    def ended() -> bool:
        job.refresh_from_db()
        return job.is_finished

    assert wait_for(ended, timeout=300, step=0.5), real_worker.log()[-3000:]
    assert job.state == Job.State.SUCCEEDED, job.error
    documents = TenderDocument.objects.filter(tender=tender)
    assert documents.count() == len(KINDS)
    assert set(documents.values_list("version", flat=True)) == {1}
    # Every stored file belongs to a record, and every record's file is there.
    assert stored_documents(tender) == {Path(d.file.name).name for d in documents}
