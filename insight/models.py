"""What a member made of its word: volume kept per agreement × member × year, the spend it left
outside the agreements binding it (per member × agreement × supplier × month), and the
secretariat's settings for both (thresholds, framework maximums).

The figures are derived from members' spend and declarations: tenant data (`tenant_path`),
written only by `insight.services.recompute` (set-based SQL), so not audited. The settings are the
secretariat's and audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel

DEFAULT_LOW_THRESHOLD = Decimal("0.70")
DEFAULT_HIGH_MARGIN = Decimal("0.20")


@audited()
class InsightSettings(TimeStampedModel):
    """The secretariat's thresholds for the volume-kept flags (one row)."""

    low_threshold = models.DecimalField(
        _("flag below this share of the declaration"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_LOW_THRESHOLD,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    high_margin = models.DecimalField(
        _("flag above the declaration by more than"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_HIGH_MARGIN,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )

    class Meta:
        verbose_name = _("insight settings")
        verbose_name_plural = _("insight settings")

    def __str__(self) -> str:
        return f"{self.low_threshold} / {self.high_margin}"


@audited()
class FrameworkMaximum(TimeStampedModel):
    """The maximum value of a framework agreement entered by the secretariat (DKK ex. VAT over its
    whole life); without one, the pooled estimate of the originating tender is used."""

    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="framework_maximum"
    )
    maximum_value = models.DecimalField(
        _("maximum value"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("source of the maximum"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("framework maximum")
        verbose_name_plural = _("framework maximums")
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum_value__gt=0), name="framework_maximum_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.maximum_value}"


class EnteredDeclarationQuerySet(TenantQuerySet["EnteredDeclaration"]):
    pass


@audited()
class EnteredDeclaration(TimeStampedModel):
    """A member's declared annual volume on an agreement registered without a joint tender in the
    portal (one concluded before it), entered by the secretariat from the member's declaration.
    An agreement from a joint tender reads its members' volume declarations instead."""

    tenant_path = "member__organisation"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="entered_declarations"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="entered_declarations"
    )
    annual_volume = models.DecimalField(
        _("declared annual volume"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = EnteredDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("entered declaration")
        verbose_name_plural = _("entered declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member"], name="entered_declaration_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.member_id}: {self.annual_volume}"


class VolumeKeptQuerySet(TenantQuerySet["VolumeKeptFigure"]):
    pass


class VolumeKeptFigure(models.Model):
    """A bound member's declared and bought volume on one agreement in one calendar year."""

    tenant_path = "member__organisation"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="volume_kept_figures"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="volume_kept_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    declared_annual = models.DecimalField(
        _("declared annual volume"), max_digits=16, decimal_places=2
    )
    days_in_force = models.PositiveSmallIntegerField(_("days in force"))
    days_in_year = models.PositiveSmallIntegerField(_("days in the year"))
    declared = models.DecimalField(
        _("declared volume for the year"), max_digits=16, decimal_places=2
    )
    spend = models.DecimalField(_("bought on the agreement"), max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(_("computed"))

    objects = VolumeKeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("volume kept figure")
        verbose_name_plural = _("volume kept figures")
        ordering = ["agreement", "member", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member", "year"], name="volume_kept_unique"
            )
        ]
        indexes = [models.Index(fields=["member", "year"], name="volume_kept_member_year")]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.member_id}/{self.year}"


class OffContractQuerySet(TenantQuerySet["OffContractFigure"]):
    pass


# How many suppliers are kept by name per member × agreement × year, and per member × year (the
# suppliers to talk to); the rest of an agreement's off-contract spend is one row without a
# supplier, so every total is exact and the stored data stays small whatever the tail.
SUPPLIERS_KEPT = 10


class OffContractFigure(models.Model):
    """A member's off-contract spend in a year under one agreement with one supplier (the ten
    largest by name; the rest in one row with `supplier` empty), and what buying it on the
    agreement would have saved. insight/rules.py says which agreement a line counts under."""

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="off_contract_figures"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="off_contract_figures"
    )
    supplier = models.ForeignKey(
        "spend.Supplier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="off_contract_figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("off-contract spend"), max_digits=16, decimal_places=2)
    missed_savings = models.DecimalField(_("missed savings"), max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField(_("invoice lines"))
    suppliers = models.PositiveIntegerField(_("suppliers"), default=1)
    computed_at = models.DateTimeField(_("computed"))

    objects = OffContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("off-contract figure")
        verbose_name_plural = _("off-contract figures")
        ordering = ["member", "agreement", "year", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "agreement", "supplier", "year"],
                name="off_contract_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["member", "year"], name="off_contract_member_year")]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.agreement_id}/{self.supplier_id}/{self.year}"


class OffContractSupplierQuerySet(TenantQuerySet["OffContractSupplierFigure"]):
    pass


class OffContractSupplierFigure(models.Model):
    """One of a member's ten suppliers with the most off-contract spend in a year, over all its
    agreements: the suppliers to talk to."""

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="off_contract_suppliers"
    )
    supplier = models.ForeignKey(
        "spend.Supplier", on_delete=models.CASCADE, related_name="off_contract_suppliers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("off-contract spend"), max_digits=16, decimal_places=2)
    missed_savings = models.DecimalField(_("missed savings"), max_digits=16, decimal_places=2)
    lines = models.PositiveIntegerField(_("invoice lines"))
    computed_at = models.DateTimeField(_("computed"))

    objects = OffContractSupplierQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier outside the agreements")
        verbose_name_plural = _("suppliers outside the agreements")
        ordering = ["member", "year", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "supplier", "year"], name="off_contract_supplier_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.supplier_id}/{self.year}"
