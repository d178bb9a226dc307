"""Climate figures and metered consumption are members' private data: the database holds the line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from accounts.access import acting_for
from climate.models import ClimateFigure, MeteredConsumption
from climate.selectors import member_year_climate
from climate.services import recompute
from consortium import tenancy

pytestmark = pytest.mark.django_db


def raw(table: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT member_id FROM {table} ORDER BY 1")  # noqa: S608
        return [r[0] for r in cursor.fetchall()]


def metered(member, year=2026) -> MeteredConsumption:
    return MeteredConsumption.objects.create(
        member=member, year=year, kind="electricity", kwh=Decimal(1000), kg_per_kwh=Decimal("0.1"),
        factor_source="Energinet",
    )  # fmt: skip


def test_a_member_reads_only_its_own_figures(world) -> None:
    recompute()
    metered(world.cast.odense)
    metered(world.cast.aarhus)
    odense = world.cast.odense
    with tenancy.acting_as(acting_for(world.cast.officer)):
        for table in (
            "climate_climatefigure",
            "climate_supplierclimatefigure",
            "climate_agreementclimatefigure",
            "climate_meteredconsumption",
        ):
            assert raw(table) == [odense.pk]
        # The peer comparison reads across members on purpose (and says so).
        assert set(member_year_climate(2026)) == {odense.pk, world.cast.aarhus.pk}
    with tenancy.acting_as(tenancy.NOBODY):
        assert raw("climate_climatefigure") == []


def test_a_member_cannot_write_another_members_consumption(world) -> None:
    entry = metered(world.cast.aarhus)
    with tenancy.acting_as(acting_for(world.cast.officer)):
        assert MeteredConsumption.objects.filter(pk=entry.pk).update(kwh=Decimal(1)) == 0
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            metered(world.cast.aarhus, year=2025)
    with tenancy.acting_as(acting_for(world.cast.board_member)):
        assert MeteredConsumption.objects.update(kwh=Decimal(1)) == 0
        assert ClimateFigure.objects.filter(member=world.cast.aarhus).delete()[0] == 0
    assert MeteredConsumption.objects.get(pk=entry.pk).kwh == Decimal(1000)


def test_a_members_own_recompute_touches_only_its_rows(world) -> None:
    recompute()
    before = ClimateFigure.objects.filter(member=world.cast.aarhus).count()
    with tenancy.acting_as(acting_for(world.cast.officer)):
        recompute(member_ids=[world.cast.odense.pk], years=[2026])
    assert ClimateFigure.objects.filter(member=world.cast.aarhus).count() == before
