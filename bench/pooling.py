"""Benchmark: pooling one tender for 14 members and 20 lots over 5 million spend lines.

Creates its own database (`<dev database>_bench_pooling`), migrates it, generates 14 members,
2,000 suppliers and 5,000,000 spend lines over three years with SQL generate_series (a tenth of
them in the tender's CPV categories), a tender with 20 lots and every member's declarations, then
times `tenders.services.tender_pool_volumes` (all of it: reads, 14 historical-spend queries through
`spend.selectors.members_spend_in_categories`, the computation and the stored result) against one
hand-written SQL aggregate of the same spend rows. Drops the database afterwards.

Run: .venv/bin/python bench/pooling.py   (BENCH_LINES=500000 for a quick run)

With `--large` (bench/_large.py) it pools a tender of the database DATABASE_URL names instead:
`--tender REF`, or else the one with the most volume declarations among those in volume
collection or preparation (where pooling is allowed) and with spend in its categories, or with
`--new-tender` (or when that one has no such spend) one made as above (20 lots, every member
declaring) over the CPV group with the most spend. The pooling runs it
stores, and a tender it made, are deleted afterwards with their audit events.

    nice -n 10 .venv/bin/python bench/pooling.py --large
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
MEMBERS = 14
LOTS = 20
REPEATS = 5
# How the rows lie on disk. "import": as imports leave them — each member's lines together, in
# date order (an ERP export per member). "interleaved": every member and date spread over every
# page, the worst case for per-member queries.
LAYOUT = os.environ.get("BENCH_LAYOUT", "import")
LAYOUTS = {
    "import": {
        "member": "g * %(n_members)s / %(lines)s",
        "day": "(g %% (%(lines)s / %(n_members)s)) * 1095 / (%(lines)s / %(n_members)s)",
    },
    "interleaved": {"member": "g %% %(n_members)s", "day": "(g * 31) %% 1095"},
}


def _env_database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url and (ROOT / ".env").exists():
        for row in (ROOT / ".env").read_text().splitlines():
            if row.startswith("DATABASE_URL="):
                url = row.split("=", 1)[1].strip()
    return url or "postgres://postgres@127.0.0.1:5432/consortium"


BASE_URL = urlparse(_env_database_url())
BENCH_DB = BASE_URL.path.lstrip("/") + "_bench_pooling"
ADMIN_URL = urlunparse(BASE_URL._replace(path="/postgres"))
if not _large.requested():
    os.environ["DATABASE_URL"] = urlunparse(BASE_URL._replace(path="/" + BENCH_DB))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import psycopg  # noqa: E402


def admin(sql: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def setup_data() -> object:
    import datetime

    from django.db import connection

    from cpv.models import CpvCode
    from members.models import Member

    main = CpvCode.objects.get(code="30190000-7")  # various office equipment and supplies
    extra = CpvCode.objects.get(code="30197000-6")
    inside = [c.code for c in CpvCode.objects.filter(code8__startswith="3019")[:20]]
    outside = [
        c.code for c in CpvCode.objects.filter(level__gte=3).exclude(code8__startswith="3019")[:180]
    ]
    # One line in ten falls in the tender's categories.
    codes = [
        inside[i % len(inside)] if i % 10 == 0 else outside[i % len(outside)] for i in range(200)
    ]
    today = datetime.date.today()
    start = today - datetime.timedelta(days=3 * 365)
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO accounts_organisation (kind, name, slug, created_at, updated_at)
            VALUES ('secretariat', 'Sekretariatet', 'sekretariat', now(), now());
            INSERT INTO accounts_organisation (kind, name, slug, created_at, updated_at)
            SELECT 'member', 'Kommune ' || g, 'kommune-' || g, now(), now()
            FROM generate_series(1, %s) g;
            INSERT INTO members_member (organisation_id, status, created_at, updated_at)
            SELECT id, 'member', now(), now() FROM accounts_organisation WHERE kind = 'member';
            INSERT INTO spend_supplier (cvr, name, created_at, updated_at)
            SELECT lpad((10000000 + g)::text, 8, '0'), 'Leverandør ' || g, now(), now()
            FROM generate_series(1, 2000) g;
            """,
            [MEMBERS],
        )
        member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
        supplier_min = cur.execute("SELECT min(id) FROM spend_supplier").fetchone()[0]
        t0 = time.perf_counter()
        # Bulk load: skip the per-row foreign-key triggers (the generated keys are valid) and
        # build the indexes once afterwards instead of row by row.
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'spend_spendline' "
            "AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE '%%UNIQUE%%'"
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(
            """
            INSERT INTO spend_spendline
                (member_id, supplier_id, amount, invoice_date, account, category_code, cpv_id,
                 invoice_number, fingerprint)
            SELECT (%(members)s::bigint[])[(1 + {member})::int],
                   %(supplier_min)s + (g * 7919) %% 2000,
                   round(((g * 104729) %% 100000) / 10.0 + 1, 2),
                   %(start)s::date + ({day})::int,
                   '', '',
                   (%(codes)s::text[])[(1 + (g / 7) %% 200)::int],
                   '', g::text
            FROM generate_series(0::bigint, %(lines)s - 1) g
            """.format(**LAYOUTS[LAYOUT]),  # noqa: S608 — fragments are constants above
            {
                "members": member_ids, "n_members": len(member_ids),
                "supplier_min": supplier_min, "start": start, "codes": codes, "lines": LINES,
            },
        )  # fmt: skip
        for _name, definition in indexes:
            cur.execute(definition)
        cur.execute("SET session_replication_role = DEFAULT")
        print(
            f"# generated {LINES:,} spend lines ({LAYOUT} layout) in {time.perf_counter() - t0:.1f} s"
        )
        cur.execute("ANALYZE spend_spendline")

    tender = declared_tender(
        "2026-900", "Kontorartikler (benchmark)", main, member_ids, additional=[extra]
    )
    return tender


def hand_sql(tender: object) -> tuple[float, dict[int, object]]:
    """The same spend figures as one aggregate written by hand."""
    from django.db import connection
    from django.utils import timezone

    from tenders.selectors import spend_period

    start, end = spend_period(timezone.localdate())
    prefixes = [c.prefix + "%" for c in [tender.main_cpv, *tender.additional_cpv.all()]]
    # The participants: pooling reads only their spend.
    members = list(
        tender.participations.filter(answer="participate").values_list("member_id", flat=True)
    )
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        rows = cur.execute(
            """
            SELECT s.member_id, sum(s.amount)
            FROM spend_spendline s JOIN cpv_cpvcode c ON c.code = s.cpv_id
            WHERE s.member_id = ANY(%s) AND s.invoice_date >= %s AND s.invoice_date < %s
              AND c.code8 LIKE ANY(%s)
            GROUP BY s.member_id
            """,
            [members, start, end, prefixes],
        ).fetchall()
    return time.perf_counter() - t0, dict(rows)


def _explain(tender: object) -> None:
    """Print the plans of the hand-written aggregate and of one member's selector query."""
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from spend.models import SpendLine
    from spend.selectors import cpv_filter
    from tenders.selectors import spend_period

    start, end = spend_period(timezone.localdate())
    codes = [tender.main_cpv, *tender.additional_cpv.all()]
    member = tender.participations.first().member_id
    qs = (
        SpendLine.objects.filter(member_id=member, invoice_date__gte=start, invoice_date__lt=end)
        .filter(cpv_filter(codes))
        .values("member_id")
        .annotate(total=Sum("amount"))
    )
    print("# selector query plan:\n" + qs.explain(analyze=True))
    prefixes = [c.prefix + "%" for c in codes]
    # The participants: pooling reads only their spend.
    members = list(
        tender.participations.filter(answer="participate").values_list("member_id", flat=True)
    )
    with connection.cursor() as cur:
        plan = cur.execute(
            "EXPLAIN ANALYZE SELECT s.member_id, sum(s.amount) FROM spend_spendline s "
            "JOIN cpv_cpvcode c ON c.code = s.cpv_id WHERE s.member_id = ANY(%s) "
            "AND s.invoice_date >= %s AND s.invoice_date < %s AND c.code8 LIKE ANY(%s) "
            "GROUP BY s.member_id",
            [members, start, end, prefixes],
        ).fetchall()
    print("# hand-written plan:\n" + "\n".join(r[0] for r in plan))


def measure(tender: object, tag: str = "") -> None:
    """Time pooling `tender` against the hand-written aggregate; print the figures."""
    from tenders.services import tender_pool_volumes

    # Warm both paths once (caches, plans), then take the median of several runs each.
    hand_sql(tender)
    tender_pool_volumes(tender=tender, user=None)
    portal, sql = [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        run = tender_pool_volumes(tender=tender, user=None)
        portal.append(time.perf_counter() - t0)
        seconds, by_hand = hand_sql(tender)
        sql.append(seconds)
    # Same figures both ways, or the comparison means nothing.
    pooled = {m["id"]: m["historical_spend"] for m in run.result["members"]}
    assert {k: str(v) for k, v in by_hand.items()} == {
        k: v for k, v in pooled.items() if v is not None
    }, "pooling and the hand-written aggregate disagree"
    if os.environ.get("BENCH_EXPLAIN"):
        _explain(tender)
    p, s = statistics.median(portal), statistics.median(sql)
    print(f"figure: pooling{tag}_seconds {p:.3f} s")
    print(f"figure: pooling{tag}_hand_sql_seconds {s:.3f} s")
    print(f"figure: pooling{tag}_ratio_to_sql {p / s:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser()
    _large.add_flag(parser)
    parser.add_argument("--tender", help="with --large: the reference of the tender to pool")
    parser.add_argument(
        "--new-tender", action="store_true", help="with --large: make one, as without --large"
    )
    args = parser.parse_args()
    if args.large:
        main_large(args.tender, new=args.new_tender)
        return
    admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
    admin(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        tender = setup_data()
        measure(tender)
    finally:
        from django.db import connections

        connections.close_all()
        admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


def main_large(reference: str | None, *, new: bool) -> None:
    """Pool one tender of an existing database, which is left as it was."""
    _large.setup()
    from django.db.models import Count, Q

    from consortium import tenancy
    from tenders.models import PoolingRun, Tender
    from tenders.services.pooling import POOLABLE

    removed = []
    with tenancy.acting_as(tenancy.SYSTEM):
        since = _large.now()
        made = None
        if reference:
            tender = Tender.objects.get(reference=reference)
        elif new:
            tender = made = new_tender()
        else:
            tender = (
                Tender.objects.filter(status__in=POOLABLE)
                .annotate(
                    declarations=Count("participations__declarations", distinct=True),
                    participants=Count(
                        "participations",
                        filter=Q(participations__answer="participate"),
                        distinct=True,
                    ),
                )
                .filter(declarations__gt=0)
                .order_by("-declarations", "-participants", "reference")
                .first()
            )
            if tender is None:
                tender = made = new_tender()
        try:
            if not describe(tender) and made is None and not reference:
                print("# no spend in its categories: pooling a tender made here", file=sys.stderr)
                tender = made = new_tender()
                describe(tender)
            measure(tender, tag="_large")
        finally:
            removed.append(
                _large.remove(PoolingRun.objects.filter(tender=tender, created_at__gte=since))
            )
            if made is not None:
                removed.append(_large.remove([made]))
    _large.report(*removed)
    print(f"# {_large.machine()}", file=sys.stderr)


def describe(tender: object) -> int:
    """Say which tender is pooled and over how many spend lines; return their number."""
    from django.db import connection
    from django.utils import timezone

    from tenders.models import VolumeDeclaration
    from tenders.selectors import spend_period

    start, end = spend_period(timezone.localdate())
    prefixes = [c.prefix + "%" for c in [tender.main_cpv, *tender.additional_cpv.all()]]
    members = list(
        tender.participations.filter(answer="participate").values_list("member_id", flat=True)
    )
    with connection.cursor() as cur:
        lines = cur.execute(
            """
            SELECT count(*) FROM spend_spendline s JOIN cpv_cpvcode c ON c.code = s.cpv_id
            WHERE s.member_id = ANY(%s) AND s.invoice_date >= %s AND s.invoice_date < %s
              AND c.code8 LIKE ANY(%s)
            """,
            [members, start, end, prefixes],
        ).fetchone()[0]
    declarations = VolumeDeclaration.objects.filter(participation__tender=tender).count()
    print(
        f"# tender {tender.reference} ({tender.get_status_display()}, CPV "
        f"{', '.join(p[:-1] for p in prefixes)}): {tender.lots.count()} lots, "
        f"{tender.participations.count()} answers of which {len(members)} participate, "
        f"{declarations} declarations; {lines:,} spend lines of theirs in the categories "
        f"from {start} to {end}",
        file=sys.stderr,
    )
    return lines


def new_tender() -> object:
    """A tender as `setup_data` makes, for every member, over the level-3 CPV group with the most
    spend lines in the last 12 months."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from cpv.models import CpvCode
    from members.models import Member

    today = timezone.localdate()
    with connection.cursor() as cur:
        group = cur.execute(
            """
            SELECT g.code FROM spend_spendline s
            JOIN cpv_cpvcode c ON c.code = s.cpv_id
            JOIN cpv_cpvcode g ON g.level = 3 AND g.code8 = left(c.code8, 4) || '0000'
            WHERE s.invoice_date >= %s
            GROUP BY g.code ORDER BY count(*) DESC LIMIT 1
            """,
            [today - datetime.timedelta(days=365)],
        ).fetchone()[0]
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    return declared_tender(
        "BENCH-POOL",
        "Puljet benchmark (slettes igen)",
        CpvCode.objects.get(code=group),
        member_ids,
    )


def declared_tender(
    reference: str, title: str, main_cpv: object, member_ids: list[int], additional=()
) -> object:
    """A tender in volume collection with LOTS lots, every member taking part and declaring a
    volume for each lot."""
    from decimal import Decimal

    from accounts.models import Organisation
    from tenders.models import Lot, Participation, Tender, TenderStatus, VolumeDeclaration

    tender = Tender.objects.create(
        reference=reference, title=title, procedure_type="open",
        status=TenderStatus.VOLUME_COLLECTION, main_cpv=main_cpv,
        lead_organisation=Organisation.objects.get(kind="secretariat"),
        term_years=2, option_years=[1, 1],
    )  # fmt: skip
    tender.additional_cpv.set(additional)
    lots = Lot.objects.bulk_create(
        [Lot(tender=tender, number=n, title=f"Delaftale {n}") for n in range(1, LOTS + 1)]
    )
    participations = Participation.objects.bulk_create(
        [Participation(tender=tender, member_id=m, answer="participate") for m in member_ids]
    )
    VolumeDeclaration.objects.bulk_create(
        [
            VolumeDeclaration(participation=p, lot=lot, annual_volume=Decimal(1000 * (i + j + 1)))
            for i, p in enumerate(participations)
            for j, lot in enumerate(lots)
        ]
    )
    return tender


if __name__ == "__main__":
    main()
