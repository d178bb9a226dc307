"""Shared fixtures for the members tests: a fee year with three members, one of them two
municipalities (like Holstebro-Lemvig)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from members.models import FeeModel, Member
from tests.factories import MunicipalityFactory, PopulationFigureFactory


def holstebro_lemvig() -> Member:
    """A member of two municipalities, with population figures for 2026 for both."""
    hl = MunicipalityFactory(code="661", name="Holstebro").member
    hl.organisation.name = "Holstebro-Lemvig"
    hl.organisation.save()
    PopulationFigureFactory(municipality=hl.municipalities.get(), population=59_000)
    PopulationFigureFactory(
        municipality=MunicipalityFactory(code="665", name="Lemvig", member=hl), population=19_500
    )
    return hl


@pytest.fixture
def fee_model(cast) -> FeeModel:
    PopulationFigureFactory(municipality=cast.odense.municipalities.get(), population=210_000)
    PopulationFigureFactory(municipality=cast.aarhus.municipalities.get(), population=375_000)
    holstebro_lemvig()
    return FeeModel.objects.create(
        year=2026, budget=Decimal("1000000.01"), base_share=Decimal("0.3333"),
        minimum_fee=None, population_year=2026,
    )  # fmt: skip
