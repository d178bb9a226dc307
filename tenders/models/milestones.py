"""A tender's timeline: milestones checked against the minimum time limits
(tenders/timeline.py), and each user's calendar feed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
