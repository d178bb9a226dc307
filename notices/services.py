"""Making a notice: read the tender's data, build the XML, validate it twice, keep the version."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_enqueue
from tenders.models import Tender

from .builder import build_notice
from .data import content_digest, notice_content, notice_data
from .models import Notice, NoticeKind
from .validation import SDK_VERSION, validate

if TYPE_CHECKING:
    from accounts.models import User


def notice_generate(
    *,
    tender: Tender,
    kind: str,
    user: User | None,
    progress: Callable[[float, str], None] | None = None,
) -> Notice:
    """Make the next version of a notice from the tender's current data, validated."""
    step = progress or (lambda percent, message: None)
    step(10, "data")
    content = notice_content(tender, kind)
    with transaction.atomic():
        # One maker at a time per tender, so version numbers never collide.
        Tender.objects.select_for_update().filter(pk=tender.pk).first()
        last = Notice.objects.filter(tender=tender, kind=kind).aggregate(v=Max("version"))["v"]
        version = (last or 0) + 1
        data = notice_data(content, version=version, issued=timezone.now())
        step(30, "xml")
        xml = build_notice(data)
        step(50, "validate")
        report = validate(xml)
        step(90, "store")
        return Notice.objects.create(
            tender=tender,
            kind=kind,
            version=version,
            xml=xml.decode("utf-8"),
            sha256=hashlib.sha256(xml).hexdigest(),
            data_snapshot=data,
            data_digest=content_digest(content),
            sdk_version=SDK_VERSION,
            validation=report.as_json(),
            error_count=len(report.xsd_errors) + len(report.errors),
            warning_count=len(report.warnings),
            made_by=user,
        )


def notice_generate_enqueue(*, tender: Tender, kind: str, user: User) -> Job:
    """Start making a notice in the background; returns the job to follow."""
    from django.utils.translation import gettext as _

    return job_enqueue(
        task_name="notices.generate",
        kind="notices.generate",
        title=_("%(notice)s for %(reference)s")
        % {"notice": NoticeKind(kind).label, "reference": tender.reference},
        user=user,
        task_kwargs={"tender_id": tender.pk, "kind": kind},
    )
