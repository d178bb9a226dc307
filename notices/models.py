"""EU notices (eForms) made from a tender's data, each a numbered version, and the counts of
tenders received per lot that an award notice reports.

A notice is shared data once its tender is published; before that only the secretariat sees
it (`notices.access`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel


class NoticeKind(models.TextChoices):
    """The notices the portal makes, with their eForms subtype."""

    PIN = "pin", _("Prior information notice")
    CONTRACT = "contract", _("Contract notice")
    AWARD = "award", _("Contract award notice")


SUBTYPES = {NoticeKind.PIN: "4", NoticeKind.CONTRACT: "16", NoticeKind.AWARD: "29"}


@audited(exclude=["xml", "data_snapshot", "validation"])
class Notice(TimeStampedModel):
    """One generated notice: a numbered version with its checksum, the data it was made from,
    the SDK version and the outcome of both validations."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("notice"), max_length=10, choices=NoticeKind.choices)
    version = models.PositiveIntegerField(_("version"))
    xml = models.TextField(_("XML"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    data_snapshot = models.JSONField(_("data the notice was made from"))
    data_digest = models.CharField(_("SHA-256 of the data"), max_length=64)
    sdk_version = models.CharField(_("eForms SDK version"), max_length=20)
    validation = models.JSONField(_("validation result"))
    error_count = models.PositiveIntegerField(_("errors"))
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("EU notice")
        verbose_name_plural = _("EU notices")
        ordering = ["tender", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "kind", "version"], name="notice_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="notice_version_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.get_kind_display()} v{self.version}"

    @property
    def subtype(self) -> str:
        return SUBTYPES[NoticeKind(self.kind)]

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    @property
    def filename(self) -> str:
        return f"{self.tender.reference}_eforms-{self.subtype}_v{self.version}.xml"


@audited()
class ReceivedTenders(TimeStampedModel):
    """How many tenders a lot received, as the award notice must report them (BT-759, BT-760:
    by company size, from other EEA countries and from outside the EEA)."""

    lot = models.OneToOneField(
        "tenders.Lot", on_delete=models.CASCADE, related_name="received_tenders"
    )
    tenders = models.PositiveSmallIntegerField(
        _("tenders received"), validators=[MinValueValidator(1)]
    )
    sme = models.PositiveSmallIntegerField(_("of these from small and medium-sized enterprises"))
    other_eea = models.PositiveSmallIntegerField(_("of these from other EEA countries"), default=0)
    non_eea = models.PositiveSmallIntegerField(_("of these from outside the EEA"), default=0)

    class Meta:
        verbose_name = _("tenders received")
        verbose_name_plural = _("tenders received")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sme__lte=models.F("tenders"))
                & models.Q(other_eea__lte=models.F("tenders"))
                & models.Q(non_eea__lte=models.F("tenders")),
                name="received_tenders_parts_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot}: {self.tenders}"
