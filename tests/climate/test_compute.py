"""The stored climate figures against a hand computation (world in conftest.py).

Factors of version 1 (climate/data/cpv_division_factors.csv): division 30 0,0746, 15 0,0796,
09 (fuels) 0,0686 kg CO2e per DKK ex. VAT. Odense 2026:

  division 30, Grøn Kontor (on the agreement, climate requirements): 1000,00 + 250,50 = 1250,50
      × 0,0746 = 93,2873 kg, all of it on a climate-flagged agreement
  division 15, Madhuset: 2000,00 × 0,0796 = 159,2 kg
  division 09, diesel, Madhuset: 300,00 × 0,0686 = 20,58 kg
  electricity (09310000), Fyns Energi: 5000,00 kr — needs metered consumption, no CO2e from spend
  unclassified: 750,00 (Madhuset) + 100,00 (Grøn Kontor, on the agreement) = 850,00 kr, no CO2e

  spend 1250,50 + 2000 + 300 + 5000 + 850 = 9400,50 kr; spend-based CO2e 273,0673 kg
  unclassified share 850 / 9400,50; climate-flagged share 93,2873 / 273,0673 of the CO2e
  metered electricity 10 000 kWh × 0,12 kg/kWh = 1200 kg → footprint 1473,0673 kg
  population 200 000 (2025, the latest figure not after 2026) → 0,0073653365 kg per inhabitant

Odense 2025: 400,00 × 0,0746 = 29,84 kg (before the agreement began: not flagged).
Aarhus 2026: 1000,00 × 0,0796 = 79,6 kg; population 50 000 → 0,001592 kg per inhabitant.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from climate.models import (
    AgreementClimateFigure,
    ClimateFigure,
    EmissionFactor,
    FactorVersion,
    FigureKind,
    MeteredConsumption,
    SupplierClimateFigure,
)
from climate.selectors import member_year_climate, member_year_totals
from climate.services import FactorEntry, factor_version_create, recompute
from jobs.models import Job

pytestmark = pytest.mark.django_db

D = Decimal


def divisions(member, year):
    return {
        (f.kind, f.division): (f.spend_dkk, f.co2e_kg, f.flagged_spend_dkk, f.flagged_co2e_kg)
        for f in ClimateFigure.objects.filter(member=member, year=year)
    }


def test_version_1_is_loaded_from_the_csv() -> None:
    version = FactorVersion.objects.in_force()
    assert version.number == 1
    factors = {f.division: f.kg_per_dkk for f in version.factors.all()}
    assert len(factors) == 45
    assert factors["30"] == D("0.0746")
    assert factors["76"] is None  # no factor: shown as such, never a guess


def test_figures_per_division_match_the_hand_computation(world) -> None:
    done = recompute()
    assert done.version == 1
    odense = world.cast.odense
    assert divisions(odense, 2026) == {
        ("estimated", "30"): (D("1250.50"), D("93.2873"), D("1250.50"), D("93.2873")),
        ("estimated", "15"): (D("2000.00"), D("159.2"), D(0), D(0)),
        ("estimated", "09"): (D("300.00"), D("20.58"), D(0), D(0)),
        ("electricity", "09"): (D("5000.00"), D(0), D(0), D(0)),
        ("unclassified", ""): (D("850.00"), D(0), D("100.00"), D(0)),
    }
    assert divisions(odense, 2025) == {
        ("estimated", "30"): (D("400.00"), D("29.84"), D(0), D(0)),
    }
    assert set(ClimateFigure.objects.values_list("factor_version__number", flat=True)) == {1}


def test_supplier_and_agreement_figures(world) -> None:
    recompute()
    odense = world.cast.odense
    suppliers = {
        f.supplier_id: (f.spend_dkk, f.co2e_kg)
        for f in SupplierClimateFigure.objects.filter(member=odense, year=2026)
    }
    assert suppliers == {
        world.kontor.pk: (D("1350.50"), D("93.2873")),
        world.food.pk: (D("3050.00"), D("179.78")),
        world.energy.pk: (D("5000.00"), D(0)),
    }
    agreements = {
        (f.agreement_id, f.member_id, f.year): (f.spend_dkk, f.co2e_kg)
        for f in AgreementClimateFigure.objects.all()
    }
    assert agreements == {(world.agreement.pk, odense.pk, 2026): (D("1350.50"), D("93.2873"))}


def test_member_year_climate_with_metered_electricity(world) -> None:
    MeteredConsumption.objects.create(
        member=world.cast.odense,
        year=2026,
        kind="electricity",
        kwh=D("10000"),
        kg_per_kwh=D("0.12"),
        factor_source="Energinet, miljødeklaration 2026",
    )
    recompute()
    figures = member_year_climate(2026)
    odense = figures[world.cast.odense.pk]
    assert odense["spend_dkk"] == D("9400.50")
    assert odense["co2e_kg"] == D("1473.0673")
    assert odense["kg_per_inhabitant"] == D("1473.0673") / 200000
    assert odense["unclassified_share"] == D("850") / D("9400.50")
    assert odense["climate_flagged_share"] == D("93.2873") / D("273.0673")
    aarhus = figures[world.cast.aarhus.pk]
    assert aarhus["co2e_kg"] == D("79.6")
    assert aarhus["kg_per_inhabitant"] == D("0.001592")
    assert aarhus["climate_flagged_share"] == 0
    totals = member_year_totals(2026)[world.cast.odense.pk]
    assert totals["needs_metering_dkk"] == D("5000.00")
    assert totals["metered_co2e_kg"] == D("1200")


def test_recompute_is_idempotent_and_incremental(world) -> None:
    recompute()
    before = divisions(world.cast.odense, 2026)
    count = ClimateFigure.objects.count()
    recompute()
    recompute(member_ids=[world.cast.odense.pk], years=[2026])
    assert divisions(world.cast.odense, 2026) == before
    assert ClimateFigure.objects.count() == count
    # Only Odense 2026 is touched: Aarhus's figure stays even with its lines gone.
    world.cast.aarhus.spend_lines.all().delete()
    recompute(member_ids=[world.cast.odense.pk], years=[2026])
    assert ClimateFigure.objects.filter(member=world.cast.aarhus).exists()
    recompute(member_ids=[world.cast.aarhus.pk], years=[2026])
    assert not ClimateFigure.objects.filter(member=world.cast.aarhus).exists()


def test_a_new_factor_version_recomputes_in_a_job(
    world, django_capture_on_commit_callbacks
) -> None:
    recompute()
    current = FactorVersion.objects.in_force()
    entries = [
        FactorEntry(
            f.division, f.label, D("0.1") if f.division == "30" else f.kg_per_dkk, f.confidence
        )
        for f in current.factors.all()
    ]
    with django_capture_on_commit_callbacks(execute=False):
        version = factor_version_create(
            user=world.cast.staff, note="Kontorartikler hævet", factors=entries
        )
    assert version.number == 2
    job = Job.objects.get(kind="climate.recompute")
    assert job.task_kwargs == {"member_ids": None, "years": None}
    # What the job runs:
    recompute(**job.task_kwargs)
    assert divisions(world.cast.odense, 2026)[("estimated", "30")][1] == D("125.05")
    assert set(ClimateFigure.objects.values_list("factor_version__number", flat=True)) == {2}
    assert member_year_totals(2026)[world.cast.odense.pk]["estimated_co2e_kg"] == D("304.83")
    assert EmissionFactor.objects.filter(version__number=1, division="30").get().kg_per_dkk == D(
        "0.0746"
    )


def test_an_import_enqueues_the_touched_member_years(world, django_capture_on_commit_callbacks):
    from spend import hooks

    with django_capture_on_commit_callbacks(execute=False):
        hooks.run_after_import(
            world.cast.odense.pk,
            datetime.date(2025, 12, 1),
            datetime.date(2026, 1, 31),
        )
    job = Job.objects.get(kind="climate.recompute")
    assert job.task_kwargs == {"member_ids": [world.cast.odense.pk], "years": [2025, 2026]}
    assert job.organisation_id == world.cast.odense.organisation_id


def test_unclassified_kind_is_never_dropped(world) -> None:
    recompute()
    total = sum(f.spend_dkk for f in ClimateFigure.objects.filter(member=world.cast.odense))
    assert total == D("9800.50")  # every line of Odense, 2025 and 2026
    assert ClimateFigure.objects.filter(kind=FigureKind.UNCLASSIFIED).count() == 1


def test_an_agreement_change_recomputes_the_members_it_can_move_in_a_job(
    world, django_capture_on_commit_callbacks
) -> None:
    from agreements.services import agreement_update, compliance_recompute
    from agreements.services.compliance import compliance_recompute_deferred

    odense, aarhus = world.cast.odense, world.cast.aarhus
    recompute()
    flagged = ClimateFigure.objects.filter(member=odense, year=2026, flagged_spend_dkk__gt=0)
    assert flagged.exists()
    aarhus_ids = set(ClimateFigure.objects.filter(member=aarhus).values_list("pk", flat=True))
    assert aarhus_ids
    with compliance_recompute_deferred():
        agreement_update(agreement=world.agreement, user=None, fields={"climate_requirements": ""})
    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute(agreement_id=world.agreement.pk)
    job = Job.objects.get(kind="climate.recompute")
    # The agreement binds Odense only; the secretariat's change, the secretariat's job.
    assert job.task_kwargs == {"member_ids": [odense.pk], "years": None}
    assert job.organisation == world.cast.secretariat
    recompute(**job.task_kwargs)  # what the job runs
    assert not flagged.exists()  # no climate requirements any more
    assert set(ClimateFigure.objects.filter(member=aarhus).values_list("pk", flat=True)) == (
        aarhus_ids
    )


def test_an_import_and_the_nightly_recompute_start_no_job_from_the_compliance_hook(
    world, django_capture_on_commit_callbacks
) -> None:
    from agreements.services import compliance_recompute

    with django_capture_on_commit_callbacks(execute=True):
        compliance_recompute(member_id=world.cast.odense.pk)
        compliance_recompute()
    assert not Job.objects.filter(kind="climate.recompute").exists()
