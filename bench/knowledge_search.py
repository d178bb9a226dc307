"""Benchmark: Danish full-text search in the knowledge base over 20,000 articles.

Creates its own database (consortium_bench_knowledge), migrates it, writes 20,000 articles of
Danish procurement text (the search vector is filled by the same trigger as in production),
then times the search the search page runs — visibility filter, ranking, the first page of 20
with highlighted snippets, and the count — for a mix of queries, as a member's officer. Drops
the database afterwards.

    .venv/bin/python bench/knowledge_search.py [--articles 20000] [--rounds 5]

With `--large` (bench/_large.py) the same queries run over the articles of the database
DATABASE_URL names, as an officer of the member of `--municipality` (461), acting as that user
does in a request (row-level security included); it only reads.

    nice -n 10 .venv/bin/python bench/knowledge_search.py --large
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import _large

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "consortium_bench_knowledge"

QUERIES = [
    "udbud",  # very common: thousands of hits to rank
    "udbuddet",  # inflected
    "udbudsbetingelserne",
    "markedsdialog leverandører",
    "aftaleanvendelse",
    "kontraktstyring opfølgning",
    "evalueringen af tilbud",
    "klimakrav",
    "rammeaftale -miniudbud",
    "skolemælk",  # rare
]


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


def _vocabulary() -> list[str]:
    from knowledge.demo import DEMOS

    words: list[str] = []
    for demo in DEMOS:
        for text in (demo.title, demo.summary, demo.body):
            words += [w.strip(".,:;()#*-–'\"").lower() for w in text.split()]
    return [w for w in words if len(w) > 1 and not w.isdigit()]


def _articles(n: int, users: dict, rng: random.Random) -> list:
    from knowledge.models import Aim, Article, Kind, Lever, Phase, Status
    from knowledge.rendering import render_markdown

    vocabulary = _vocabulary()
    kinds, phases = list(Kind.values), list(Phase.values)
    aims, levers = list(Aim.values), list(Lever.values)

    def sentence(k: int) -> str:
        words = rng.choices(vocabulary, k=k)
        return " ".join(words).capitalize() + "."

    rows = []
    for i in range(n):
        body = "\n\n".join(
            f"## {sentence(3)}\n\n" + " ".join(sentence(rng.randint(8, 16)) for _ in range(4))
            for _ in range(rng.randint(2, 4))
        )
        author = users["staff"] if i % 10 else rng.choice(users["officers"])
        rows.append(
            Article(
                title=sentence(rng.randint(3, 7))[:-1],
                kind=rng.choice(kinds),
                summary=sentence(rng.randint(12, 24)),
                body=body,
                body_html=render_markdown(body) if i < 50 else "",
                status=Status.PUBLISHED if i % 10 else rng.choice(Status.values),
                organisation_id=author.organisation_id,
                author=author,
                owner=author,
                review_date="2027-06-01",
                phases=rng.sample(phases, rng.randint(1, 2)),
                aims=rng.sample(aims, 1),
                levers=rng.sample(levers, rng.randint(1, 2)),
                view_count=rng.randint(0, 100),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database for inspection")
    parser.add_argument("--municipality", default="461", help="with --large: whose officer")
    _large.add_flag(parser)
    args = parser.parse_args()
    if args.large:
        _large.setup()
        run_large(args.municipality, args.rounds)
        return

    bench_url, admin_url = _database_urls()
    _admin_sql(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin_sql(admin_url, f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    try:
        import django

        django.setup()
        run(args.articles, args.rounds)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin_sql(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")


def run(n_articles: int, rounds: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Organisation, Role, User
    from knowledge.models import Article

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    secretariat = Organisation.objects.create(kind="secretariat", name="Sekretariatet", slug="sek")
    members = [
        Organisation.objects.create(kind="member", name=f"Kommune {i}", slug=f"kommune-{i}")
        for i in range(14)
    ]
    staff = User.objects.create_user(
        "staff@bench.test", organisation=secretariat, role=Role.SECRETARIAT_STAFF
    )
    officers = [
        User.objects.create_user(f"indkob{i}@bench.test", organisation=org, role=Role.OFFICER)
        for i, org in enumerate(members)
    ]
    rng = random.Random(20261122)
    rows = _articles(n_articles, {"staff": staff, "officers": officers}, rng)
    rows[-1].title = "Erfaringer med udbud af skolemælk"
    Article.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE knowledge_article")
    print(f"setup: {n_articles} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    measure(officers[0], rounds, n_articles)


def run_large(municipality: str, rounds: int) -> None:
    """The search over an existing database's articles, as one member's officer."""
    from accounts.access import acting_for
    from accounts.models import Role, User
    from consortium import tenancy
    from knowledge.models import Article
    from members.models import Municipality

    with tenancy.acting_as(tenancy.SYSTEM):
        member = (
            Municipality.objects.select_related("member").get(code=municipality.zfill(3)).member
        )
        user = (
            User.objects.filter(
                role=Role.OFFICER, is_active=True, organisation_id=member.organisation_id
            )
            .order_by("pk")
            .first()
        )
        n_articles = Article.objects.count()
    if user is None:
        raise SystemExit(f"{member} has no active officer.")
    print(f"# as {user.email} ({member}); {n_articles:,} articles", file=sys.stderr)
    with tenancy.acting_as(acting_for(user)):
        measure(user, rounds, n_articles, tag="_large")
    print(f"# {_large.machine()}", file=sys.stderr)


def measure(user: object, rounds: int, n_articles: int, tag: str = "") -> None:
    """Time the search page's query for each of QUERIES, `rounds` times; print the figures."""
    from knowledge.selectors import SearchFilters, article_search_page

    def search(query: str) -> tuple[int, int]:
        page = article_search_page(user=user, filters=SearchFilters(query=query), per_page=20)
        return page.count, len(page.articles)

    for query in QUERIES:  # warm the cache and the plans
        search(query)
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    hits: dict[str, int] = {}
    for _ in range(rounds):
        for query in QUERIES:
            t0 = time.perf_counter()
            hits[query], _shown = search(query)
            timings[query].append((time.perf_counter() - t0) * 1000)
    all_times = [t for values in timings.values() for t in values]
    for query in QUERIES:
        print(
            f"  {query!r:32} {hits[query]:6d}{'+' if hits[query] >= 1000 else ' '} hits  median {statistics.median(timings[query]):6.1f} ms",
            file=sys.stderr,
        )
    print(f"figure: knowledge_search{tag}_articles {n_articles} articles")
    print(f"figure: knowledge_search{tag}_median {statistics.median(all_times):.1f} ms")
    print(f"figure: knowledge_search{tag}_p95 {statistics.quantiles(all_times, n=20)[-1]:.1f} ms")
    print(
        f"figure: knowledge_search{tag}_worst_query_median {max(statistics.median(v) for v in timings.values()):.1f} ms"
    )


if __name__ == "__main__":
    main()
