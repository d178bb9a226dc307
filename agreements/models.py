"""Framework agreements and contracts, the notices sent about their renewal, and the stored
compliance and savings figures per agreement × member × month.

An agreement is shared data (every signed-in user sees it); its compliance figures are derived
from a member's spend lines and are that member's tenant data (`ComplianceFigure.tenant_path`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel

from .status import AgreementStatus, agreement_status, expiring_threshold


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def with_status(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Annotate `current_status`, the same answer as `Agreement.status` but in SQL."""
        today = today or timezone.localdate()
        return self.annotate(
            current_status=Case(
                When(terminated_on__isnull=False, terminated_on__lte=today,
                     then=Value(AgreementStatus.TERMINATED)),
                When(start_date__gt=today, then=Value(AgreementStatus.UPCOMING)),
                When(end_date__lt=today, then=Value(AgreementStatus.EXPIRED)),
                When(end_date__lte=expiring_threshold(today),
                     then=Value(AgreementStatus.EXPIRING)),
                default=Value(AgreementStatus.ACTIVE),
                output_field=models.CharField(),
            )
        )  # fmt: skip

    def in_force_on(self, day: datetime.date) -> AgreementQuerySet:
        return self.filter(start_date__lte=day, end_date__gte=day).exclude(terminated_on__lte=day)

    def ending_within(self, today: datetime.date, until: datetime.date) -> AgreementQuerySet:
        """Agreements not terminated whose current end lies between today and `until`."""
        return self.filter(end_date__gte=today, end_date__lte=until, terminated_on__isnull=True)


@audited()
class Agreement(TimeStampedModel):
    """A framework agreement or contract (rammeaftale / kontrakt) a joint tender ended in."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework agreement")
        CONTRACT = "contract", _("Contract")

    class Allocation(models.TextChoices):
        SINGLE = "single", _("Single supplier")
        RANKING = "ranking", _("Direct award by ranking")
        MINI_COMPETITION = "mini_competition", _("Mini-competition")

    number = models.CharField(_("agreement number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FRAMEWORK)
    allocation = models.CharField(
        _("allocation between suppliers"),
        max_length=20,
        choices=Allocation.choices,
        default=Allocation.SINGLE,
    )
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("originating tender"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    lot = models.ForeignKey(
        "tenders.Lot",
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    suppliers = models.ManyToManyField(
        "spend.Supplier",
        through="AgreementSupplier",
        verbose_name=_("suppliers"),
        related_name="agreements",
        blank=True,
    )
    members = models.ManyToManyField(
        "members.Member",
        through="AgreementMember",
        verbose_name=_("bound members"),
        related_name="agreements",
        blank=True,
    )
    categories = models.ManyToManyField(
        "cpv.CpvCode",
        through="AgreementCategory",
        verbose_name=_("categories (CPV)"),
        related_name="+",
        blank=True,
    )
    # Knowledge articles about the agreement (guides, templates, the evaluation report): the link
    # lives here so that the knowledge base needs to know nothing about agreements.
    related_articles = models.ManyToManyField(
        "knowledge.Article",
        through="AgreementArticle",
        verbose_name=_("related knowledge articles"),
        related_name="agreements",
        blank=True,
    )
    start_date = models.DateField(_("start"))
    base_end_date = models.DateField(_("end of the base term"))
    # The end as it stands: the base term plus the extension options used so far. Kept by
    # `agreement_use_option`, never edited by hand, so status and compliance read one column.
    end_date = models.DateField(_("current end"))
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    expected_annual_value = models.DecimalField(
        _("expected annual value"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    # Price levels as an index (baseline = 100): 92 means prices 8 % below the baseline.
    baseline_price_level = models.DecimalField(
        _("baseline price level"), max_digits=10, decimal_places=2, default=Decimal("100")
    )
    agreement_price_level = models.DecimalField(
        _("agreement price level"), max_digits=10, decimal_places=2, default=Decimal("100")
    )
    savings_rate = models.GeneratedField(
        expression=Value(Decimal(1)) - F("agreement_price_level") / F("baseline_price_level"),
        output_field=models.DecimalField(max_digits=12, decimal_places=6),
        db_persist=True,
        verbose_name=_("expected savings rate"),
    )
    climate_requirements = models.TextField(_("climate requirements"), blank=True)
    successor_tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("successor tender"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preceding_agreements",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["end_date", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_end_date__gte=F("start_date")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("base_end_date")),
                name="agreement_current_end_not_before_base_end",
            ),
            models.CheckConstraint(
                condition=Q(baseline_price_level__gt=0) & Q(agreement_price_level__gt=0),
                name="agreement_price_levels_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.base_end_date and self.base_end_date < self.start_date:
            raise ValidationError({"base_end_date": _("The agreement must end after it starts.")})
        if self.end_date is None:
            self.end_date = self.base_end_date
        if self.lot_id is not None and (
            self.tender_id is None or self.lot.tender_id != self.tender_id
        ):
            raise ValidationError({"lot": _("The lot must belong to the originating tender.")})
        if self.successor_tender_id is not None and self.successor_tender_id == self.tender_id:
            raise ValidationError(
                {
                    "successor_tender": _(
                        "The successor tender cannot be the agreement's own tender."
                    )
                }
            )

    @property
    def status(self) -> str:
        return agreement_status(
            start=self.start_date,
            end=self.end_date,
            terminated_on=self.terminated_on,
            today=timezone.localdate(),
        )

    def get_status_display(self) -> str:
        return AgreementStatus(self.status).label

    @property
    def has_climate_requirements(self) -> bool:
        return bool(self.climate_requirements.strip())

    @property
    def expected_savings_percent(self) -> Decimal:
        return (1 - self.agreement_price_level / self.baseline_price_level) * 100


# The links to members, categories and articles are explicit models on Django's own through
# tables (same table and column names), so that binding a member or adding a category is
# audited like every other edit of an agreement.


@audited()
class AgreementMember(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE)

    class Meta:
        db_table = "agreements_agreement_members"
        unique_together = [("agreement", "member")]
        verbose_name = _("bound member")
        verbose_name_plural = _("bound members")

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.member_id}"


@audited()
class AgreementCategory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE)
    cpvcode = models.ForeignKey("cpv.CpvCode", on_delete=models.CASCADE)

    class Meta:
        db_table = "agreements_agreement_categories"
        unique_together = [("agreement", "cpvcode")]
        verbose_name = _("agreement category")
        verbose_name_plural = _("agreement categories")

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.cpvcode_id}"


@audited()
class AgreementArticle(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE)
    article = models.ForeignKey("knowledge.Article", on_delete=models.CASCADE)

    class Meta:
        db_table = "agreements_agreement_related_articles"
        unique_together = [("agreement", "article")]
        verbose_name = _("related knowledge article")
        verbose_name_plural = _("related knowledge articles")

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.article_id}"


@audited()
class AgreementSupplier(TimeStampedModel):
    """A supplier on an agreement: its rank (for direct award) and its contact person."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="supplier_links"
    )
    supplier = models.ForeignKey(
        "spend.Supplier", on_delete=models.PROTECT, related_name="agreement_links"
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Empty when orders go to mini-competition.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("agreement supplier")
        verbose_name_plural = _("agreement suppliers")
        ordering = ["agreement", F("rank").asc(nulls_last=True), "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "supplier"], name="agreement_supplier_unique"
            ),
            models.UniqueConstraint(
                fields=["agreement", "rank"],
                condition=Q(rank__isnull=False),
                name="agreement_supplier_rank_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number}: {self.supplier.name}"


@audited()
class ExtensionOption(TimeStampedModel):
    """An option to extend the agreement (e.g. 2 + 1 + 1 years: two options of 12 months)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="options")
    sequence = models.PositiveSmallIntegerField(_("option number"))
    months = models.PositiveSmallIntegerField(_("months"))
    used_on = models.DateField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension option")
        verbose_name_plural = _("extension options")
        ordering = ["agreement", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "sequence"], name="extension_option_unique"
            ),
            models.CheckConstraint(condition=Q(months__gt=0), name="extension_option_months"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} option {self.sequence} ({self.months} mdr.)"

    @property
    def is_used(self) -> bool:
        return self.used_on is not None


def document_path(instance: AgreementDocument, filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{filename}"


@audited()
class AgreementDocument(TimeStampedModel):
    """A document of an agreement (contract, price list, terms); streamed by an access-checked
    view, never by URL."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "title"]

    def __str__(self) -> str:
        return self.title


class RenewalNotice(models.Model):
    """That the secretariat was told about an agreement, so the daily job never tells twice.

    `about` is the date the notice concerns: the agreement's end for *entering the horizon*, the
    latest start of the successor tender for *late to start*. Using an option moves both, and the
    moved date is news worth a new notice.
    """

    class Kind(models.TextChoices):
        ENTERED_HORIZON = "entered_horizon", _("Entered the renewal horizon")
        LATE_TO_START = "late_to_start", _("Successor tender late to start")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="renewal_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    about = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "about"], name="renewal_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.kind} {self.about}"


class ComplianceFigureQuerySet(TenantQuerySet["ComplianceFigure"]):
    pass


class ComplianceFigure(models.Model):
    """Stored result of the compliance computation for one agreement, member and month.

    Written only by `compliance_recompute` (set-based SQL); derived data, so not audited.
    """

    tenant_path = "member__organisation"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="compliance_figures"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="compliance_figures"
    )
    month = models.DateField(_("month"))  # the first day of the month
    category_spend = models.DecimalField(
        _("spend in the agreement's categories"), max_digits=16, decimal_places=2
    )
    supplier_spend = models.DecimalField(
        _("spend with the agreement's suppliers"), max_digits=16, decimal_places=2
    )
    savings = models.DecimalField(_("realised savings"), max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(_("computed"))

    objects = ComplianceFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance figure")
        verbose_name_plural = _("compliance figures")
        ordering = ["agreement", "member", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member", "month"], name="compliance_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="compliance_figure_month_first_day"
            ),
        ]
        indexes = [models.Index(fields=["member", "month"])]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.member_id}/{self.month:%Y-%m}"

    @property
    def compliance(self) -> Decimal | None:
        if not self.category_spend:
            return None
        return self.supplier_spend / self.category_spend
