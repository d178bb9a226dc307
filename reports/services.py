"""Writes of the reports app: rendering and archiving board report packs."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import translation

from accounts.models import Role, User
from consortium.emails import queue_email
from jobs.models import Job

from .models import BoardMeeting, ReportPack
from .packs import render_pack
from .periods import Period


def report_pack_create(
    *,
    period: Period,
    user: User | None,
    job: Job | None = None,
    meeting: BoardMeeting | None = None,
) -> ReportPack:
    """Render the pack for `period` as its next version and tell the board it is ready.

    Idempotent per job: a redelivered task returns the pack its job already made.
    """
    if job is not None and (existing := ReportPack.objects.filter(job=job).first()):
        return existing
    with transaction.atomic():
        # Serialise version numbering per period, also while no version exists yet.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"report-pack:{period.key}"]
            )
        version = (
            ReportPack.objects.filter(period=period.key).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        rendered = render_pack(period, version=version, meeting=meeting)
        pack = ReportPack(
            period=period.key,
            version=version,
            sha256=rendered.sha256,
            pages=rendered.pages,
            created_by=user,
            meeting=meeting,
            job=job,
        )
        pack.file.save(pack.filename, ContentFile(rendered.pdf), save=False)
        pack.full_clean()
        pack.save()
        board = list(
            User.objects.filter(role=Role.BOARD_MEMBER, is_active=True).values_list(
                "email", "language"
            )
        )
        for email, language in board:
            language = language or "da"
            # The e-mail is written in the reader's language, so the period is named in it too
            # (not in the language of whoever started the job).
            with translation.override(language):
                label = period.label
            queue_email(
                "emails/report_pack_ready",
                to=[email],
                context={"period_label": label, "version": version, "pack_id": pack.pk},
                language=language,
            )
    return pack


@transaction.atomic
def board_meeting_save(*, meeting: BoardMeeting) -> BoardMeeting:
    """Create or update a board meeting; its pack is started ahead of it by the beat job."""
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def board_meeting_delete(*, meeting: BoardMeeting) -> None:
    """Delete a meeting; packs made for it stay in the archive, without the meeting."""
    meeting.delete()
