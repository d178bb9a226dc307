"""A joint tender, its lots with their price schedule lines, and its award criteria.

A tender is shared data: every signed-in user sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consortium.auditing import audited
from consortium.models import TimeStampedModel
from consortium.procurement import ProcedureType


class TenderStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VOLUME_COLLECTION = "volume_collection", _("Volume collection")
    PREPARATION = "preparation", _("Preparation")
    PUBLISHED = "published", _("Published")
    EVALUATION = "evaluation", _("Evaluation")
    AWARDED = "awarded", _("Awarded (standstill)")
    CONCLUDED = "concluded", _("Concluded")
    CANCELLED = "cancelled", _("Cancelled")


class ContractKind(models.TextChoices):
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")
    WORKS = "works", _("Works")
    SOCIAL = "social", _("Social and other specific services")


class AuthorityLevel(models.TextChoices):
    SUB_CENTRAL = "sub_central", _("Sub-central (municipalities, regions)")
    CENTRAL = "central", _("Central government")


class FrameworkType(models.TextChoices):
    """What the tender concludes, as EU notices name it (eForms `framework-agreement`, BT-765)."""

    NONE = "none", _("A contract, not a framework agreement")
    WITHOUT_COMPETITION = "fa-wo-rc", _("Framework agreement without reopening of competition")
    WITH_COMPETITION = "fa-w-rc", _("Framework agreement with reopening of competition")
    MIXED = "fa-mix", _("Framework agreement, partly with reopening of competition")


OPEN_STATUSES = frozenset(TenderStatus.values) - {TenderStatus.CONCLUDED, TenderStatus.CANCELLED}


class TenderQuerySet(models.QuerySet["Tender"]):
    def open(self) -> TenderQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def collecting_volumes(self) -> TenderQuerySet:
        return self.filter(status=TenderStatus.VOLUME_COLLECTION)


@audited()
class Tender(TimeStampedModel):
    """A joint tender (fællesudbud)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)  # "2026-014"
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TenderStatus.choices, default=TenderStatus.PLANNED
    )
    procedure_type = models.CharField(
        _("procedure type"), max_length=20, choices=ProcedureType.choices
    )
    main_cpv = models.ForeignKey(
        "cpv.CpvCode",
        verbose_name=_("main CPV code"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    additional_cpv = models.ManyToManyField(
        "cpv.CpvCode", verbose_name=_("additional CPV codes"), blank=True, related_name="+"
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("lead"),
        on_delete=models.PROTECT,
        related_name="led_tenders",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Contract term: base years plus options, e.g. 2 + 1 + 1 → term_years=2, option_years=[1, 1].
    term_years = models.PositiveSmallIntegerField(_("base term (years)"), default=2)
    option_years = models.JSONField(_("options (years each)"), default=list, blank=True)
    volume_deadline = models.DateTimeField(_("participation deadline"), null=True, blank=True)
    bid_deadline = models.DateTimeField(_("bid deadline"), null=True, blank=True)
    expected_start = models.DateField(_("expected contract start"), null=True, blank=True)
    climate_flag = models.BooleanField(_("climate/environment criteria"), default=False)
    contract_kind = models.CharField(
        _("contract kind"),
        max_length=20,
        choices=ContractKind.choices,
        default=ContractKind.SUPPLIES,
        help_text=_("Decides which EU threshold applies."),
    )
    authority_level = models.CharField(
        _("contracting authorities"),
        max_length=20,
        choices=AuthorityLevel.choices,
        default=AuthorityLevel.SUB_CENTRAL,
    )
    working_group = models.ManyToManyField(
        "members.Contact",
        verbose_name=_("working group"),
        blank=True,
        related_name="tender_working_groups",
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("award decision"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # What may shorten the statutory time limits (tenders/time_limits.py): an urgent need, which
    # the contracting authority must be able to substantiate (so the reason is kept, and a blank
    # reason means no urgency), and a tender deadline agreed with all selected candidates, which
    # only an authority that is not a state authority may use (udbudsloven § 60, stk. 5).
    urgency_reason = models.TextField(
        _("reason for urgency"),
        blank=True,
        help_text=_(
            "Fill in only when an urgent need makes the normal time limits impracticable; "
            "the shorter limits then apply."
        ),
    )
    bid_deadline_agreed = models.BooleanField(
        _("bid deadline agreed with the selected candidates"), default=False
    )
    # What the EU notices say about the agreement and the bids (notices/).
    framework_type = models.CharField(
        _("framework agreement"),
        max_length=10,
        choices=FrameworkType.choices,
        default=FrameworkType.WITHOUT_COMPETITION,
    )
    framework_max_participants = models.PositiveSmallIntegerField(
        _("maximum number of suppliers on the framework agreement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    bid_validity_days = models.PositiveSmallIntegerField(
        _("bids valid for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    documents_url = models.URLField(
        _("address of the tender documents"),
        blank=True,
        help_text=_("Where bidders find the tender documents; the contract notice gives it."),
    )

    objects = TenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("tenders:detail", args=[self.reference])

    @property
    def total_years(self) -> int:
        return self.term_years + sum(int(y) for y in self.option_years)

    @property
    def term_display(self) -> str:
        """The term as people write it: "2 + 1 + 1"."""
        return " + ".join(str(y) for y in [self.term_years, *self.option_years])

    @property
    def is_open(self) -> bool:
        return self.status not in (TenderStatus.CONCLUDED, TenderStatus.CANCELLED)

    def clean(self) -> None:
        super().clean()
        years = self.option_years
        if not isinstance(years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) and 0 < y <= 10 for y in years
        ):
            raise ValidationError(
                {"option_years": _("Options must be a list of whole years, e.g. 1, 1.")}
            )


@audited()
class Lot(TimeStampedModel):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("lot number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["tender", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="lot_number_unique")
        ]

    def __str__(self) -> str:
        return gettext("%(reference)s lot %(number)s: %(title)s") % {
            "reference": self.tender.reference,
            "number": self.number,
            "title": self.title,
        }

    def units(self) -> list[str]:
        """The units of the lot's price schedule lines, each once, in line order."""
        return list(dict.fromkeys(line.unit for line in self.line_items.all()))


@audited()
class LineItem(TimeStampedModel):
    """A line of a lot's price schedule (tilbudsliste): what is bought, in which unit."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="line_items")
    number = models.PositiveSmallIntegerField(_("line number"))
    description = models.CharField(_("description"), max_length=300)
    # Every quantity is in a unit (stk., æske à 100, timer, kr.): required, in the database too.
    unit = models.CharField(_("unit"), max_length=50)
    quantity = models.DecimalField(
        _("estimated quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        ordering = ["lot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "number"], name="line_item_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(unit__regex=r"^\s*$"), name="line_item_unit_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"


@audited()
class AwardCriterion(TimeStampedModel):
    """One award criterion (tildelingskriterium) with its weight in percent."""

    class Kind(models.TextChoices):
        PRICE = "price", _("Price")
        QUALITY = "quality", _("Quality")
        ENVIRONMENT = "environment", _("Environment and climate")
        OTHER = "other", _("Other")

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("criterion"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUALITY)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_climate = models.BooleanField(_("climate/environment criterion"), default=False)

    class Meta:
        verbose_name = _("award criterion")
        verbose_name_plural = _("award criteria")
        ordering = ["tender", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100), name="criterion_weight_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"
