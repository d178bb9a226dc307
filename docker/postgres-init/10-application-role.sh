#!/usr/bin/env bash
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d).
# The image's own user (POSTGRES_USER) owns the tables and runs the migrations; the portal's
# processes connect as portal_app, which owns nothing, is no superuser and cannot bypass
# row-level security (docs/security.md). An existing database: run these lines by hand.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -v password="$POSTGRES_APP_PASSWORD" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE portal_app LOGIN PASSWORD :'password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
SQL
