"""Benchmark: the insight figures (volume kept, off-contract spend) for all members over a large
generated data set, and one member's page from the stored figures.

Builds a scratch database as the owner role (migrations and row-level security policies as in
production; `<dev database>_bench_insight`), then generates with SQL INSERT … SELECT
generate_series: 98 members, 5,000 suppliers, one joint tender with 30 lots and every member's
volume declaration on each, 30 framework agreements over level-3 CPV groups (three suppliers
each, every member bound, 1.1.2024–31.12.2026) and `--lines` spend lines (10 million by default)
over 2024–2026, four in five with a CPV code (of the agreements' groups or outside them). The
stored compliance figures are computed first (not timed: they are the compliance recompute's);
then `insight.services.recompute()` for every member and year is timed. Finally one officer's
pages (`/insight/` and `/insight/money-left/`) are requested through the Django test client
`--requests` times each, and the median is printed. Runs niced; drops the database unless --keep.

    nice -n 10 .venv/bin/python bench/insight.py [--lines 10000000] [--requests 30] [--keep]

Prints `figure: insight_all_members_seconds N s` and `figure: insight_member_page_ms N ms`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

MEMBERS = 98
SUPPLIERS = 5000
AGREEMENTS = 30


def generate(lines: int) -> None:
    from django.db import connection

    from agreements.models import Agreement, AgreementSupplier
    from cpv.models import CpvCode
    from members.models import Member
    from spend.models import Supplier
    from tenders.models import Lot, Tender, TenderStatus

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
            FROM generate_series(1, %(suppliers)s) g;
            """,
            {"members": MEMBERS, "suppliers": SUPPLIERS},
        )
    members = list(Member.objects.order_by("pk"))
    supplier_ids = list(Supplier.objects.order_by("pk").values_list("pk", flat=True))
    from accounts.models import Organisation

    secretariat = Organisation.objects.create(
        kind=Organisation.Kind.SECRETARIAT, name="Sekretariatet", slug="sekretariat"
    )
    tender = Tender.objects.create(
        reference="2023-001", title="Bench", status=TenderStatus.CONCLUDED, term_years=4,
        lead_organisation=secretariat,
    )  # fmt: skip
    groups = list(CpvCode.objects.filter(level=3).order_by("code")[:AGREEMENTS])
    for n, group in enumerate(groups):
        lot = Lot.objects.create(tender=tender, number=n + 1, title=f"Delaftale {n + 1}")
        agreement = Agreement.objects.create(
            number=f"B-{n:02d}", title=f"Aftale {n}", tender=tender, lot=lot,
            start_date=datetime.date(2024, 1, 1), base_end_date=datetime.date(2026, 12, 31),
            end_date=datetime.date(2026, 12, 31), agreement_price_level=Decimal("92"),
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
    codes += list(CpvCode.objects.filter(level=4).values_list("code", flat=True)[:400])  # outside
    member_ids = [m.pk for m in members]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO tenders_participation (tender_id, member_id, answer, version, created_at,
                                               updated_at, decline_reason, reopen_reason,
                                               decline_category)
            SELECT %(tender)s, m, 'participate', 1, now(), now(), '', '', ''
            FROM unnest(%(members)s::bigint[]) m;
            INSERT INTO tenders_volumedeclaration (participation_id, lot_id, annual_volume,
                                                   created_at, updated_at)
            SELECT p.id, l.id, 20000 + (p.member_id * 7 + l.number * 13) %% 50 * 1000, now(), now()
            FROM tenders_participation p JOIN tenders_lot l ON l.tender_id = p.tender_id;
            """,
            {"tender": tender.pk, "members": member_ids},
        )
        cur.execute(
            """
            INSERT INTO spend_spendline
                (member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                 invoice_number, fingerprint)
            SELECT (%(members)s::bigint[])[1 + (g %% %(nmembers)s)::int],
                   (%(suppliers)s::bigint[])[1 + floor(%(nsuppliers)s
                        * power((g * 7919 %% 10007) / 10007.0, 3))::int],
                   round((50 + (g * 104729 %% 100000) / 10.0)::numeric, 2),
                   DATE '2024-01-01' + (g %% 1096)::int,
                   '4000', '',
                   CASE WHEN g %% 5 = 0 THEN NULL
                        ELSE (%(codes)s::text[])[1 + (g * 31 %% %(ncodes)s)::int] END,
                   'B' || g, md5(g::text)
            FROM generate_series(1::bigint, %(lines)s::bigint) g
            """,
            {"members": member_ids, "nmembers": len(member_ids), "suppliers": supplier_ids,
             "nsuppliers": len(supplier_ids), "codes": codes, "ncodes": len(codes),
             "lines": lines},
        )  # fmt: skip
        cur.execute("ANALYZE")


def page_times(requests: int) -> tuple[float, list[str]]:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from members.models import Member

    member = Member.objects.select_related("organisation").order_by("pk").first()
    user = User.objects.filter(email="bench@kommune.test").first() or User.objects.create_user(
        email="bench@kommune.test", password=None, organisation=member.organisation,
        role=Role.OFFICER,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    urls = [reverse("insight:overview"), reverse("insight:money_left")]
    times = []
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm up
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    return statistics.median(times) * 1000, urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database as it is")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")
    from django.db import connection

    from consortium import tenancy
    from consortium.db.owner import as_owner

    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_bench_insight"
    with as_owner():
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
        )
    try:
        from agreements.services import compliance_recompute
        from insight.services import recompute

        with tenancy.acting_as(tenancy.SYSTEM):
            from spend.models import SpendLine

            if args.reuse and SpendLine.objects.exists():
                args.lines = SpendLine.objects.count()
            else:
                started = time.perf_counter()
                generate(args.lines)
                generated = time.perf_counter() - started
                print(f"generated {args.lines:,} spend lines in {generated:.0f} s", file=sys.stderr)
                started = time.perf_counter()
                compliance_recompute()
                seconds = time.perf_counter() - started
                print(f"compliance figures in {seconds:.1f} s", file=sys.stderr)
            started = time.perf_counter()
            written = recompute(today=datetime.date(2026, 12, 31))
            seconds = time.perf_counter() - started
            print(f"insight figures written: {written} in {seconds:.1f} s", file=sys.stderr)
        page_ms, urls = page_times(args.requests)
    finally:
        connection.close()
        if not (args.keep or args.reuse):
            with as_owner():
                connection.creation.destroy_test_db(original, verbosity=0)
    print(
        f"figure: insight_all_members_seconds {seconds:.1f} s "
        f"({args.lines:,} spend lines, {MEMBERS} members, {AGREEMENTS} agreements)"
    )
    print(f"figure: insight_member_page_ms {page_ms:.0f} ms (median of {urls})")


if __name__ == "__main__":
    main()
