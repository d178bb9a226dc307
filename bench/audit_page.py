"""Benchmark: the latest-changes page of the audit trail over 200,000+ events.

Creates its own database (consortium_bench_audit), migrates it, loads the demo data
(`seed_demo`), then multiplies the demo's audit events in SQL until the trail holds at least
`--events` rows across the event tables (each table grows in proportion to what the demo wrote
to it; the copies keep their objects and contexts, so diffs, user names and foreign keys resolve
as they do for real events, and they are dated over the past year, newest last). Then it requests
`/audit/` through the Django test client as the secretariat: the first page, and pages further
back by following "Older changes". Prints p50 and p95 and the EXPLAIN ANALYZE of the page's
heaviest query. Drops the database afterwards.

    .venv/bin/python bench/audit_page.py [--events 200000] [--requests 20] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "consortium_bench_audit"


def _database_urls() -> tuple[str, str]:
    import environ

    env = environ.Env()
    environ.Env.read_env(str(ROOT / ".env"), overwrite=False)
    base = urlsplit(env("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/consortium"))
    bench = urlunsplit(base._replace(path=f"/{BENCH_DB}"))
    admin = urlunsplit(base._replace(path="/postgres"))
    return bench, admin


def _admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(sql)


def _multiply_events(target: int) -> int:
    """Copy the demo's events until the trail holds `target` rows; returns the total."""
    from django.db import connection

    from audit.indexes import event_tables

    tables = event_tables(connection)
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        total = sum(counts.values())
        factor = max(1, -(-target // max(total, 1)) - 1)  # copies per existing event
        for table in tables:
            if not counts[table]:
                continue
            cursor.execute(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() AND is_generated = 'NEVER' "
                "AND column_name NOT IN ('pgh_id', 'pgh_created_at')",
                [table],
            )
            kept = sorted(row[0] for row in cursor.fetchall())
            column_list = ", ".join(f'"{c}"' for c in kept)
            select_list = ", ".join(f'e."{c}"' for c in kept)
            # Dated over the past year in the order of their new ids, newest last.
            cursor.execute(
                f'INSERT INTO "{table}" (pgh_created_at, {column_list}) '  # noqa: S608
                f"SELECT now() - interval '365 days' * (1 - (row_number() OVER "
                f"(ORDER BY g, e.pgh_id))::float / (%s * %s)), {select_list} "
                f'FROM "{table}" e CROSS JOIN generate_series(1, %s) g',
                [factor, counts[table], factor],
            )
        cursor.execute("ANALYZE")
        return total * (factor + 1)


def _explain_heaviest(queries: list[dict]) -> str:
    from django.db import connection

    heaviest = max(queries, key=lambda q: float(q["time"]))
    sql = re.sub(
        r"^SELECT set_config\('pghistory\.context_id'.*?, true\); ", "", heaviest["sql"], flags=re.S
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"{float(heaviest['time']) * 1000:.1f} ms: {sql[:300]}…\n{plan}"


def run(n_events: int, n_requests: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    total = _multiply_events(n_events)
    print(f"setup: {time.perf_counter() - started:.0f} s, {total:,} audit events")

    client = Client()
    client.force_login(User.objects.get(email="sekretariat@12by.test"))
    url = reverse("audit:recent")
    client.get(url)  # warm-up: templates, translations, connection
    timings, query_counts, captured = [], [], []
    next_url = url
    for i in range(n_requests):
        # Alternate the first page with pages ever further back.
        target = url if i % 2 == 0 else next_url
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(target)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        query_counts.append(len(queries))
        captured += queries.captured_queries
        older = re.search(r'href="(\?before=[^"]+)"', response.content.decode())
        if older and (target != url or next_url == url):
            next_url = url + older.group(1)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"queries per page: {min(query_counts)}–{max(query_counts)}")
    print("heaviest query:", _explain_heaviest(captured))
    print(f"figure: audit_page_p50 {p50:.1f} ms")
    print(f"figure: audit_page_p95 {p95:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database for inspection")
    args = parser.parse_args()

    bench_url, admin_url = _database_urls()
    _admin_sql(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin_sql(admin_url, f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    try:
        import django

        django.setup()
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        run(args.events, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_sql(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
