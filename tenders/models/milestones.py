"""A tender's timeline: milestones checked against the minimum time limits
(tenders/timeline.py), and each user's calendar feed.
"""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .tender import Tender


class MilestoneKind(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VOLUME_DEADLINE = "volume_deadline", _("Participation deadline")
    PIN = "pin", _("Prior information notice sent")
    PUBLICATION = "publication", _("Contract notice sent (publication)")
    REQUESTS_DEADLINE = "requests_deadline", _("Deadline for requests to participate")
    INVITATION = "invitation", _("Invitation to tender sent")
    QUESTIONS_DEADLINE = "questions_deadline", _("Deadline for questions")
    BID_DEADLINE = "bid_deadline", _("Bid deadline")
    AWARD_DECISION = "award_decision", _("Award decision notified")
    STANDSTILL_END = "standstill_end", _("End of standstill")
    CONTRACT_START = "contract_start", _("Contract start")


# Deadlines keep their time of day even at midnight: a bid deadline at 00:00 is a time, not a day.
TIMED_KINDS = frozenset(
    {
        MilestoneKind.VOLUME_DEADLINE,
        MilestoneKind.REQUESTS_DEADLINE,
        MilestoneKind.QUESTIONS_DEADLINE,
        MilestoneKind.BID_DEADLINE,
    }
)


def milestone_date_only(kind: str, due: datetime) -> bool:
    """A milestone planned for a day rather than a moment (e.g. the contract start): any kind but
    a deadline, at 00:00 Danish time (how a date without a time is stored)."""
    return kind not in TIMED_KINDS and timezone.localtime(due).time() == time(0)


def milestone_due_text(kind: str, due: datetime, *, long: bool = False) -> str:
    """Danish: "01.06.2027" for a day, "05.03.2027 12:00" for a moment."""
    local = timezone.localtime(due)
    if milestone_date_only(kind, due):
        return date_format(local.date(), "DATE_FORMAT" if long else "SHORT_DATE_FORMAT")
    return date_format(local, "DATETIME_FORMAT" if long else "SHORT_DATETIME_FORMAT")


@audited()
class Milestone(TimeStampedModel):
    """A dated step in a tender's timeline (tidsplan)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=30, choices=MilestoneKind.choices)
    due = models.DateTimeField(_("date and time"))
    # For the bid deadline: tenders are submitted electronically; for the award decision: it is
    # notified electronically. Both shorten the statutory minimum periods (tenders/timeline.py).
    electronic = models.BooleanField(_("by electronic means"), default=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["tender", "due"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "kind"], name="milestone_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.get_kind_display()}: {self.due:%Y-%m-%d %H:%M}"

    @property
    def due_text(self) -> str:
        return milestone_due_text(self.kind, self.due)


class CalendarFeed(TimeStampedModel):
    """A user's secret calendar address; changing `nonce` revokes every earlier address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"
