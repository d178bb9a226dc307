"""Rendered tender documents, each a numbered version, and the secretariat's editable template
texts (tenders/documents.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .tender import Tender


class DocumentKind(models.TextChoices):
    CONDITIONS = "conditions", _("Tender conditions")
    REQUIREMENTS = "requirements", _("Requirement specification")
    AUTHORITIES = "authorities", _("Participating contracting authorities")
    VOLUME_ANNEX = "volume_annex", _("Volume annex")
    PRICE_SCHEDULE = "price_schedule", _("Price schedule")


@audited()
class DocumentTemplate(TimeStampedModel):
    """The secretariat's editable texts of one kind of tender document.

    Texts are plain paragraphs (never template code); `[udbud]`, `[reference]` and `[titel]` are
    replaced by the tender's title and reference when a document is rendered.
    """

    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices, unique=True)
    title = models.CharField(_("document title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    body = models.TextField(_("main text"), blank=True)
    closing = models.TextField(_("closing text"), blank=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title


def tender_document_path(instance: TenderDocument, filename: str) -> str:
    # The tender's id keeps a name free for each tender, so the storage never has to add a
    # random suffix to "2026-014_udbudsbetingelser_v2.pdf" (the download keeps the stored name).
    return f"tenders/{instance.tender.reference}-{instance.tender_id}/documents/{filename}"


@audited(exclude=["data_snapshot"])
class TenderDocument(TimeStampedModel):
    """One rendering of one tender document: a numbered version with its checksum and the data
    it was made from (so it can be explained, and reproduced, later)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=tender_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    data_snapshot = models.JSONField(_("data the document was made from"))
    data_digest = models.CharField(_("SHA-256 of the data"), max_length=64)
    rendered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rendered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")
        ordering = ["tender", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "kind", "version"], name="tender_document_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="tender_document_version_from_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.get_kind_display()} v{self.version}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
