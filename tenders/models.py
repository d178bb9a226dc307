"""Joint tenders: the tender, its lots, and each member's participation and volume declarations.

A tender is shared data (every signed-in user sees it); a member's participation answer and its
volume declarations are that member's tenant data until pooled.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from audit.tracking import audited
from consortium.models import TimeStampedModel


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


class ProcedureType(models.TextChoices):
    OPEN = "open", _("Open procedure")
    RESTRICTED = "restricted", _("Restricted procedure")
    NEGOTIATED = "negotiated", _("Competitive procedure with negotiation")
    DIALOGUE = "dialogue", _("Competitive dialogue")
    MINI_COMPETITION = "mini_competition", _("Framework agreement with mini-competition")
    DPS = "dps", _("Dynamic purchasing system")
    BELOW_THRESHOLD = "below_threshold", _("Below-threshold procedure")


class ContractKind(models.TextChoices):
    SUPPLIES = "supplies", _("Supplies")
    SERVICES = "services", _("Services")
    WORKS = "works", _("Works")
    SOCIAL = "social", _("Social and other specific services")


class AuthorityLevel(models.TextChoices):
    SUB_CENTRAL = "sub_central", _("Sub-central (municipalities, regions)")
    CENTRAL = "central", _("Central government")


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


@audited()
class LineItem(TimeStampedModel):
    """A line of a lot's price schedule (tilbudsliste): what is bought, in which unit."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="line_items")
    number = models.PositiveSmallIntegerField(_("line number"))
    description = models.CharField(_("description"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    quantity = models.DecimalField(
        _("estimated quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        ordering = ["lot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "number"], name="line_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description}"


class ParticipationQuerySet(TenantQuerySet["Participation"]):
    def participating(self) -> ParticipationQuerySet:
        return self.filter(answer=Participation.Answer.PARTICIPATE)


@audited()
class Participation(TimeStampedModel):
    """A member's answer to a tender's invitation to take part (tilslutning)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered")
        PARTICIPATE = "participate", _("Participates (binding)")
        DECLINE = "decline", _("Declines")

    tenant_path = "member__organisation"

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="participations"
    )
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
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


# =================================================================================================
# Timeline and tender documents: milestones checked against the minimum time limits
# (tenders/timeline.py), each user's calendar feed, and the rendered tender documents with the
# secretariat's editable template texts (tenders/documents.py).
# =================================================================================================


class MilestoneKind(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", _("Needs analysis")
    VOLUME_DEADLINE = "volume_deadline", _("Participation deadline")
    PIN = "pin", _("Prior information notice sent")
    PUBLICATION = "publication", _("Contract notice sent (publication)")
    REQUESTS_DEADLINE = "requests_deadline", _("Deadline for requests to participate")
    INVITATION = "invitation", _("Invitation to tender sent")
    QUESTIONS_DEADLINE = "questions_deadline", _("Deadline for questions")
    BID_DEADLINE = "bid_deadline", _("Bid deadline")
    AWARD_DECISION = "award_decision", _("Award decision notified")
    STANDSTILL_END = "standstill_end", _("End of standstill")
    CONTRACT_START = "contract_start", _("Contract start")


@audited()
class Milestone(TimeStampedModel):
    """A dated step in a tender's timeline (tidsplan)."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=30, choices=MilestoneKind.choices)
    due = models.DateTimeField(_("date and time"))
    # For the bid deadline: tenders are submitted electronically; for the award decision: it is
    # notified electronically. Both shorten the statutory minimum periods (tenders/timeline.py).
    electronic = models.BooleanField(_("by electronic means"), default=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["tender", "due"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "kind"], name="milestone_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.tender.reference} {self.get_kind_display()}: {self.due:%Y-%m-%d %H:%M}"


class CalendarFeed(TimeStampedModel):
    """A user's secret calendar address; changing `nonce` revokes every earlier address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"


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
