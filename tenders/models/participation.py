"""Each member's answer to a tender (participation) and its volume declarations per lot.

Both are the member's tenant data until pooled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .tender import Lot, Tender, TenderStatus

# Tenders whose answers are closed: volume collection is over and the answers stand (a tender
# still collecting may have its answers changed or reopened; a cancelled one asked nobody in the
# end). Figures about the members' declines for the board read only these.
ANSWERS_CLOSED_STATUSES = (
    TenderStatus.PREPARATION,
    TenderStatus.PUBLISHED,
    TenderStatus.EVALUATION,
    TenderStatus.AWARDED,
    TenderStatus.CONCLUDED,
)


class ParticipationQuerySet(TenantQuerySet["Participation"]):
    def answers_closed(self) -> ParticipationQuerySet:
        """Answers to tenders that no longer collect answers (`ANSWERS_CLOSED_STATUSES`)."""
        return self.filter(tender__status__in=ANSWERS_CLOSED_STATUSES)

    def participating(self) -> ParticipationQuerySet:
        return self.filter(answer=Participation.Answer.PARTICIPATE)

    def unanswered(self) -> ParticipationQuerySet:
        """Answers not given: still open (pending) or closed at the deadline (no answer)."""
        return self.filter(
            answer__in=(Participation.Answer.PENDING, Participation.Answer.NO_ANSWER)
        )


class DeclineCategory(models.TextChoices):
    """Why a member declines, in the words a procurement officer would choose. The board counts
    declines by these (never reads the member's own text: `accounts.access`)."""

    OWN_AGREEMENT = "own_agreement", _("Covered by the municipality's own agreement")
    NO_NEED = "no_need", _("Too small a volume or no need in the period")
    REQUIREMENTS = "requirements", _("The requirements do not fit the municipality")
    BUDGET = "budget", _("Budget or finances")
    CAPACITY = "capacity", _("Timing or capacity")
    OTHER = "other", _("Other reason")


@audited()
class Participation(TimeStampedModel):
    """A member's answer to a tender's invitation to take part (tilslutning)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered")
        PARTICIPATE = "participate", _("Participates (binding)")
        DECLINE = "decline", _("Declines")
        # Not answered by the deadline: the portal records the member as not participating.
        NO_ANSWER = "no_answer", _("No answer")

    tenant_path = "member__organisation"
    # Whether a member takes part (or declined, or let the deadline pass) is shared with every
    # signed-in user (the member page shows it); a pending answer and the declared volumes are
    # the member's own (row-level security, consortium/tenancy.py).
    tenant_public_sql = "portal_scope() = 'member' AND answer <> 'pending'"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="participations"
    )
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    # Set when the answer is a decline (the service requires it), blank otherwise.
    decline_category = models.CharField(
        _("reason category"), max_length=20, choices=DeclineCategory.choices, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Optimistic concurrency: a save names the version it was edited from; a stale one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    reopened_until = models.DateTimeField(_("reopened until"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["tender", "member"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "member"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.member}: {self.get_answer_display()}"

    def deadline(self) -> object:
        """When this member's answer locks: the tender's deadline, or a later reopening."""
        deadline = self.tender.volume_deadline
        if self.reopened_until and (deadline is None or self.reopened_until > deadline):
            return self.reopened_until
        return deadline

    def is_locked(self, now: object = None) -> bool:
        """True when the answer may no longer be changed by the member."""
        if self.tender.status != TenderStatus.VOLUME_COLLECTION:
            return True
        deadline = self.deadline()
        return deadline is not None and (now or timezone.now()) >= deadline


class VolumeDeclarationQuerySet(TenantQuerySet["VolumeDeclaration"]):
    pass


@audited()
class VolumeDeclaration(TimeStampedModel):
    """A participating member's expected annual volume on one lot (DKK ex. VAT)."""

    tenant_path = "participation__member__organisation"

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="declarations"
    )
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="declarations")
    annual_volume = models.DecimalField(
        _("expected annual volume"), max_digits=14, decimal_places=2
    )
    quantity = models.DecimalField(
        _("expected annual quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    objects = VolumeDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("volume declaration")
        verbose_name_plural = _("volume declarations")
        constraints = [
            models.UniqueConstraint(fields=["participation", "lot"], name="declaration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participation} / {self.lot.number}: {self.annual_volume}"
