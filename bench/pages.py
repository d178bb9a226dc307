"""Benchmark: each page of the load test's mix, one request at a time, on an existing database.

For the first user of each role in `bench/_mix.py`, requests every page of the role's mix through
Django's test client (in this process, the settings as they are, no web server): the first
request (`cold`: what a user waits for after the data changed) and the median of three more
(`warm`: dashboards kept between requests, consortium/figure_store.py), with the number of SQL
queries. Shows which pages stand in the way of the load test's goal before running it.

    DATABASE_URL=postgres://portal_app@127.0.0.1:5432/scale_large \\
        nice -n 10 .venv/bin/python bench/pages.py [--role staff] [--page reports]

Prints `figure: page_cold_<role>_<page> N ms` and `figure: page_warm_<role>_<page> N ms`.
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

from bench._mix import MIX, ROLES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", action="append", help="only these roles")
    parser.add_argument("--page", action="append", help="only these pages")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.access import member_of
    from accounts.models import User
    from agreements.models import Agreement
    from api.models import ApiToken
    from api.services import api_token_create
    from consortium import tenancy
    from knowledge.models import Article, Status
    from tenders.models import Tender

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with tenancy.acting_as(tenancy.SYSTEM):
        a_member = member_of(User.objects.get(email=ROLES["officer"][0]))
        fill = {
            "tender": Tender.objects.order_by("-pk").values_list("reference", flat=True)[0],
            "agreement": Agreement.objects.order_by("-pk").values_list("pk", flat=True)[0],
            "article": Article.objects.filter(status=Status.PUBLISHED)
            .order_by("-pk")
            .values_list("pk", flat=True)[0],
        }
    for role, pages in MIX.items():
        if args.role and role not in args.role:
            continue
        with tenancy.acting_as(tenancy.SYSTEM):
            user = User.objects.get(email=ROLES[role][0])
            member = member_of(user)
            token = None
            if role != "admin":
                _t, token = api_token_create(
                    user=user, name="pages bench", scope=ApiToken.Scope.READ, valid_days=1
                )
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        for name, (path, _weight) in pages.items():
            if args.page and name not in args.page:
                continue
            url = path.format(member=(member or a_member).pk, **fill)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if url.startswith("/api/") else {}
            times = []
            for _ in range(1 + args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, secure=True, **headers)
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    print(f"# {role} {name} {url}: HTTP {response.status_code}")
                    break
            print(f"figure: page_cold_{role}_{name} {times[0]:.0f} ms ({len(queries)} queries)")
            if len(times) > 1:
                print(f"figure: page_warm_{role}_{name} {statistics.median(times[1:]):.0f} ms")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
