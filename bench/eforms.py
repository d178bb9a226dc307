"""Benchmark: validate one contract notice of a 20-lot joint tender (XSD + Schematron).

Builds the notice from synthetic data (`notices.sample`), then times: generating the compiled
rules of phase eforms-16 (cached on disk; 0 when already there), loading them into Saxon (once
per process), and validating the notice (median of `--runs`). The figure is the validation of one
notice with the rules loaded, as the portal's worker does it after its first notice.

    .venv/bin/python bench/eforms.py [--lots 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    import django

    django.setup()
    from django.conf import settings

    from notices.builder import build_notice
    from notices.sample import sample_data
    from notices.schematron import compiled_phase_path
    from notices.validation import MAIN_SCHEMATRON, SDK_VERSION, rules, validate

    started = time.perf_counter()
    compiled_phase_path(MAIN_SCHEMATRON, "eforms-16", cache_dir=Path(settings.NOTICES_CACHE_DIR),
                        sdk_version=SDK_VERSION)  # fmt: skip
    compile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rules("16")
    load_seconds = time.perf_counter() - started
    xml = build_notice(sample_data("16", lots=args.lots))
    times, report = [], None
    for _ in range(args.runs):
        started = time.perf_counter()
        report = validate(xml)
        times.append(time.perf_counter() - started)
    assert report is not None
    print(f"notice: {args.lots} lots, {len(xml):,} bytes; errors {len(report.errors)}, "
          f"XSD errors {len(report.xsd_errors)}")  # fmt: skip
    print(f"compiled rules generated (or found cached) in {compile_seconds:.2f} s")
    print(f"compiled rules loaded into Saxon in {load_seconds:.2f} s (once per process)")
    print(f"figure: eforms_validate_20_lots_seconds {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
