"""Benchmark: all four member-insight figures for every member over the large data set.

Runs against the database DATABASE_URL / DATABASE_OWNER_URL name, made by
`manage.py seed_demo --scale large` and migrated (`manage.py migrate`). Times, acting for the
consortium as the beat jobs do:

1. volume kept and money left on the table: `insight.services.recompute()`, every member and year;
2. the climate footprint: `climate.services.recompute()`, every member and year;
3. the peer comparison of the latest year: every measure's value per member and its
   distribution, from the stored figures (`reports.figures.peers`).

Then, apart from the sum, what follows a change to one agreement: the volume-kept and
off-contract figures of the members it can move (`insight.services.recompute_for_agreement`),
for the agreement with the median number of bound members
(`figure: insight_after_agreement_change_seconds`).

    DATABASE_URL=postgres://portal_app@127.0.0.1:5432/large \\
    DATABASE_OWNER_URL=postgres://portal_owner@127.0.0.1:5432/large \\
      nice -n 10 .venv/bin/python bench/insight_large.py

Prints `figure: insight_all_members_seconds N s` (the sum) and one figure per part.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")


def main() -> None:
    import django

    django.setup()
    from agreements.models import Agreement
    from climate.services import recompute as climate_recompute
    from consortium import tenancy
    from insight.services import recompute as insight_recompute
    from insight.services import recompute_for_agreement
    from reports import figures
    from reports.figures.peers import peer_values
    from reports.periods import parse_period
    from spend.models import SpendLine

    year = datetime.date.today().year
    with tenancy.acting_as(tenancy.SYSTEM):
        lines = SpendLine.objects.count()
        parts: dict[str, float] = {}
        started = time.perf_counter()
        insight_recompute()
        parts["insight_volume_kept_and_off_contract_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        climate_recompute()
        parts["insight_climate_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        with figures.one_computation():
            peer_values(parse_period(str(year)))
            figures.peer_distribution_table(parse_period(str(year)))
        parts["insight_peers_seconds"] = time.perf_counter() - started
        by_size = sorted(
            (len(a.members.all()), a.pk) for a in Agreement.objects.prefetch_related("members")
        )
        bound, median = by_size[len(by_size) // 2]
        started = time.perf_counter()
        recompute_for_agreement(median)
        after_change = time.perf_counter() - started
    for name, seconds in parts.items():
        print(f"figure: {name} {seconds:.1f} s")
    print(
        f"figure: insight_all_members_seconds {sum(parts.values()):.1f} s ({lines:,} spend lines)"
    )
    print(
        f"figure: insight_after_agreement_change_seconds {after_change:.1f} s"
        f" (agreement {median}, {bound} of the members bound)"
    )


if __name__ == "__main__":
    main()
