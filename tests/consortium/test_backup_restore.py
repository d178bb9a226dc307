"""The documented backup and restore (bin/backup, bin/restore) give back every row."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from tests.conftest import build_cast

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def url(name: str) -> str:
    """As the owner role, as bin/backup and bin/restore run in production (the application's
    role sees no tenant row outside an acting context)."""
    db = settings.DATABASE_OWNER
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def row_counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "select tablename from pg_tables where schemaname = 'public' order by 1"
            )
        ]
        count = sql.SQL("select count(*) from {}")
        return {t: conn.execute(count.format(sql.Identifier(t))).fetchone()[0] for t in tables}


def run(script: str, *args: str, database: str, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_OWNER_URL": url(database), **extra}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(ROOT / "bin" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


def test_backup_then_restore_into_a_fresh_database(tmp_path, fresh_database) -> None:
    build_cast()  # committed rows in many tables: organisations, users, members, …
    source = connection.settings_dict["NAME"]
    before = row_counts(url(source))
    assert sum(before.values()) > 50

    backup = run("backup", database=source, BACKUP_DIR=str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.exists() and dump.parent == tmp_path and not list(tmp_path.glob("*.partial"))

    restored = run("restore", str(dump), database=fresh_database)
    assert restored.returncode == 0, restored.stderr
    assert row_counts(url(fresh_database)) == before

    # A second restore into the now filled database is refused, and changes nothing.
    again = run("restore", str(dump), database=fresh_database)
    assert again.returncode == 2 and "new, empty database" in again.stderr
    assert row_counts(url(fresh_database)) == before
