"""`--large`: run a benchmark against an existing database (the large data set) instead of its own.

By default each script under bench/ creates a small database, generates its data, measures and
drops it. With `--large` it uses the database DATABASE_URL and DATABASE_OWNER_URL name (the
environment first, then .env) as they are: it creates and drops nothing, generates nothing but
what the measurement itself needs, and removes what the measurement added, so that the database
is left as it was (its audit trail included).

    DATABASE_URL=postgres://portal_app@127.0.0.1:5432/scale_large \\
    DATABASE_OWNER_URL=postgres://portal_owner@127.0.0.1:5432/scale_large \\
      nice -n 10 .venv/bin/python bench/pooling.py --large

Tasks the measured code enqueues (the compliance and climate recomputes after an import) go to
an in-process broker and are never run; their job rows are removed with the rest.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAG = "--large"
HELP = (
    "measure on the existing database DATABASE_URL / DATABASE_OWNER_URL name (the large data "
    "set), creating and dropping nothing and leaving it as it was"
)


def requested(argv: list[str] | None = None) -> bool:
    """Whether `--large` was given (for scripts that decide their database at import time)."""
    return FLAG in (sys.argv[1:] if argv is None else argv)


def add_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(FLAG, action="store_true", dest="large", help=HELP)


def _read_env() -> None:
    import environ

    environ.Env.read_env(str(ROOT / ".env"), overwrite=False)


def database_url() -> str:
    _read_env()
    return os.environ["DATABASE_URL"]


def owner_url() -> str:
    """The owner role's connection: row-level security does not apply to it, so it can copy
    into and delete from every table."""
    _read_env()
    return os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"]


def setup() -> None:
    """Set Django up on the existing database and say which one and how loaded the machine is."""
    _read_env()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()
    from django.db import connection

    print(f"# database {connection.settings_dict['NAME']}; {machine()}", file=sys.stderr)


def machine() -> str:
    """The time and load, as `uptime` gives them, for the figures' record."""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{now}, {os.cpu_count()} CPUs, uptime: {uptime.strip()}"


def psql_owner(*args: str) -> str:
    """psql as the owner role on the same database (for `\\copy` and VACUUM)."""
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", owner_url(), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@contextmanager
def rolled_back() -> Iterator[None]:
    """A block whose writes are undone at its end (what it measures is not committed)."""
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def now() -> datetime.datetime:
    """The database's clock, to find afterwards what was written from now on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def remove(rows: Any) -> dict[str, int]:
    """Delete `rows` (a queryset, or model instances of one model) with everything that cascades
    from them, as the owner role, and the audit events recorded for each of those rows (with the
    audit contexts only they used). Call outside a transaction.

    Returns the number of rows deleted per model, events included.
    """
    from django.db import transaction
    from django.db.models import QuerySet
    from django.db.models.deletion import Collector

    from consortium.db.owner import as_owner

    if not isinstance(rows, QuerySet):
        rows = list(rows)
        if not rows:
            return {}
        rows = type(rows[0])._base_manager.filter(pk__in=[row.pk for row in rows])
    # Evaluated on the owner's connection, which row-level security does not limit.
    with as_owner(), transaction.atomic():
        found = list(rows)
        if not found:
            return {}
        collector = Collector(using="default")
        collector.collect(found)
        doomed: dict[Any, set[Any]] = {}
        for model, instances in collector.data.items():
            doomed.setdefault(model, set()).update(o.pk for o in instances)
        for queryset in collector.fast_deletes:
            doomed.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
        _total, counts = collector.delete()
        for model, pks in doomed.items():
            events = forget_events(model, pks)
            if events:
                counts[f"{model._meta.label} events"] = events
    return {label: n for label, n in counts.items() if n}


def forget_events(model: Any, pks: Iterable[Any]) -> int:
    """Delete the audit events of `model`'s rows `pks` (insert, update and the delete events
    their removal just wrote), then the audit contexts no event refers to any more.

    Call on the owner's connection."""
    from django.db import connection

    pks = list(pks)
    event_models = list(getattr(model, "pgh_event_models", {}).values())
    if not pks or not event_models:
        return 0
    deleted, contexts = 0, set()
    with connection.cursor() as cursor:
        for event in {e._meta.db_table for e in event_models}:
            cursor.execute(
                f'DELETE FROM "{event}" WHERE pgh_obj_id = ANY(%s) RETURNING pgh_context_id',  # noqa: S608
                [pks],
            )
            found = cursor.fetchall()
            deleted += len(found)
            contexts.update(c for (c,) in found if c is not None)
        forget_contexts(contexts)
    return deleted


def forget_contexts(contexts: Iterable[Any]) -> int:
    """Delete the audit contexts among `contexts` that no event refers to."""
    import pghistory.models
    from django.apps import apps
    from django.db import connection

    contexts = list(contexts)
    if not contexts:
        return 0
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if issubclass(m, pghistory.models.Event) and not m._meta.proxy and m._meta.managed
        }
    )
    used = " ".join(
        f'AND NOT EXISTS (SELECT 1 FROM "{t}" e WHERE e.pgh_context_id = c.id)'  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM pghistory_context c WHERE c.id = ANY(%s) {used}",  # noqa: S608
            [contexts],
        )
        return cursor.rowcount


def remove_jobs(
    since: datetime.datetime, kinds: Iterable[str], organisation_id: int | None = None
) -> dict[str, int]:
    """Delete the jobs of `kinds` (of one organisation) queued from `since` on: those the
    measured code's hooks queued."""
    from jobs.models import Job

    jobs = Job._base_manager.filter(created_at__gte=since, kind__in=list(kinds))
    if organisation_id is not None:
        jobs = jobs.filter(organisation_id=organisation_id)
    return remove(jobs)


def report(*removed: dict[str, int]) -> None:
    """Say on stderr what was removed afterwards."""
    counts: dict[str, int] = {}
    for part in removed:
        for label, n in part.items():
            counts[label] = counts.get(label, 0) + n
    if counts:
        listed = ", ".join(f"{n:,} {label}" for label, n in sorted(counts.items()))
        print(f"# removed what the measurement added: {listed}", file=sys.stderr)
