"""The effective-dated EU thresholds and the stored poolings of a tender's volumes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .tender import AuthorityLevel, Tender


class ThresholdKind(models.TextChoices):
    SUPPLIES_SERVICES = "supplies_services", _("Supplies and services")
    WORKS = "works", _("Works")
    SOCIAL = "social", _("Social and other specific services")
    # Small lots that may be exempted (directive art. 5(10); udbudsloven § 8, stk. 2).
    SMALL_LOT = "small_lot", _("Small lots exemption (supplies and services)")
    SMALL_LOT_WORKS = "small_lot_works", _("Small lots exemption (works)")


class ThresholdQuerySet(models.QuerySet["Threshold"]):
    def in_force(self, on: object) -> ThresholdQuerySet:
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )


@audited()
class Threshold(TimeStampedModel):
    """An EU procurement threshold in force for a period (tærskelværdi), ex. VAT.

    Effective-dated so that the next biennial revision is a new row, not new code. `level` is
    blank when the value applies to every contracting authority (works, social services).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ThresholdKind.choices)
    level = models.CharField(
        _("contracting authorities"), max_length=20, choices=AuthorityLevel.choices, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=[("EUR", "EUR"), ("DKK", "DKK")]
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    objects = ThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["-valid_from", "currency", "kind", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "level", "currency", "valid_from"], name="threshold_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="threshold_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.level} {self.amount} {self.currency} ({self.valid_from})"


class PoolingRun(TimeStampedModel):
    """One stored pooling of a tender's volumes: the result as computed, and when."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="pooling_runs")
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    annual_total = models.DecimalField(_("declared annual volume"), max_digits=16, decimal_places=2)
    estimated_value = models.DecimalField(
        _("estimated value over the term"), max_digits=16, decimal_places=2
    )
    # None: no threshold was in force on the day of pooling, so there is no verdict.
    eu_procedure_required = models.BooleanField(_("EU procedure required"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional threshold"), default=False)
    result = models.JSONField(_("result"))
    # SHA-256 of what the pooling was computed from (lots, answers, declarations, term, options,
    # contract kind, CPV codes, the threshold that applied): the pooling is current while the
    # tender's inputs still have this digest (tenders.pooling.inputs_digest).
    inputs_digest = models.CharField(_("SHA-256 of the inputs"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("pooling")
        verbose_name_plural = _("poolings")
        ordering = ["tender", "-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.computed_at:%Y-%m-%d %H:%M}"
