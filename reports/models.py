"""Board meetings and the archive of board report packs (numbered versions per period)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .periods import PeriodError, parse_period


@audited()
class BoardMeeting(TimeStampedModel):
    """A board meeting; a pack for `period` is generated ahead of it (see reports/tasks.py)."""

    date = models.DateField(_("date"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(
        _("report period"), max_length=7, help_text=_("2026, 2026-H1 or 2026-Q3")
    )

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("reports:meeting_edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        try:
            self.period = parse_period(self.period).key  # "2026-q3" is stored as "2026-Q3"
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label

    @property
    def pack_due(self) -> datetime.date:
        """The day the beat job starts this meeting's pack (reports.tasks.packs_before_meetings)."""
        return self.date - datetime.timedelta(days=settings.REPORT_PACK_DAYS_BEFORE_MEETING)


def pack_path(instance: ReportPack, filename: str) -> str:
    return f"reports/packs/{instance.period}/{filename}"


@audited()
class ReportPack(TimeStampedModel):
    """One rendering of the board report pack for a period; versions count up per period."""

    period = models.CharField(_("period"), max_length=7)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=pack_path, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="packs"
    )
    # The job that rendered it: a redelivered task finds its pack instead of making a second one.
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="report_pack"
    )

    class Meta:
        verbose_name = _("board report pack")
        verbose_name_plural = _("board report packs")
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="report_pack_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack_download", args=[self.pk])

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label

    @property
    def filename(self) -> str:
        return f"bestyrelsespakke-{self.period}-v{self.version}.pdf"
