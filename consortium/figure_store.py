"""Figures kept between requests until the data under them changes.

A consortium-wide dashboard or overview is computed from every member's stored figures (seconds
on the national data set); between two changes of that data every request would compute the
same again. A function decorated with `@stored()` keeps what it returned in the cache under a
key made of:

* the function and its arguments (model instances by id, dataclasses such as a report period by
  their fields, dates by their ISO form);
* the language (figures carry their labels) and who is acting as far as the database can tell
  (consortium/tenancy.py: the consortium scope sees every row, any other scope its own);
* the **data version**: the transactions that changed the figures' data, as this reader sees
  them. Every table but a few the figures never read carries a statement trigger
  (`install_triggers`, after every `migrate`) that records its transaction once in
  `FigureChange`; rows are only added, so a later snapshot sees a superset, and the count with
  the newest id and time names the set. A transaction commits its record with its data, so no
  reader meets new data under an old version;
* the day (Danish time), and what else of the clock the function reads, as an SQL expression
  given to `stored(clock=…)` (the reports: the latest participation deadline passed);
* the **code version**: a digest of the project's code, templates and translations
  (`code_version`), so a new release never reads what the previous one kept — a value of
  another shape, or a table rendered with an old template.

A transaction that has itself changed such data (its own record is among them) neither reads nor
writes the store: its figures include what may still be rolled back. Entries expire
`FIGURES_STORED_SECONDS` after they were last read, so what pages and the beat job read stays and
what an older data version named goes; `FIGURES_STORED=false` turns the store off.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, router
from django.utils import timezone, translation

from . import tenancy
from .models import FigureChange

logger = logging.getLogger(__name__)

# Tables the figures never read, written constantly (sessions, job progress, the audit context,
# MFA, sign-in and API token bookkeeping): a change there changes no figure.
UNTRACKED_TABLES = frozenset(
    {
        "django_session",
        "django_migrations",
        "django_admin_log",
        "jobs_job",
        "pghistory_context",
        "mfa_authenticator",
        "socialaccount_socialtoken",
        "account_emailconfirmation",
        "api_apitoken",  # its last use is written at calls
        "api_apitokenevent",
        "consortium_figurechange",
    }
)
# Columns written as a side effect of reading, which no figure shows: an update of only these is
# no change.
UNTRACKED_COLUMNS = {
    "accounts_user": frozenset({"last_login"}),
    "knowledge_article": frozenset({"view_count"}),  # counted at every reading
}

VERSION_SQL = """
    SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),
           count(*), max(id), max(at),
           coalesce(bool_or(txid = txid_current_if_assigned()), false),
           {clock}
    FROM consortium_figurechange
"""


def install_triggers(connection: Any) -> int:
    """Put the change trigger on every table of the schema but the untracked ones (after every
    `migrate`, as the owner; a new table gets it then). Returns how many tables carry it.

    Not on the partitions of a partitioned table: rows are written through the parent, whose
    trigger fires for them, and statement triggers on a partition would not fire for those."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
            "AND NOT c.relispartition ORDER BY 1"
        )
        every = [name for (name,) in cursor.fetchall()]
        tables = [name for name in every if name not in UNTRACKED_TABLES]
        for table in set(every) & UNTRACKED_TABLES:  # untracked since the trigger was put on
            cursor.execute(
                f"DROP TRIGGER IF EXISTS figures_changed ON {connection.ops.quote_name(table)}"
            )
        for table in tables:
            update = "UPDATE"
            if table in UNTRACKED_COLUMNS:
                columns = [
                    c.name
                    for c in connection.introspection.get_table_description(cursor, table)
                    if c.name not in UNTRACKED_COLUMNS[table]
                ]
                update = "UPDATE OF " + ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER figures_changed "
                f"AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON "
                f"{connection.ops.quote_name(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION figures_changed()"
            )
    return len(tables)


def data_version(clock: str = "NULL") -> str | None:
    """The version of the figures' data this transaction sees (with `clock`, an SQL expression
    that may use `%(now)s`), or None when it has changed that data itself."""
    alias = router.db_for_read(FigureChange)
    with connections[alias].cursor() as cursor:
        cursor.execute(VERSION_SQL.format(clock=clock), {"now": timezone.now()})
        database, count, newest, newest_at, own_change, clock_value = cursor.fetchone()
    if own_change:
        return None
    return json.dumps(
        [
            alias,
            database,
            count,
            newest,
            newest_at.isoformat() if newest_at else None,
            _argument(clock_value),
            timezone.localdate().isoformat(),
        ]
    )


def _argument(value: Any) -> Any:
    """A stable text for an argument, or raise TypeError (then the call is not stored)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.date):  # and datetimes
        return value.isoformat()
    if isinstance(value, models.Model) and value.pk is not None:
        return f"{value._meta.label}:{value.pk}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [_argument(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return [type(value).__qualname__, *fields]
    raise TypeError(f"not a stored argument: {type(value).__name__}")


def _acting() -> list[Any]:
    acting = tenancy.current()
    if acting.scope == tenancy.CONSORTIUM:
        return [acting.scope]  # every row, whoever acts for the consortium
    return [acting.scope, acting.organisation_id, acting.member_id]


# Who computes a figure kept with `stored(across_members=True)`: every member's rows, and no
# organisation's own (the same for every caller, so one value serves them all).
ACROSS_EVERY_MEMBER = tenancy.Acting(scope=tenancy.ACROSS_MEMBERS)


def stored[F: Callable[..., Any]](
    *, clock: str = "NULL", across_members: bool = False
) -> Callable[[F], F]:
    """Keep what the decorated function returns between requests until its data changes (see
    the module); `clock` is what else of the clock it reads, as an SQL expression.

    `across_members`: the function computes from every member's rows (the peers' distribution)
    and shows each caller only what it may see of the result. It then always runs acting
    across every member and for no organisation, whoever calls, and one kept value serves
    every caller."""

    def compute(fn: F, args: tuple[Any, ...]) -> Any:
        if not across_members:
            return fn(*args)
        with tenancy.acting_as(ACROSS_EVERY_MEMBER):
            return fn(*args)

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any) -> Any:
            if not settings.FIGURES_STORED:
                return compute(fn, args)
            try:
                arguments = [_argument(a) for a in args]
            except TypeError:
                return compute(fn, args)
            version = data_version(clock)
            if version is None:
                return compute(fn, args)
            name = json.dumps(
                [
                    fn.__module__,
                    fn.__qualname__,
                    arguments,
                    translation.get_language(),
                    [tenancy.ACROSS_MEMBERS] if across_members else _acting(),
                    version,
                    code_version(),
                ]
            )
            key = "figures:" + hashlib.sha256(name.encode()).hexdigest()
            found = cache.get(key)
            if found is not None:
                # Kept while in use: the expiry only clears what nobody reads any more (older
                # data versions), never a figure pages and the beat job still read.
                cache.touch(key, settings.FIGURES_STORED_SECONDS)
                return found
            value = compute(fn, args)
            try:
                cache.set(key, value, settings.FIGURES_STORED_SECONDS)
            except Exception:  # a value that cannot be pickled, or the cache is down
                logger.exception("Figures of %s not stored", fn.__qualname__)
            return value

        return wrapper  # type: ignore[return-value]

    return decorate


@functools.cache
def code_version() -> str:
    """A digest of what a release changes in the figures: the Python code of the project's own
    apps, its templates and its compiled translations (read once per process)."""
    root = Path(settings.BASE_DIR).resolve()
    places = [
        path
        for path in (Path(config.path).resolve() for config in apps.get_app_configs())
        if path.is_relative_to(root) and "site-packages" not in path.parts  # not a local venv
    ]
    places += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    places += [Path(d) for d in settings.LOCALE_PATHS]
    digest = hashlib.sha256()
    for place in sorted(set(places)):
        for path in sorted(place.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".mo"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def forget_old_changes(days: int = 1) -> int:
    """Keep the record small: rows older than `days` go, all but the newest (the version it
    names changes once, so the next request computes its figures again)."""
    newest = FigureChange.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _counts = FigureChange.objects.filter(id__lt=newest, at__lt=cutoff).delete()
    return deleted
