"""Benchmark: a full compliance recompute over 5 million spend lines.

Creates its own database (`<dev database>_bench_compliance`), migrates it, generates 14 members,
2,000 suppliers, 20 agreements and 5,000,000 spend lines over three years with SQL
generate_series, then times `compliance_recompute()` (full) and one incremental recompute (one
member, one month). Drops the database afterwards. Run: .venv/bin/python bench/compliance.py

With `--large` (bench/_large.py) it times the same two recomputes over the spend lines of the
database DATABASE_URL names, each in a transaction that is rolled back afterwards, so the stored
figures stay as they were (the full recompute is checked against them first): the incremental
one for the member of `--municipality` (461) and `--month` (2024-03), the median of five.

    nice -n 10 .venv/bin/python bench/compliance.py --large
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import _large

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINES = int(os.environ.get("BENCH_LINES", "5000000"))


def _env_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url and (ROOT / ".env").exists():
        for row in (ROOT / ".env").read_text().splitlines():
            if row.startswith("DATABASE_URL="):
                url = row.split("=", 1)[1].strip()
    return url or "postgres://postgres@127.0.0.1:5432/consortium"


BASE_URL = urlparse(_env_database_url())
BENCH_DB = BASE_URL.path.lstrip("/") + "_bench_compliance"
ADMIN_URL = urlunparse(BASE_URL._replace(path="/postgres"))
if not _large.requested():
    os.environ["DATABASE_URL"] = urlunparse(BASE_URL._replace(path="/" + BENCH_DB))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import psycopg  # noqa: E402


def admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def setup_data() -> None:
    from django.db import connection

    from agreements.models import Agreement, AgreementSupplier
    from cpv.models import CpvCode

    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO accounts_organisation (kind, name, slug, created_at, updated_at)
            SELECT 'member', 'Kommune ' || g, 'kommune-' || g, now(), now()
            FROM generate_series(1, 14) g;
            INSERT INTO members_member (organisation_id, status, created_at, updated_at)
            SELECT id, 'member', now(), now() FROM accounts_organisation WHERE kind = 'member';
            INSERT INTO spend_supplier (cvr, name, created_at, updated_at)
            SELECT lpad((10000000 + g)::text, 8, '0'), 'Leverandør ' || g, now(), now()
            FROM generate_series(1, 2000) g;
            """
        )
    # Twenty agreements over level-3 CPV groups, three suppliers each, all members bound.
    groups = list(CpvCode.objects.filter(level=3).order_by("code")[:20])
    members = list(__import__("members.models").models.Member.objects.all())
    supplier_ids = list(
        __import__("spend.models")
        .models.Supplier.objects.order_by("pk")
        .values_list("pk", flat=True)
    )
    import datetime
    from decimal import Decimal

    for n, group in enumerate(groups):
        agreement = Agreement.objects.create(
            number=f"B-{n:02d}", title=f"Aftale {n}", start_date=datetime.date(2023, 1, 1),
            base_end_date=datetime.date(2026, 12, 31), end_date=datetime.date(2026, 12, 31),
            agreement_price_level=Decimal("92"),
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
    codes += list(CpvCode.objects.filter(level=4).values_list("code", flat=True)[:200])  # outside
    member_ids = [m.pk for m in members]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO spend_spendline
                (member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                 invoice_number, fingerprint)
            SELECT (%(members)s::bigint[])[1 + (g %% 14)::int],
                   -- a few suppliers carry most of the spend: square the uniform draw
                   (%(suppliers)s::bigint[])[1 + floor(2000 * power((g * 7919 %% 10007) / 10007.0, 3))::int],
                   round((50 + (g * 104729 %% 100000) / 10.0)::numeric, 2),
                   DATE '2023-01-01' + (g %% 1095)::int,
                   '4000', '',
                   CASE WHEN g %% 5 = 0 THEN NULL
                        ELSE (%(codes)s::text[])[1 + (g * 31 %% %(ncodes)s)::int] END,
                   'B' || g, md5(g::text)
            FROM generate_series(1::bigint, %(lines)s::bigint) g
            """,
            {"members": member_ids, "suppliers": supplier_ids, "codes": codes,
             "ncodes": len(codes), "lines": LINES},
        )  # fmt: skip
        cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    _large.add_flag(parser)
    parser.add_argument("--municipality", default="461", help="with --large: whose member")
    parser.add_argument("--month", default="2024-03", help="with --large: YYYY-MM")
    args = parser.parse_args()
    if args.large:
        main_large(args.municipality, args.month)
        return
    admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        setup_data()
        print(
            f"generated {LINES:,} spend lines in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

        import datetime

        from agreements.models import ComplianceFigure
        from agreements.services import compliance_recompute

        started = time.perf_counter()
        figures = compliance_recompute()
        full = time.perf_counter() - started
        member_id = ComplianceFigure.objects.values_list("member_id", flat=True).first()
        started = time.perf_counter()
        compliance_recompute(
            member_id=member_id, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31)
        )
        incremental = time.perf_counter() - started
        connection.close()
        print(f"figure: compliance_full_recompute_{LINES // 1_000_000}M_lines {full:.1f} s")
        print(f"figure: compliance_full_recompute_figures {figures} rows")
        print(f"figure: compliance_full_recompute_rate {LINES / full / 1e6:.2f} Mlines/s")
        print(f"figure: compliance_incremental_member_month {incremental * 1000:.0f} ms")
    finally:
        from django.db import connections

        connections.close_all()
        admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def figures_digest() -> tuple:
    """The stored figures in a few numbers: whether a recompute changed them."""
    from django.db.models import Count, Sum

    from agreements.models import ComplianceFigure

    return tuple(
        ComplianceFigure.objects.aggregate(
            Count("pk"), Sum("category_spend"), Sum("supplier_spend"), Sum("savings")
        ).values()
    )


def main_large(municipality: str, month: str) -> None:
    """Both recomputes over an existing database, each rolled back."""
    _large.setup()
    import datetime

    from dateutil.relativedelta import relativedelta

    from agreements.services import compliance_recompute
    from consortium import tenancy
    from members.models import Municipality
    from spend.models import SpendLine

    first = datetime.date.fromisoformat(f"{month}-01")
    last = first + relativedelta(months=1, days=-1)
    with tenancy.acting_as(tenancy.SYSTEM):
        lines = SpendLine.objects.count()
        member = (
            Municipality.objects.select_related("member").get(code=municipality.zfill(3)).member
        )
        month_lines = SpendLine.objects.filter(
            member=member, invoice_date__range=(first, last)
        ).count()
        stored = figures_digest()
        with _large.rolled_back():
            started = time.perf_counter()
            figures = compliance_recompute()
            full = time.perf_counter() - started
            current = figures_digest() == stored
        incremental = []
        for _ in range(5):
            with _large.rolled_back():
                started = time.perf_counter()
                compliance_recompute(member_id=member.pk, start=first, end=last)
                incremental.append(time.perf_counter() - started)
    print(
        f"# stored figures {'the same as' if current else 'DIFFER from'} a full recompute's; "
        f"{member} {month}: {month_lines:,} lines; incremental runs "
        + ", ".join(f"{t * 1000:.0f}" for t in incremental)
        + " ms",
        file=sys.stderr,
    )
    size = f"{lines // 1_000_000}M" if lines >= 1_000_000 else f"{lines // 1000}k"
    print(f"figure: compliance_large_full_recompute_{size}_lines {full:.1f} s")
    print(f"figure: compliance_large_full_recompute_figures {figures} rows")
    print(f"figure: compliance_large_full_recompute_rate {lines / full / 1e6:.2f} Mlines/s")
    print(
        f"figure: compliance_large_incremental_member_month "
        f"{statistics.median(incremental) * 1000:.0f} ms"
    )
    print(f"# {_large.machine()}", file=sys.stderr)


if __name__ == "__main__":
    main()
