"""Factories for tenders and their stub data (used by the timeline and document tests)."""

from __future__ import annotations

from decimal import Decimal

import factory

from accounts.models import Organisation
from tenders.models import LineItem, Lot, Participation, ProcedureType, Tender, VolumeDeclaration
from tests.factories import MemberFactory, OrganisationFactory


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tender
        django_get_or_create = ("reference",)

    reference = factory.Sequence(lambda n: f"2026-{100 + n:03d}")
    title = factory.Sequence(lambda n: f"Kontorartikler {n}")
    description = "Levering af kontorartikler til de deltagende kommuner."
    procedure_type = ProcedureType.OPEN
    lead_organisation = factory.SubFactory(
        OrganisationFactory,
        slug="sekretariat",
        name="Sekretariatet",
        kind=Organisation.Kind.SECRETARIAT,
    )
    term_years = 2
    option_years = factory.LazyFunction(lambda: [1, 1])


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    tender = factory.SubFactory(TenderFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Delaftale {n + 1}")


class LineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LineItem

    lot = factory.SubFactory(LotFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Kuglepen, blå, pakke {n}")
    unit = "pakke"
    quantity = Decimal("1200")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    tender = factory.SubFactory(TenderFactory)
    member = factory.SubFactory(MemberFactory)
    answer = Participation.Answer.PARTICIPATE


class VolumeDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolumeDeclaration

    participation = factory.SubFactory(ParticipationFactory)
    lot = factory.SubFactory(LotFactory)
    annual_volume = Decimal("250000")
