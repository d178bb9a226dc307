"""Demo climate data: metered energy per member and a climate profile of purchases that makes
members' footprints differ, then the figures computed once.

Each member gets, beside the spend the spend and agreements demos generate, a few lines typical
of its own profile (a member that builds, one that runs its own bus routes, one with big
canteens, one whose ERP export lost its categories), with new invented suppliers that are on no
agreement, so compliance figures are not moved. No tenders are created. Seeding again adds
nothing (the lines' fingerprints, one metered figure per member, year and kind).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pyarrow as pa
from django.db import transaction

from members.models import Member
from spend.models import SpendImport, Supplier
from spend.services import spend_lines_write

from .models import Energy, MeteredConsumption
from .services import recompute

SEED = 2026_09
YEARS = (2024, 2025, 2026)

# (key, name, CPV code or "" for lines the ERP export lost the category of)
PROFILE_SUPPLIERS = {
    "bygge": ("Fynsk Byggeentreprise A/S", "45000000"),
    "bus": ("Kommunal Kørsel & Bus ApS", "60100000"),
    "kantine": ("Storkantinen Danmark A/S", "15000000"),
    "varme": ("Fjernvarme Fællesforsyning a.m.b.a.", "09323000"),
    "diesel": ("Brændstofcentralen ApS", "09134100"),
    "ukendt": ("Diverse Leverandør ApS", ""),
}
# Per member (by position in the register, cycled): kr per inhabitant per year in each profile.
PROFILES = (
    {"bygge": 900, "varme": 250, "ukendt": 60},
    {"bus": 700, "diesel": 120, "varme": 300},
    {"kantine": 650, "varme": 200, "ukendt": 120},
    {"varme": 150, "ukendt": 40},
    {"bygge": 1400, "bus": 300, "diesel": 200},
    {"kantine": 300, "ukendt": 250},
    {"bus": 200, "varme": 350},
)
# Electricity kWh per inhabitant per year and the district heating kWh per inhabitant, by member.
ENERGY = ((420, 900), (610, 0), (380, 1200), (520, 700), (700, 0), (450, 1000), (560, 800))
# Energinet's environmental declaration for Danish electricity (illustrative demo values) and a
# district heating company's own figure.
ELECTRICITY_FACTOR = {2024: Decimal("0.110"), 2025: Decimal("0.095"), 2026: Decimal("0.085")}
HEATING_FACTOR = Decimal("0.060")


def _suppliers() -> dict[str, Supplier]:
    from spend.demo import demo_cvr

    result = {}
    for offset, (key, (name, _cpv)) in enumerate(PROFILE_SUPPLIERS.items()):
        result[key], _created = Supplier.objects.update_or_create(
            cvr=demo_cvr(900 + offset), defaults={"name": name}
        )
    return result


def seed() -> dict[str, int]:
    suppliers = _suppliers()
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    today = datetime.date.today()
    members = list(Member.objects.active().select_related("organisation").order_by("pk"))
    lines = metered = 0
    for position, member in enumerate(members):
        population = member.population(2026) or member.population(2025) or 50_000
        lines += _profile_lines(
            member, PROFILES[position % len(PROFILES)], population, suppliers, rng, today
        )
        metered += _metered(member, ENERGY[position % len(ENERGY)], population, today)
    done = recompute()
    return {"lines": lines, "metered": metered, "figures": done.divisions}


def _profile_lines(member, profile, population, suppliers, rng, today) -> int:
    columns = (
        "line", "source", "supplier_cvr", "supplier_name", "amount", "invoice_date",
        "account", "category", "cpv8", "unspsc", "invoice_number", "line_key",
    )  # fmt: skip
    rows: dict[str, list[object]] = {k: [] for k in columns}
    line = 0
    for year in YEARS:
        for key, per_inhabitant in profile.items():
            name, cpv = PROFILE_SUPPLIERS[key]
            # Twelve monthly invoices around the year's amount.
            for month in range(1, 13):
                date = datetime.date(year, month, 15)
                if date > today:
                    continue
                line += 1
                amount = population * per_inhabitant / 12 * rng.uniform(0.8, 1.2)
                rows["line"].append(line)
                rows["source"].append("")
                rows["supplier_cvr"].append(suppliers[key].cvr)
                rows["supplier_name"].append(name)
                rows["amount"].append(f"{amount:.2f}")
                rows["invoice_date"].append(date.isoformat())
                rows["account"].append("4900")
                rows["category"].append(cpv)
                rows["cpv8"].append(cpv)
                rows["unspsc"].append("")
                rows["invoice_number"].append(
                    f"KLIMA-{member.organisation.slug[:3].upper()}-{date:%y%m}-{key}"
                )
                rows["line_key"].append("demo-klima")
    if not line:
        return 0
    table = pa.table({k: pa.array(v) for k, v in rows.items()})
    with transaction.atomic():
        demo_import, _created = SpendImport.objects.get_or_create(
            member=member,
            original_name="demo-klimaprofil.csv",
            defaults={
                "sha256": f"demo-klima-{member.pk}".ljust(64, "0"),
                "format": SpendImport.Format.ERP_CSV,
                "encoding": "utf-8",
                "status": SpendImport.Status.IMPORTED,
                "file": "",
            },
        )
        new = spend_lines_write(member_id=member.pk, table=table, spend_import_id=demo_import.pk)
        if new:
            demo_import.lines_total = demo_import.lines_valid = line
            demo_import.lines_new = new
            demo_import.first_date = min(rows["invoice_date"])
            demo_import.last_date = max(rows["invoice_date"])
            demo_import.save()
    return new


def _metered(member, energy, population, today) -> int:
    electricity, heating = energy
    count = 0
    for year in YEARS:
        if year > today.year:
            continue
        entries = [(Energy.ELECTRICITY, electricity, ELECTRICITY_FACTOR[year], "Energinet, miljødeklaration for el (demo)")]  # fmt: skip
        if heating:
            entries.append(
                (Energy.DISTRICT_HEATING, heating, HEATING_FACTOR, "Forsyningens CO2-opgørelse (demo)")
            )  # fmt: skip
        for kind, per_inhabitant, factor, source in entries:
            _entry, created = MeteredConsumption.objects.get_or_create(
                member=member,
                year=year,
                kind=kind,
                defaults={
                    "kwh": Decimal(population * per_inhabitant),
                    "kg_per_kwh": factor,
                    "factor_source": source,
                },
            )
            count += created
    return count
