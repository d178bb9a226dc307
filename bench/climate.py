"""Benchmark: a full climate recompute (climate.services.recompute) over synthetic spend lines.

Creates its own database (`<dev database>_bench_climate`), migrates it (factor version 1 comes
with the migrations), generates 98 members, 2,000 suppliers, 20 agreements (every fourth with
climate requirements) and BENCH_LINES spend lines (default 500,000) over three years with SQL
generate_series — a fifth without a category, some electricity and district heating — then times
the full recompute, one member-year (what an import starts) and the selector the peer comparison
reads. Drops the database afterwards. Run: BENCH_LINES=500000 .venv/bin/python bench/climate.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINES = int(os.environ.get("BENCH_LINES", "500000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))  # full recomputes; the fastest is reported


def _env_url(name: str, default: str) -> str:
    url = os.environ.get(name)
    if not url and (ROOT / ".env").exists():
        for row in (ROOT / ".env").read_text().splitlines():
            if row.startswith(name + "="):
                url = row.split("=", 1)[1].strip()
    return url or default


# The owner role creates, migrates and drops the database; the recompute runs as the application
# role, under row-level security, as in production.
BASE_URL = urlparse(_env_url("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/consortium"))
OWNER_URL = urlparse(_env_url("DATABASE_OWNER_URL", urlunparse(BASE_URL)))
BENCH_DB = BASE_URL.path.lstrip("/") + "_bench_climate"
ADMIN_URL = urlunparse(OWNER_URL._replace(path="/postgres"))
os.environ["DATABASE_URL"] = urlunparse(BASE_URL._replace(path="/" + BENCH_DB))
os.environ["DATABASE_OWNER_URL"] = urlunparse(OWNER_URL._replace(path="/" + BENCH_DB))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import psycopg  # noqa: E402


def admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


MEMBERS = 98


def setup_data() -> None:
    import datetime

    from django.db import connection

    from agreements.models import Agreement, AgreementSupplier
    from cpv.models import CpvCode
    from members.models import Member
    from spend.models import Supplier

    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO accounts_organisation (kind, name, slug, created_at, updated_at)
            SELECT 'member', 'Kommune ' || g, 'kommune-' || g, now(), now()
            FROM generate_series(1, %(members)s) g;
            INSERT INTO members_member (organisation_id, status, created_at, updated_at)
            SELECT id, 'member', now(), now() FROM accounts_organisation WHERE kind = 'member';
            INSERT INTO spend_supplier (cvr, name, created_at, updated_at)
            SELECT lpad((10000000 + g)::text, 8, '0'), 'Leverandør ' || g, now(), now()
            FROM generate_series(1, 2000) g;
            """,
            {"members": MEMBERS},
        )
    groups = list(CpvCode.objects.filter(level=3).order_by("code")[:20])
    members = list(Member.objects.all())
    supplier_ids = list(Supplier.objects.order_by("pk").values_list("pk", flat=True))
    for n, group in enumerate(groups):
        agreement = Agreement.objects.create(
            number=f"B-{n:02d}", title=f"Aftale {n}", start_date=datetime.date(2023, 1, 1),
            base_end_date=datetime.date(2026, 12, 31), end_date=datetime.date(2026, 12, 31),
            climate_requirements="Klimakrav" if n % 4 == 0 else "",
        )  # fmt: skip
        agreement.members.set(members)
        agreement.categories.set([group])
        for rank in range(3):
            AgreementSupplier.objects.create(
                agreement=agreement, supplier_id=supplier_ids[n * 3 + rank], rank=rank + 1
            )
    codes = [
        c for g in groups for c in CpvCode.objects.under(g.prefix).values_list("code", flat=True)
    ]
    codes += list(CpvCode.objects.filter(level=4).values_list("code", flat=True)[:200])
    codes += ["09310000-5", "09323000-9"]  # electricity and district heating
    member_ids = [m.pk for m in members]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO spend_spendline
                (member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                 invoice_number, fingerprint)
            SELECT (%(members)s::bigint[])[1 + (g %% %(nmembers)s)::int],
                   (%(suppliers)s::bigint[])[1 + floor(2000 * power((g * 7919 %% 10007) / 10007.0, 3))::int],
                   round((50 + (g * 104729 %% 100000) / 10.0)::numeric, 2),
                   DATE '2024-01-01' + (g %% 1095)::int,
                   '4000', '',
                   CASE WHEN g %% 5 = 0 THEN NULL
                        ELSE (%(codes)s::text[])[1 + (g * 31 %% %(ncodes)s)::int] END,
                   'B' || g, md5(g::text)
            FROM generate_series(1::bigint, %(lines)s::bigint) g
            """,
            {"members": member_ids, "nmembers": len(member_ids), "suppliers": supplier_ids,
             "codes": codes, "ncodes": len(codes), "lines": LINES},
        )  # fmt: skip
        cur.execute("ANALYZE")


def main() -> None:
    admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from consortium import tenancy

        call_command("migrate", verbosity=0)
        with tenancy.acting_as(tenancy.SYSTEM):
            started = time.perf_counter()
            setup_data()
            print(
                f"generated {LINES:,} spend lines in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            from climate.selectors import member_year_climate
            from climate.services import recompute
            from members.models import Member

            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                done = recompute()
                timings.append(time.perf_counter() - started)
            member_id = Member.objects.order_by("pk").values_list("pk", flat=True).first()
            started = time.perf_counter()
            recompute(member_ids=[member_id], years=[2025])
            incremental = time.perf_counter() - started
            started = time.perf_counter()
            peers = member_year_climate(2025)
            selector = time.perf_counter() - started
        connection.close()
        full = min(timings)
        print(f"figure: climate_full_recompute_{LINES // 1000}k_lines {full:.2f} s")
        print(
            f"figure: climate_full_recompute_figures {done.divisions}/{done.suppliers}/"
            f"{done.agreements} rows (division/supplier/agreement)"
        )
        print(f"figure: climate_full_recompute_rate {LINES / full / 1e6:.2f} Mlines/s")
        print(f"figure: climate_incremental_member_year {incremental * 1000:.0f} ms")
        print(f"figure: climate_member_year_climate_{len(peers)}_members {selector * 1000:.0f} ms")
    finally:
        from django.db import connections

        connections.close_all()
        if not os.environ.get("BENCH_KEEP"):
            admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
