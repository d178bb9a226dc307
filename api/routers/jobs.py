"""Background jobs the caller may see (imports started through the API are polled here)."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime
import uuid

from django.http import HttpRequest
from ninja import Router, Schema

from accounts.access import get_visible_or_404
from jobs.models import Job

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND

PREFIX = "/jobs"
router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    state: Job.State
    progress: int
    message: str
    error: str
    result_url: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


@router.get("/{job_id}", response={200: JobOut, **AUTH_ERRORS, **NOT_FOUND}, url_name="job_detail")
def job_detail(request: HttpRequest, job_id: uuid.UUID):
    """A job's state and progress; poll until state is `succeeded` or `failed`."""
    return get_visible_or_404(Job, caller(request), pk=job_id)
