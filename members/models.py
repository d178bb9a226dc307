"""Members of the consortium and the municipalities behind them.

A *member* is the tenant: it has users, commitments and private data. A *municipality* is a
contracting authority with its own kommunekode, CVR and population. Usually one member is one
municipality; "Holstebro-Lemvig" is one member that covers two municipalities (661 Holstebro and
665 Lemvig), each of which remains a separate contracting authority with its own CVR — so a
framework agreement names both, while the consortium treats them as one member.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from audit.tracking import audited
from consortium.models import TimeStampedModel

from .validators import validate_cvr, validate_gln, validate_kommunekode


class Region(models.TextChoices):
    NORDJYLLAND = "1081", _("Region Nordjylland")
    MIDTJYLLAND = "1082", _("Region Midtjylland")
    SYDDANMARK = "1083", _("Region Syddanmark")
    HOVEDSTADEN = "1084", _("Region Hovedstaden")
    SJAELLAND = "1085", _("Region Sjælland")


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        """Members that take part now: members and those that have given notice."""
        return self.filter(status__in=[Member.Status.MEMBER, Member.Status.WITHDRAWING])


@audited()
class Member(TimeStampedModel):
    """A member of the consortium: the tenant whose users and private data it owns."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        MEMBER = "member", _("Member")
        WITHDRAWING = "withdrawing", _("Withdrawing")
        FORMER = "former", _("Former member")

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
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

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
        _("municipality code"), max_length=3, unique=True, validators=[validate_kommunekode]
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

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], condition=~models.Q(cvr=""), name="municipality_cvr_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


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
                fields=["municipality", "year"], name="population_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.population}"
