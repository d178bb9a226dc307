"""Fee models, each member's fee per budget year, and the kept fee statements.

Models of the members app (app label `members`; members/models.py imports them), so their
tables and migrations stay the members app's.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel

from ..slugs import danish_slugify


@audited()
class FeeModel(TimeStampedModel):
    """How one budget year's secretariat budget is split into member fees."""

    year = models.PositiveSmallIntegerField(
        _("budget year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        error_messages={"unique": _("There is already a fee model for this budget year.")},
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text=_("The secretariat's budget for the year, in kroner."),
    )
    base_share = models.DecimalField(
        _("base share"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the budget split equally between members, e.g. 0.3000 for 30 %."),
    )
    minimum_fee = models.DecimalField(
        _("minimum fee"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    population_year = models.PositiveSmallIntegerField(
        _("population year"),
        help_text=_("The year whose population figures (1 January) the split uses."),
    )
    due_on = models.DateField(_("payment due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Empty until the fees are calculated, and emptied again when anything they were computed
    # from changes (see members.fees.services), so stored fees without it are outdated.
    calculated_at = models.DateTimeField(_("calculated"), null=True, blank=True)

    # The fields the split reads: changing one makes the stored fees outdated.
    INPUT_FIELDS = ("year", "budget", "base_share", "minimum_fee", "population_year")

    class Meta:
        verbose_name = _("fee model")
        verbose_name_plural = _("fee models")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_share__gte=0, base_share__lte=1),
                name="fee_model_base_share_fraction",
                violation_error_message=_("The base share must be between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("members:fee_model", args=[self.year])


class FeeQuerySet(TenantQuerySet["Fee"]):
    pass


class Fee(TimeStampedModel):
    """One member's fee in one budget year, as last calculated from the fee model."""

    tenant_path = "member__organisation"

    fee_model = models.ForeignKey(FeeModel, on_delete=models.CASCADE, related_name="fees")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="fees")
    population = models.PositiveIntegerField(_("population"))
    base = models.DecimalField(_("base part"), max_digits=14, decimal_places=2)
    population_part = models.DecimalField(_("population part"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("fee"), max_digits=14, decimal_places=2)
    at_minimum = models.BooleanField(_("at minimum"), default=False)

    objects = FeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["fee_model", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["fee_model", "member"],
                name="fee_one_per_member_year",
                violation_error_message=_("The member already has a fee for that budget year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.fee_model.year}: {self.amount}"


class FeeStatementQuerySet(TenantQuerySet["FeeStatement"]):
    pass


def fee_statement_path(instance: FeeStatement, filename: str) -> str:
    return f"members/fee-statements/{instance.year}/{filename}"


class FeeStatement(TimeStampedModel):
    """A rendered fee statement (PDF). Every rendering is kept; the newest is the current one."""

    tenant_path = "member__organisation"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="fee_statements"
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    amount = models.DecimalField(_("fee"), max_digits=14, decimal_places=2)
    job_id = models.UUIDField(_("job"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=fee_statement_path, max_length=300)

    objects = FeeStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee statement")
        verbose_name_plural = _("fee statements")
        ordering = ["-created_at"]
        constraints = [
            # A redelivered rendering job replaces its own file instead of adding another.
            models.UniqueConstraint(
                fields=["job_id", "member"],
                name="fee_statement_one_per_job_member",
                violation_error_message=_("The job has already made this member's statement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("members:fee_statement_pdf", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"kontingent-{self.year}-{danish_slugify(self.member.name)}.pdf"
