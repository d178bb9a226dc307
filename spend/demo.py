"""Demo suppliers and about three years of generated spend for every member.

Supplier names are invented (real-looking Danish company names, not real companies); their CVR
numbers are generated with a valid modulus-11 check digit and are not looked up in the CVR register.
Spend is generated deterministically: a few suppliers carry most of it (Zipf-like weights), each
supplier sells in one CPV category typical of joint municipal tenders, amounts are log-normal and
members' volumes follow their population. The lines go through the importer's writer (COPY into
a temporary table, INSERT … ON CONFLICT), so seeding again adds nothing.
"""

from __future__ import annotations

import datetime
import math
import random

import pyarrow as pa
from django.db import transaction
from stdnum.dk import cvr as cvr_number

from members.models import Member

from .models import SpendImport, Supplier, SupplierName
from .services import spend_lines_write

# (name, other name it appears under in ERP data or "", CPV code, relative size)
DEMO_SUPPLIERS: tuple[tuple[str, str, str, float], ...] = (
    ("Nordisk Kontorforsyning A/S", "Nordisk Kontorforsyning", "30192000", 9.0),
    ("Dansk IT-Udstyr A/S", "DK IT Udstyr A/S", "30200000", 14.0),
    ("Jysk Datacenter ApS", "", "30200000", 3.0),
    ("Storkøkkenet Fødevarer A/S", "Storkøkkenet", "15000000", 12.0),
    ("Fynske Grønt & Frugt ApS", "", "15000000", 2.5),
    ("Mejeriselskabet Vestkyst a.m.b.a.", "", "15000000", 2.0),
    ("Rent & Pænt Facility A/S", "Rent og Pænt Facility", "90910000", 11.0),
    ("Midtjysk Rengøring ApS", "", "90910000", 2.0),
    ("Kontormøbelhuset Danmark A/S", "", "39100000", 5.0),
    ("Skandinavisk Skolemøbel ApS", "", "39100000", 1.5),
    ("Kommunebiler Danmark A/S", "Kommunebiler DK", "34100000", 6.0),
    ("Vejle Auto Flådeservice ApS", "", "34100000", 1.2),
    ("Papir & Print Nord ApS", "", "30192000", 1.0),
    ("Elektroinstallatør Hansen & Søn ApS", "", "45310000", 3.5),
    ("Dansk Hjælpemiddelcenter A/S", "", "33190000", 4.0),
    ("Rehab Teknik ApS", "", "33190000", 1.0),
    ("Grøn Energi Forsyning A/S", "", "09310000", 7.0),
    ("Arbejdstøj Danmark ApS", "", "18100000", 1.2),
    ("Legepladsfabrikken A/S", "", "37535200", 1.0),
    ("Trafiksikkerhed & Skilte ApS", "", "34992000", 0.8),
    ("Lærebogsforlaget Danmark A/S", "", "22110000", 1.8),
    ("Konsulenthuset Offentlig Indkøb ApS", "", "79400000", 1.5),
    ("Vikarservice Syd ApS", "", "79620000", 1.4),
    ("Affaldsløsninger Jylland A/S", "", "90500000", 3.0),
    ("Sikkerhedsservice Danmark ApS", "", "79710000", 1.1),
    ("Kaffe & Automater ApS", "", "15860000", 0.6),
    ("Blomster & Grønt Anlæg ApS", "", "77310000", 0.9),
    ("Medicinsk Forbrug Nord A/S", "", "33140000", 2.2),
    ("Telefoni & Net Danmark A/S", "", "64200000", 2.8),
    ("Licenshuset Software ApS", "", "48000000", 3.2),
)
ACCOUNTS = ("4410", "4420", "4430", "4510", "4520", "4610", "4710", "4800")
# A fixed span, so seeding again on another day regenerates the same lines (future ones are left out).
START, END = datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)
LINES_PER_100K_INHABITANTS = 1_900  # per year; Aarhus ≈ 7.000, Lemvig-sized members ≈ 800
SEED = 12_2026
# Suppliers at least this large (relative size) win the demo agreements (agreements/demo.py).
LARGE_SUPPLIER = 5.0
# How much more than the base weight each member buys from the small suppliers (by member).
LEAKAGE = (1.0, 4.0, 2.0, 8.0, 1.5, 12.0, 3.0, 6.0, 1.2, 10.0, 2.5, 5.0, 16.0, 3.5)


def demo_cvr(index: int) -> str:
    """A deterministic CVR number with a valid check digit (not a real company)."""
    body = 30_000_000 + index * 7_919
    while True:
        digits = f"{body:08d}"
        for check in range(10):
            candidate = digits[:7] + str(check)
            if cvr_number.is_valid(candidate):
                return candidate
        body += 10


def seed() -> list[Supplier]:
    suppliers = _seed_suppliers()
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    today = datetime.date.today()
    for member in Member.objects.active().select_related("organisation").order_by("pk"):
        _seed_member(member, suppliers, rng, today)
    return suppliers


def _seed_suppliers() -> list[Supplier]:
    suppliers = []
    for index, (name, alias, _cpv, _weight) in enumerate(DEMO_SUPPLIERS):
        supplier, _created = Supplier.objects.update_or_create(
            cvr=demo_cvr(index), defaults={"name": name}
        )
        for known in filter(None, (name, alias)):
            SupplierName.objects.get_or_create(supplier=supplier, name=known)
        suppliers.append(supplier)
    return suppliers


def _seed_member(
    member: Member,
    suppliers: list[Supplier],
    rng: random.Random,
    today: datetime.date,
) -> None:
    start, end = START, END
    population = member.population(2026) or member.population(2025) or 50_000
    per_year = max(300, int(population / 100_000 * LINES_PER_100K_INHABITANTS))
    days = (end - start).days
    count = per_year * days // 365
    # Zipf-like: the supplier's base size times a rank factor, so a handful carry most spend.
    # The consortium's agreements go to the large suppliers; how much a member still buys from the
    # small ones beside them differs from member to member, as agreement use does in real life.
    leakage = LEAKAGE[member.pk % len(LEAKAGE)]
    weights = [
        size / (rank + 1) ** 0.6 * (leakage if size < LARGE_SUPPLIER else 1.0)
        for rank, (*_rest, size) in enumerate(DEMO_SUPPLIERS)
    ]
    chosen = rng.choices(range(len(suppliers)), weights=weights, k=count)
    rows: dict[str, list[object]] = {
        k: []
        for k in (
            "line", "source", "supplier_cvr", "supplier_name", "amount", "invoice_date",
            "account", "category", "cpv8", "unspsc", "invoice_number", "line_key",
        )
    }  # fmt: skip
    for line, index in enumerate(chosen, start=1):
        name, alias, cpv, size = DEMO_SUPPLIERS[index]
        amount = min(rng.lognormvariate(math.log(4_000 * math.sqrt(size)), 1.1), 2_000_000)
        if rng.random() < 0.02:
            amount = -amount / 4  # a credit note now and then
        date = start + datetime.timedelta(days=rng.randrange(days))
        if date > today:
            continue
        rows["line"].append(line)
        rows["source"].append("")
        rows["supplier_cvr"].append(suppliers[index].cvr)
        rows["supplier_name"].append(alias if alias and rng.random() < 0.3 else name)
        rows["amount"].append(f"{amount:.2f}")
        rows["invoice_date"].append(date.isoformat())
        rows["account"].append(rng.choice(ACCOUNTS))
        rows["category"].append(cpv)
        rows["cpv8"].append(cpv)
        rows["unspsc"].append("")
        rows["invoice_number"].append(
            f"{member.organisation.slug[:3].upper()}-{date:%y}-{line:06d}"
        )
        rows["line_key"].append("demo")
    table = pa.table({k: pa.array(v) for k, v in rows.items()})
    with transaction.atomic():
        demo_import, _created = SpendImport.objects.get_or_create(
            member=member,
            original_name="demo-oekonomisystem.csv",
            defaults={
                "sha256": f"demo-{member.pk}".ljust(64, "0"),
                "format": SpendImport.Format.ERP_CSV,
                "encoding": "utf-8",
                "status": SpendImport.Status.IMPORTED,
                "file": "",
            },
        )
        new = spend_lines_write(member_id=member.pk, table=table, spend_import_id=demo_import.pk)
        if new:
            demo_import.lines_total = demo_import.lines_valid = len(rows["line"])
            demo_import.lines_new = demo_import.lines_new + new
            demo_import.first_date = min(rows["invoice_date"])
            demo_import.last_date = max(rows["invoice_date"])
            demo_import.save()
