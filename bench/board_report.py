"""Benchmark: render the yearly board report pack from seed_demo data.

Prints the time to build the pack's HTML (every figure computed), the time WeasyPrint needs for that
HTML alone, and the ratio of the whole rendering to WeasyPrint alone (goal ≤ 1.3×, HTML < 1 s).
Runs against its own database, created, migrated and seeded here and dropped afterwards.

    .venv/bin/python bench/board_report.py [--period 2026] [--keep]

With `--large` (bench/_large.py) the pack is built from the database DATABASE_URL names, acting
for the consortium as the secretariat's rendering job does; it only reads.

    nice -n 10 .venv/bin/python bench/board_report.py --large [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import time
from pathlib import Path

import _large

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "consortium_bench_reports"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2026")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    _large.add_flag(parser)
    args = parser.parse_args()
    if args.large:
        _large.setup()
        from consortium import tenancy

        with tenancy.acting_as(tenancy.SYSTEM):
            timings = measure(args.period, args.runs)
        report(args.period, *timings, tag="_large")
        print(f"# {_large.machine()}", file=sys.stderr)
        return

    import environ

    environ.Env.read_env(str(ROOT / ".env"), overwrite=False)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/consortium")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    os.environ["DEBUG"] = "true"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())

    timings = measure(args.period, args.runs)

    connections.close_all()
    if not args.keep:
        from django.db import connection

        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    report(args.period, *timings)


def measure(period_key: str, runs: int) -> tuple[int, float, float, float]:
    """Pages, then the fastest HTML build, WeasyPrint alone and whole rendering of `runs`."""
    from pypdf import PdfReader

    from consortium.pdf import html_to_pdf
    from reports.packs import build_pack_html
    from reports.periods import parse_period

    period = parse_period(period_key)
    build_pack_html(period, version=1)  # warm caches, templates and fonts
    html_to_pdf(build_pack_html(period, version=1).html)

    html_times, pdf_times, total_times = [], [], []
    pages = 0
    for _ in range(runs):
        gc.collect()  # each timing starts without the previous rendering's garbage
        started = time.perf_counter()
        built = build_pack_html(period, version=1)
        pdf_started = time.perf_counter()
        pdf = html_to_pdf(built.html)
        finished = time.perf_counter()
        html_times.append(pdf_started - started)
        total_times.append(finished - started)
        # WeasyPrint alone on the same, already built HTML.
        gc.collect()
        started = time.perf_counter()
        html_to_pdf(built.html)
        pdf_times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # The fastest run of each: the least disturbed by other work on the machine.
    return pages, min(html_times), min(pdf_times), min(total_times)


def report(
    period: str, pages: int, html_s: float, pdf_s: float, total_s: float, tag: str = ""
) -> None:
    print(f"pack {period}: {pages} pages")
    print(f"figure: board_report{tag}_html_build {html_s:.3f} s")
    print(f"figure: board_report{tag}_weasyprint_only {pdf_s:.3f} s")
    print(f"figure: board_report{tag}_total {total_s:.3f} s")
    print(f"figure: board_report{tag}_ratio_to_weasyprint {total_s / pdf_s:.2f} x")


if __name__ == "__main__":
    main()
