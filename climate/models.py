"""The climate footprint of members' purchases: versioned spend-based emission factors per CPV
division, metered energy consumption, and the stored figures computed from the spend lines.

Factors are kg CO2e per DKK ex. VAT (climate/data/, CC BY-SA 4.0, derived from EXIOBASE). The
newest `FactorVersion` is in force; every stored figure names the version it used. Electricity
(CPV 0931xxxx) and district heating (09323xxx) are never estimated from spend: their spend is
shown as "needs metered consumption", and the member enters kWh and a kg CO2e/kWh factor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class FactorVersionQuerySet(models.QuerySet["FactorVersion"]):
    def in_force(self) -> FactorVersion | None:
        """The newest version: the one every recompute uses."""
        return self.order_by("-number").first()


@audited()
class FactorVersion(TimeStampedModel):
    """A numbered set of emission factors; the newest is in force."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = FactorVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("emission factor version")
        verbose_name_plural = _("emission factor versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return str(_("Factor version %(number)s") % {"number": self.number})


@audited()
class EmissionFactor(models.Model):
    """kg CO2e per DKK ex. VAT for one CPV division in one version (None: no factor)."""

    version = models.ForeignKey(
        FactorVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="factors"
    )
    division = models.CharField(_("CPV division"), max_length=2)
    label = models.CharField(_("label"), max_length=300)
    kg_per_dkk = models.DecimalField(
        _("kg CO2e per DKK ex. VAT"), max_digits=10, decimal_places=6, null=True, blank=True
    )
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, blank=True
    )

    class Meta:
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        ordering = ["version", "division"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "division"], name="climate_factor_one_per_division"
            ),
            models.CheckConstraint(
                condition=models.Q(kg_per_dkk__isnull=True) | models.Q(kg_per_dkk__gte=0),
                name="climate_factor_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division} {self.label}: {self.kg_per_dkk}"


class Energy(models.TextChoices):
    """Purchases whose footprint comes from metered consumption, never from spend."""

    ELECTRICITY = "electricity", _("Electricity")
    DISTRICT_HEATING = "district_heating", _("District heating")


class MeteredConsumptionQuerySet(TenantQuerySet["MeteredConsumption"]):
    pass


@audited()
class MeteredConsumption(TimeStampedModel):
    """A member's metered energy consumption in a year, with the factor it is counted at."""

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="metered_consumption",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("energy"), max_length=20, choices=Energy.choices)
    kwh = models.DecimalField(_("consumption in kWh"), max_digits=14, decimal_places=2)
    kg_per_kwh = models.DecimalField(_("kg CO2e per kWh"), max_digits=8, decimal_places=5)
    factor_source = models.CharField(_("source of the factor"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MeteredConsumptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("metered consumption")
        verbose_name_plural = _("metered consumption")
        ordering = ["member", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "kind"],
                name="climate_metered_one_per_member_year_kind",
                violation_error_message=_(
                    "The member already has a consumption of this kind for that year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kwh__gte=0) & models.Q(kg_per_kwh__gte=0),
                name="climate_metered_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.kind}: {self.kwh} kWh"

    @property
    def co2e_kg(self):
        return self.kwh * self.kg_per_kwh


class FigureKind(models.TextChoices):
    ESTIMATED = "estimated", _("Estimated from spend")
    ELECTRICITY = "electricity", _("Electricity: needs metered consumption")
    DISTRICT_HEATING = "district_heating", _("District heating: needs metered consumption")
    NO_FACTOR = "no_factor", _("No factor for the category")
    UNCLASSIFIED = "unclassified", _("Unclassified (no category)")


# Figure kinds whose spend gets no CO2e from spend.
NOT_ESTIMATED = (
    FigureKind.ELECTRICITY,
    FigureKind.DISTRICT_HEATING,
    FigureKind.NO_FACTOR,
    FigureKind.UNCLASSIFIED,
)
METERED_KINDS = (FigureKind.ELECTRICITY, FigureKind.DISTRICT_HEATING)

# The stored figures are derived and rewritten whole by each recompute (hundreds of thousands of
# rows per supplier figure on national data): their keys carry no database constraint and no index
# of their own — the unique constraints index them, Django's collector still cascades deletes — so
# a recompute writes one index entry per row instead of five and checks no foreign keys.
DERIVED_FK = {"db_constraint": False, "db_index": False}

# Exact to the øre times the factor's six decimals: sums stay exact, rounding only when shown.
CO2E = {"max_digits": 24, "decimal_places": 8}
SPEND = {"max_digits": 16, "decimal_places": 2}


class ClimateFigureQuerySet(TenantQuerySet["ClimateFigure"]):
    pass


class ClimateFigure(models.Model):
    """A member's spend and spend-based CO2e in a year and CPV division (derived, tenant data).

    `division` is blank for the unclassified row (lines without a CPV category). The flagged
    columns hold the part bought on agreements with climate requirements.
    """

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="climate_figures", **DERIVED_FK
    )
    year = models.PositiveSmallIntegerField(_("year"))
    division = models.CharField(_("CPV division"), max_length=2, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FigureKind.choices)
    spend_dkk = models.DecimalField(_("spend ex. VAT"), **SPEND)
    co2e_kg = models.DecimalField(_("kg CO2e"), **CO2E)
    flagged_spend_dkk = models.DecimalField(
        _("spend on agreements with climate requirements"), **SPEND
    )
    flagged_co2e_kg = models.DecimalField(
        _("kg CO2e on agreements with climate requirements"), **CO2E
    )
    kg_per_dkk = models.DecimalField(
        _("kg CO2e per DKK ex. VAT"), max_digits=10, decimal_places=6, null=True
    )
    factor_version = models.ForeignKey(
        FactorVersion,
        verbose_name=_("factor version"),
        on_delete=models.PROTECT,
        related_name="+",
        **DERIVED_FK,
    )
    computed_at = models.DateTimeField(_("computed"))

    objects = ClimateFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("climate figure")
        verbose_name_plural = _("climate figures")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "kind", "division"],
                name="climate_figure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.division or '-'} {self.kind}"


class SupplierClimateFigureQuerySet(TenantQuerySet["SupplierClimateFigure"]):
    pass


class SupplierClimateFigure(models.Model):
    """A member's spend and spend-based CO2e with one supplier in a year (derived)."""

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", **DERIVED_FK
    )
    year = models.PositiveSmallIntegerField(_("year"))
    supplier = models.ForeignKey(
        "spend.Supplier", on_delete=models.CASCADE, related_name="+", **DERIVED_FK
    )
    spend_dkk = models.DecimalField(_("spend ex. VAT"), **SPEND)
    co2e_kg = models.DecimalField(_("kg CO2e"), **CO2E)
    factor_version = models.ForeignKey(
        FactorVersion, on_delete=models.PROTECT, related_name="+", **DERIVED_FK
    )
    computed_at = models.DateTimeField(_("computed"))

    objects = SupplierClimateFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("climate figure per supplier")
        verbose_name_plural = _("climate figures per supplier")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "supplier"], name="climate_supplier_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.supplier_id}"


class AgreementClimateFigureQuerySet(TenantQuerySet["AgreementClimateFigure"]):
    pass


class AgreementClimateFigure(models.Model):
    """A member's spend and CO2e bought on one agreement in a year (derived): lines with one of
    the agreement's suppliers, in its categories (or without a category), while it was in force
    and bound the member — the rule of the compliance figures' supplier spend."""

    tenant_path = "member__organisation"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="+", **DERIVED_FK
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+", **DERIVED_FK
    )
    year = models.PositiveSmallIntegerField(_("year"))
    spend_dkk = models.DecimalField(_("spend ex. VAT"), **SPEND)
    co2e_kg = models.DecimalField(_("kg CO2e"), **CO2E)
    factor_version = models.ForeignKey(
        FactorVersion, on_delete=models.PROTECT, related_name="+", **DERIVED_FK
    )
    computed_at = models.DateTimeField(_("computed"))

    objects = AgreementClimateFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("climate figure per agreement")
        verbose_name_plural = _("climate figures per agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member", "year"], name="climate_agreement_figure_unique"
            )
        ]
        indexes = [models.Index(fields=["member", "year"], name="climate_agreement_member_year")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.member_id} {self.year}"
