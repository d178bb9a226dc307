"""Corrigenda (rettelsesblade): the only way a published tender's conditions change.

From publication on, the tender documents are public and bidders rely on them, so the award
criteria, lots, price schedule lines and the tender's details are frozen (`tenders.workflow`).
A change is made by a numbered corrigendum that says what changes and why, and keeps the values
before and after; the documents rendered after it name the corrigenda they include.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited

from .tender import Tender


@audited()
class Corrigendum(models.Model):
    """One corrigendum (rettelsesblad) of a published tender, numbered 1, 2, … per tender."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="corrigenda")
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    summary = models.TextField(_("what changes"))
    # Each change as {"area", "label", "before", "after"} (texts as they read in the documents).
    changes = models.JSONField(_("changed values"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("corrigendum")
        verbose_name_plural = _("corrigenda")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="corrigendum_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="corrigendum_number_from_1"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(reference)s corrigendum no. %(number)s") % {
            "reference": self.tender.reference,
            "number": self.number,
        }
