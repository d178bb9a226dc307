"""A tender with lots, line items, participants (one member with two municipalities) and volumes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from accounts.models import Organisation
from members.models import Member
from tenders.models import Lot, Participation, Tender
from tests.conftest import Cast
from tests.factories import MemberFactory, MunicipalityFactory, OrganisationFactory

from .factories import (
    LineItemFactory,
    LotFactory,
    ParticipationFactory,
    TenderFactory,
    VolumeDeclarationFactory,
)


@dataclass
class TenderWorld:
    tender: Tender
    lots: list[Lot]
    holstebro_lemvig: Member
    # (name, CVR) of every participating contracting authority
    authorities: list[tuple[str, str]]
    declining: Participation


@pytest.fixture
def tender_world(cast: Cast) -> TenderWorld:
    tender = TenderFactory(
        reference="2026-014", title="Kontorartikler og papir", lead_organisation=cast.secretariat
    )
    lots = [
        LotFactory(tender=tender, number=1, title="Kontorartikler"),
        LotFactory(tender=tender, number=2, title="Kopipapir"),
    ]
    LineItemFactory(
        lot=lots[0], number=1, description="Kuglepen, blå", unit="stk.", quantity=Decimal("5000")
    )
    LineItemFactory(lot=lots[0], number=2, description="Hæftemaskine", unit="stk.", quantity=None)
    LineItemFactory(
        lot=lots[1],
        number=1,
        description="Kopipapir A4, 80 g",
        unit="pakke",
        quantity=Decimal("12000"),
    )

    org = OrganisationFactory(
        slug="holstebro-lemvig", name="Holstebro-Lemvig", kind=Organisation.Kind.MEMBER
    )
    holstebro_lemvig = MemberFactory(organisation=org)
    MunicipalityFactory(member=holstebro_lemvig, code="661", name="Holstebro")
    MunicipalityFactory(member=holstebro_lemvig, code="665", name="Lemvig")

    odense = ParticipationFactory(tender=tender, member=cast.odense)
    hl = ParticipationFactory(tender=tender, member=holstebro_lemvig)
    declining = ParticipationFactory(
        tender=tender,
        member=cast.aarhus,
        answer=Participation.Answer.DECLINE,
        decline_reason="Egen aftale",
    )
    VolumeDeclarationFactory(participation=odense, lot=lots[0], annual_volume=Decimal("400000"))
    VolumeDeclarationFactory(
        participation=odense, lot=lots[1], annual_volume=Decimal("150000"), quantity=Decimal("3000")
    )
    VolumeDeclarationFactory(participation=hl, lot=lots[0], annual_volume=Decimal("90000"))
    authorities = [
        (m.name, m.cvr)
        for m in [*cast.odense.municipalities.all(), *holstebro_lemvig.municipalities.all()]
    ]
    return TenderWorld(tender, lots, holstebro_lemvig, authorities, declining)
