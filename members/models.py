"""Members of the consortium and the municipalities behind them.

A *member* is the tenant: it has users, commitments and private data. A *municipality* is a
contracting authority with its own kommunekode, CVR and population. Usually one member is one
municipality; "Holstebro-Lemvig" is one member that covers two municipalities (661 Holstebro and
665 Lemvig), each of which remains a separate contracting authority with its own CVR — so a
framework agreement names both, while the consortium treats them as one member.
"""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import TenantQuerySet
from consortium.auditing import audited
from consortium.models import TimeStampedModel
from consortium.procurement import ProcedureType

# The fee models live with the fees; imported here so they are the members app's models (and
# migrations name `members.models.fee_statement_path`).
from .fees.models import (  # noqa: F401
    Fee,
    FeeModel,
    FeeQuerySet,
    FeeStatement,
    FeeStatementQuerySet,
    fee_statement_path,
)
from .validators import validate_cvr, validate_gln, validate_kommunekode


class Region(models.TextChoices):
    NORDJYLLAND = "1081", _("Region Nordjylland")
    MIDTJYLLAND = "1082", _("Region Midtjylland")
    SYDDANMARK = "1083", _("Region Syddanmark")
    HOVEDSTADEN = "1084", _("Region Hovedstaden")
    SJAELLAND = "1085", _("Region Sjælland")


class Nuts3(models.TextChoices):
    """Denmark's NUTS level 3 regions (landsdele), as eForms notices name a buyer's place
    (BT-507). Source: Eurostat NUTS 2021, in force for notices since 2024."""

    DK011 = "DK011", _("DK011 Byen København")
    DK012 = "DK012", _("DK012 Københavns omegn")
    DK013 = "DK013", _("DK013 Nordsjælland")
    DK014 = "DK014", _("DK014 Bornholm")
    DK021 = "DK021", _("DK021 Østsjælland")
    DK022 = "DK022", _("DK022 Vest- og Sydsjælland")
    DK031 = "DK031", _("DK031 Fyn")
    DK032 = "DK032", _("DK032 Sydjylland")
    DK041 = "DK041", _("DK041 Vestjylland")
    DK042 = "DK042", _("DK042 Østjylland")
    DK050 = "DK050", _("DK050 Nordjylland")


# The NUTS 3 regions each region's municipalities lie in (a region is NUTS 2).
REGION_NUTS3 = {
    "1081": ("DK050",),
    "1082": ("DK041", "DK042"),
    "1083": ("DK031", "DK032"),
    "1084": ("DK011", "DK012", "DK013", "DK014"),
    "1085": ("DK021", "DK022"),
}


class BuyerLegalType(models.TextChoices):
    """The eForms code list `buyer-legal-type` (BT-11), the values a member may be."""

    LOCAL_AUTHORITY = "la", _("Local authority")
    REGIONAL_AUTHORITY = "ra", _("Regional authority")
    PUBLIC_LAW_BODY_LOCAL = (
        "body-pl-la",
        _("Body governed by public law, controlled by a local authority"),
    )


class MemberQuerySet(TenantQuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        """Members that take part now: members and those that have given notice."""
        return self.filter(status__in=[Member.Status.MEMBER, Member.Status.WITHDRAWING])

    def members_in(self, year: int) -> MemberQuerySet:
        """Members whose membership covers some of `year` (the same rule as `is_member_in`)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        joined = models.Q(joined_on__lte=last) | models.Q(
            joined_on__isnull=True, status__in=Member.JOINED_STATUSES
        )
        return self.filter(joined, models.Q(left_on__isnull=True) | models.Q(left_on__gte=first))


@audited()
class Member(TimeStampedModel):
    """A member of the consortium: the tenant whose users and private data it owns."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        MEMBER = "member", _("Member")
        WITHDRAWING = "withdrawing", _("Withdrawing")
        FORMER = "former", _("Former member")

    # Statuses that mean the member has joined at some time: without a joined date, such a member
    # counts as having been one since before the portal's records begin.
    JOINED_STATUSES = (Status.MEMBER, Status.WITHDRAWING, Status.FORMER)

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="member",
        limit_choices_to={"kind": "member"},
    )
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.MEMBER
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    notice_given_on = models.DateField(_("notice given"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    # Members are shared data (the directory lists them for everyone); `visible_to` decides whose
    # private data (figures, spend, scorecards) a user sees and `editable_by` who may change what
    # belongs to one member, such as its contacts.
    tenant_path = "organisation"
    # ...so the register itself is read by everyone and stays outside row-level security.
    tenant_rls = False

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
                violation_error_message=_("The membership cannot end before it began."),
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The membership cannot end before it began.")})
        if self.status == self.Status.FORMER and not self.left_on:
            raise ValidationError({"left_on": _("A former member needs the date it left.")})
        if self.status == self.Status.WITHDRAWING and not self.notice_given_on:
            raise ValidationError(
                {"notice_given_on": _("A withdrawing member needs the date notice was given.")}
            )

    @property
    def name(self) -> str:
        return self.organisation.name

    def is_member_in(self, year: int) -> bool:
        """True when the membership covers some of `year`: joined by its end, not left before it.

        A fee year charges by this rule, not by today's status: a former member still pays for the
        years it was a member, a candidate with an agreed joining date pays from that year, and a
        member that left before the year began pays nothing.
        """
        if self.joined_on is None and self.status not in self.JOINED_STATUSES:
            return False
        if self.joined_on is not None and self.joined_on > date(year, 12, 31):
            return False
        return self.left_on is None or self.left_on >= date(year, 1, 1)

    def population(self, year: int) -> int | None:
        total = PopulationFigure.objects.filter(municipality__member=self, year=year).aggregate(
            total=Sum("population")
        )["total"]
        return total


@audited()
class Municipality(TimeStampedModel):
    """A Danish municipality (kommune): a contracting authority with its own CVR."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )
    code = models.CharField(
        _("municipality code"),
        max_length=3,
        unique=True,
        validators=[validate_kommunekode],
        error_messages={"unique": _("A municipality with this municipality code already exists.")},
    )
    name = models.CharField(_("name"), max_length=100)
    cvr = models.CharField(_("CVR number"), max_length=8, validators=[validate_cvr], blank=True)
    gln = models.CharField(
        _("EAN/GLN number"),
        max_length=13,
        validators=[validate_gln],
        blank=True,
        help_text=_("Location number for e-invoices (EAN/GLN, 13 digits)."),
    )
    region = models.CharField(_("region"), max_length=4, choices=Region.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # What an EU notice says about the municipality as a buyer (notices/).
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    nuts_code = models.CharField(
        _("NUTS code"),
        max_length=5,
        choices=Nuts3.choices,
        blank=True,
        help_text=_("The NUTS 3 region (landsdel) EU notices name as the buyer's place."),
    )
    legal_type = models.CharField(
        _("legal type of the buyer"),
        max_length=20,
        choices=BuyerLegalType.choices,
        blank=True,
        default=BuyerLegalType.LOCAL_AUTHORITY,
    )
    email = models.EmailField(
        _("e-mail for procurement"),
        blank=True,
        help_text=_("The contact address EU notices give for the municipality as a buyer."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            # The code "unique" puts the message on the CVR field (see Model.validate_constraints).
            models.UniqueConstraint(
                fields=["cvr"],
                condition=~models.Q(cvr=""),
                name="municipality_cvr_unique",
                violation_error_message=_("Another municipality already has this CVR number."),
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        super().clean()
        if self.nuts_code and self.nuts_code not in REGION_NUTS3.get(self.region, ()):
            raise ValidationError(
                {"nuts_code": _("The NUTS code does not lie in the municipality's region.")}
            )


@audited()
class PopulationFigure(TimeStampedModel):
    """Inhabitants of a municipality on 1 January of a year."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    is_estimate = models.BooleanField(
        _("approximate"),
        default=False,
        help_text=_("Set when the figure is an approximation, not an official count."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="population_one_per_year",
                violation_error_message=_(
                    "The municipality already has a population figure for that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.population}"


class ContactQuerySet(TenantQuerySet["Contact"]):
    pass


@audited()
class Contact(TimeStampedModel):
    """A named person at a member: procurement lead, board representative, working-group member.

    Contacts are shared data (the member directory shows them to every signed-in user) but are
    changed only by the member's own officers and the secretariat (`editable_by`).
    """

    class Role(models.TextChoices):
        PROCUREMENT_LEAD = "procurement_lead", _("Procurement lead")
        BOARD_REPRESENTATIVE = "board_representative", _("Board representative")
        WORKING_GROUP = "working_group", _("Working-group member")
        OTHER = "other", _("Other contact")

    tenant_path = "member__organisation"
    # The member directory lists every member's contacts for everyone signed in; only the member
    # (and the secretariat) changes them (row-level security, consortium/tenancy.py).
    tenant_public_sql = "portal_scope() <> 'none'"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.OTHER)
    working_group = models.CharField(_("working group"), max_length=200, blank=True)
    hours_per_year = models.PositiveIntegerField(
        _("hours a year"),
        default=0,
        help_text=_("Hours a year this person is committed to the consortium's working groups."),
    )

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["member", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.member})"


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def covering(self, year: int) -> CommitmentQuerySet:
        return self.filter(start_year__lte=year, end_year__gte=year)


def signed_document_path(instance: Commitment, filename: str) -> str:
    # Private storage: never served by URL, only streamed by a view that checks access.
    return f"members/commitments/{instance.member_id}/{filename}"


@audited()
class Commitment(TimeStampedModel):
    """A member's commitment (tilslutning) to the consortium for one membership period.

    A new period gets a new commitment; earlier ones are kept as the member's history, and every
    change to one is in the audit trail.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="commitments"
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    # The economic part: the fee model of each budget year applies; terms say anything beyond it.
    economic_terms = models.TextField(
        _("economic terms"),
        blank=True,
        help_text=_("E.g. “Pays the fee set by the fee model of each budget year.”"),
    )
    # The political part.
    council_decision_on = models.DateField(_("council decision date"), null=True, blank=True)
    case_reference = models.CharField(_("case reference"), max_length=100, blank=True)
    signed_document = models.FileField(
        _("signed document"), upload_to=signed_document_path, blank=True, max_length=300
    )
    # The organisational part (named people are the member's contacts).
    working_group_hours = models.PositiveIntegerField(
        _("working-group hours a year"),
        default=0,
        help_text=_("Hours a year the member commits to the consortium's working groups."),
    )
    # The binding part.
    binding_categories = models.ManyToManyField(
        "cpv.CpvCode",
        verbose_name=_("binding categories"),
        blank=True,
        related_name="+",
        help_text=_("Joint tenders in these CPV categories are binding for the member."),
    )
    binding_procedures = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("binding tender types"),
        default=list,
        blank=True,
    )
    opt_out_allowed = models.BooleanField(_("opt-out allowed"), default=True)
    opt_out_deadline_days = models.PositiveSmallIntegerField(
        _("opt-out deadline (days)"),
        default=30,
        help_text=_("Days before the volume-collection deadline an opt-out must be given."),
    )
    opt_out_justification_required = models.BooleanField(
        _("opt-out needs a justification"), default=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["member", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="commitment_period_forward",
                violation_error_message=_("The last year cannot be before the first."),
            ),
            models.UniqueConstraint(
                fields=["member", "start_year"],
                name="commitment_one_start_per_member",
                violation_error_message=_(
                    "The member already has a commitment starting in that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.period}"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.member_id]) + f"#commitment-{self.pk}"

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def binding_procedure_labels(self) -> list[str]:
        labels = dict(ProcedureType.choices)
        return [str(labels.get(code, code)) for code in self.binding_procedures]

    def clean(self) -> None:
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first.")})
        if self.member_id and self.start_year and self.end_year:
            overlapping = Commitment.objects.filter(
                member_id=self.member_id,
                start_year__lte=self.end_year,
                end_year__gte=self.start_year,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("The member already has a commitment for part of %(period)s.")
                    % {"period": self.period}
                )
