"""Create the configured PostgreSQL database if the server does not have it yet."""

from __future__ import annotations

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql


class Command(BaseCommand):
    # System checks inspect the database (generated columns), which may not exist yet.
    requires_system_checks: list[str] = []
    help = "Create the database named in DATABASE_URL when it does not exist."

    def handle(self, *args: object, **options: object) -> None:
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
            "connect_timeout": 10,
        }
        try:
            with psycopg.connect(**params, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                    self.stdout.write(f"Created database {db['NAME']}")
        except psycopg.OperationalError as exc:
            raise CommandError(
                f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is not reachable: {exc}"
            ) from exc
