"""Version 1 of the emission factors, from climate/data/cpv_division_factors.csv."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cpv_division_factors.csv"

NOTE = (
    "cpv_division_factors.csv: EXIOBASE 3.4 (2011), kg CO2e per DKK ex. VAT at 2024 prices. "
    "CC BY-SA 4.0."
)


def load(apps, schema_editor):
    FactorVersion = apps.get_model("climate", "FactorVersion")
    EmissionFactor = apps.get_model("climate", "EmissionFactor")
    version, _ = FactorVersion.objects.get_or_create(number=1, defaults={"note": NOTE})
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    EmissionFactor.objects.bulk_create(
        [
            EmissionFactor(
                version=version,
                division=row["cpv_division"],
                label=row["label_da"],
                kg_per_dkk=Decimal(row["kg_co2e_per_dkk"]) if row["kg_co2e_per_dkk"] else None,
                confidence=row["confidence"],
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("climate", "FactorVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("climate", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
