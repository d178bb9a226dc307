"""Create the configured PostgreSQL database if the server does not have it yet — and, given a
superuser's connection (`--admin-url`), the two roles row-level security needs first:

* the owner role (DATABASE_OWNER_URL): owns the database and every table, runs `migrate`;
* the application role (DATABASE_URL): owns nothing, is no superuser, may not bypass row-level
  security, create databases or roles.
"""

from __future__ import annotations

from typing import Any

import environ
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

# Everything in the public schema not owned by the owner role is handed over (a database made
# before there were two roles).
HAND_OVER = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT format('ALTER %s %I.%I OWNER TO %I',
                  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                 WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                  n.nspname, c.relname, {owner}) AS statement
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
      AND pg_get_userbyid(c.relowner) <> {owner}
  LOOP EXECUTE r.statement; END LOOP;
  FOR r IN
    SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, {owner}) AS statement
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> {owner}
  LOOP EXECUTE r.statement; END LOOP;
END $$
"""


def _params(db: dict[str, Any], dbname: str) -> dict[str, Any]:
    return {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": dbname,
        "connect_timeout": 10,
    }


class Command(BaseCommand):
    # System checks inspect the database (generated columns), which may not exist yet.
    requires_system_checks: list[str] = []
    help = "Create the database (and with --admin-url the owner and application roles)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--admin-url",
            help="A superuser's connection (postgres://postgres@host:5432/postgres) that creates "
            "the roles of DATABASE_OWNER_URL and DATABASE_URL when they are missing.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        owner = settings.DATABASE_OWNER
        app = settings.DATABASES["default"]
        name = app["NAME"]
        try:
            if options.get("admin_url"):
                admin = environ.Env.db_url_config(options["admin_url"])
                self._roles_and_database(admin, owner["USER"], app["USER"], name)
            else:
                with psycopg.connect(**_params(owner, "postgres"), autocommit=True) as conn:
                    self._create_database(conn, name, None)
        except psycopg.OperationalError as exc:
            raise CommandError(
                f"PostgreSQL at {app.get('HOST')}:{app.get('PORT')} is not reachable: {exc}"
            ) from exc

    def _create_database(self, conn: psycopg.Connection, name: str, owner: str | None) -> None:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if owner:
            statement += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
        conn.execute(statement)
        self.stdout.write(f"Created database {name}")

    def _roles_and_database(self, admin: dict[str, Any], owner: str, app: str, name: str) -> None:
        if owner == app:
            raise CommandError("DATABASE_OWNER_URL and DATABASE_URL must name two roles.")
        with psycopg.connect(
            **_params(admin, admin["NAME"] or "postgres"), autocommit=True
        ) as conn:
            for role, options in (
                (owner, "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS"),
                (app, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION"),
            ):
                found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
                verb = "ALTER" if found else "CREATE"
                conn.execute(sql.SQL(f"{verb} ROLE {{}} {options}").format(sql.Identifier(role)))
                if not found:
                    self.stdout.write(f"Created role {role}")
            self._create_database(conn, name, owner)
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
        with psycopg.connect(**_params(admin, name), autocommit=True) as conn:
            conn.execute(
                sql.SQL(HAND_OVER).format(owner=sql.Literal(owner))  # type: ignore[arg-type]
            )
