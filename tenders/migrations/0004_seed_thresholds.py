"""Seed the EU procurement thresholds (ex. VAT) that the issue states, with their sources.

The official DKK values for 2026–2027 (Commission communication C/2025/7081) are deliberately not
seeded: the secretariat enters them as data; until then verdicts use a provisional conversion of
the EUR values and say so.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

EUR_2026 = "Delegeret forordning (EU) 2025/2152, gældende fra 1. januar 2026"
DKK_2024 = "Tærskelværdier i kroner for 2024–2025 (Kommissionens meddelelse, 2023)"
SMALL_LOTS = "Direktiv 2014/24/EU art. 5, stk. 10: undtagelse for små delkontrakter (varer og tjenesteydelser)"

ROWS = [
    # kind, level, currency, amount, from, until, source
    ("supplies_services", "sub_central", "EUR", "216000", date(2026, 1, 1), date(2027, 12, 31), EUR_2026),
    ("supplies_services", "central", "EUR", "140000", date(2026, 1, 1), date(2027, 12, 31), EUR_2026),
    ("works", "", "EUR", "5404000", date(2026, 1, 1), date(2027, 12, 31), EUR_2026),
    ("social", "", "EUR", "750000", date(2026, 1, 1), date(2027, 12, 31), EUR_2026),
    ("small_lot", "", "EUR", "80000", date(2016, 4, 18), None, SMALL_LOTS),
    ("supplies_services", "sub_central", "DKK", "1644638", date(2024, 1, 1), date(2025, 12, 31), DKK_2024),
    ("supplies_services", "central", "DKK", "1064177", date(2024, 1, 1), date(2025, 12, 31), DKK_2024),
    ("social", "", "DKK", "5581350", date(2024, 1, 1), date(2025, 12, 31), DKK_2024),
    ("small_lot", "", "DKK", "595344", date(2024, 1, 1), date(2025, 12, 31), DKK_2024),
]


def seed(apps, schema_editor):
    Threshold = apps.get_model("tenders", "Threshold")
    for kind, level, currency, amount, valid_from, valid_until, source in ROWS:
        Threshold.objects.update_or_create(
            kind=kind,
            level=level,
            currency=currency,
            valid_from=valid_from,
            defaults={"amount": Decimal(amount), "valid_until": valid_until, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("tenders", "0003_criteria_thresholds_pooling")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
