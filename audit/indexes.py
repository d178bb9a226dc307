"""The indexes the audit trail is read by, on every event table.

pghistory creates each event table with an index on `pgh_obj_id` only. The latest-changes page
takes each table's newest events (`ORDER BY pgh_created_at DESC, pgh_id DESC LIMIT n`), and every
event's diff needs the previous event of its object (`pgh_obj_id = x AND pgh_id < y ORDER BY
pgh_id DESC LIMIT 1`); without these two indexes both scan and sort the whole table. They are
created by migration `audit.0001_event_indexes` and, for an event table added later, after
every `migrate` (the `post_migrate` signal), so no audited model is ever without them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

INDEXES = {"time": ("pgh_created_at", "pgh_id"), "object": ("pgh_obj_id", "pgh_id")}


def index_name(table: str, kind: str) -> str:
    name = f"{table}_pgh_{kind}"
    if len(name) > 63:  # PostgreSQL's limit for identifiers
        digest = hashlib.sha256(table.encode()).hexdigest()[:8]
        name = f"{table[:40]}_{digest}_pgh_{kind}"
    return name


def event_tables(connection: BaseDatabaseWrapper) -> dict[str, set[str]]:
    """Every table with pghistory's event columns, with its columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, array_agg(column_name::text)
            FROM information_schema.columns
            WHERE table_schema = current_schema()
            GROUP BY table_name
            HAVING bool_or(column_name = 'pgh_created_at') AND bool_or(column_name = 'pgh_id')
            """
        )
        return {table: set(columns) for table, columns in cursor.fetchall()}


def ensure_indexes(connection: BaseDatabaseWrapper) -> list[str]:
    """Create the missing indexes (idempotent); returns the names created."""
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    created = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        existing = {row[0] for row in cursor.fetchall()}
        for table, columns in sorted(event_tables(connection).items()):
            for kind, index_columns in INDEXES.items():
                name = index_name(table, kind)
                if name in existing or not set(index_columns) <= columns:
                    continue
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                    f"({', '.join(quote(c) for c in index_columns)})"
                )
                created.append(name)
    return created


def drop_indexes(connection: BaseDatabaseWrapper) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in event_tables(connection):
            for kind in INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(index_name(table, kind))}")


def after_migrate(using: str = "default", **_kwargs: Any) -> None:
    from django.db import connections

    ensure_indexes(connections[using])
