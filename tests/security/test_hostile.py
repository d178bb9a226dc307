"""The hostile corpus: every case refused, in Danish, with not one row written.

Set HOSTILE_SUMMARY=<path> to have the run write a JSON summary (case, status, rows written);
bench/hostile_inputs.py does.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tests.conftest import flush_deferred_checks, rolled_back

from .cases import CASES, REDIRECT, Hostile
from .world import World, build_world

# Tables a refused request may legitimately write:
EXCLUDED = {
    # force_login and every request of a signed-in user stamp the session (the idle timeout's
    # last activity); a session row is the client's, not the portal's data.
    "django_session",
}
# Tables whose rows a refused request may update but never add or remove: signing in stamps
# accounts_user.last_login, and a token's authentication stamps api_apitoken.last_used_at before
# the endpoint refuses. Their row counts are still checked.
STAMPED = {"accounts_user", "api_apitoken"}
# Library English that must never reach the user (Django, zipfile, expat, openpyxl, ninja).
ENGLISH = re.compile(
    r"\b(the|is|not|file|unable|could|error|found|expected|invalid|forbidden|required|token)\b",
    re.IGNORECASE,
)
SUMMARY: list[dict[str, Any]] = []


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with rolled_back(django_db_blocker):
        built = build_world()
        flush_deferred_checks()
        yield built
    path = os.environ.get("HOSTILE_SUMMARY")
    if path and SUMMARY:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(SUMMARY, handle, ensure_ascii=False, indent=1)


def _tables() -> list[str]:
    # Some models read views over other tables (pghistory's events): only real tables count.
    models = apps.get_models(include_auto_created=True)
    real = set(connection.introspection.table_names(include_views=False))
    return sorted(({m._meta.db_table for m in models} & real) - EXCLUDED)


def row_counts() -> dict[str, int]:
    """Rows in every model's table, in one query."""
    tables = _tables()
    # Table names come from the models and the catalogue, quoted; nothing from a request.
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*) FROM {connection.ops.quote_name(t)}"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


def tuple_writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table (PostgreSQL's
    own count: it sees writes a later delete would hide from the row counts)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: n for name, n in cursor.fetchall() if name not in EXCLUDED | STAMPED}


def media_files() -> set[str]:
    root = str(settings.MEDIA_ROOT)
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


def multipart(fields: dict[str, Any], name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (the test client would strip it)."""
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _client(case: Hostile, world: World) -> tuple[Client, dict[str, str]]:
    headers: dict[str, str] = {}
    if case.token:
        headers["Authorization"] = "Bearer " + world.tokens.get(case.token, "12by_" + "x" * 40)
        headers["Accept-Language"] = "da"
        return Client(), headers
    client = Client(enforce_csrf_checks=bool(case.csrf))
    user = world.cast.user(case.who) if case.who != "anonymous" else None
    if user is not None:
        client.force_login(user)
    if case.api:
        headers["Accept-Language"] = "da"
    return client, headers


def send(case: Hostile, world: World, client: Client, headers: dict[str, str]) -> Any:
    path = case.path(world) if callable(case.path) else case.path
    data = case.data(world) if callable(case.data) else dict(case.data)
    extra: dict[str, Any] = {}
    if case.csrf in ("origin", "referer"):
        # A real token from the portal's own page, sent from another site over HTTPS.
        client.get(reverse("knowledge:home"), secure=True)
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        headers["X-CSRFToken"] = token
        data["csrfmiddlewaretoken"] = token
        if case.csrf == "origin":
            headers["Origin"] = "https://evil.example"
        else:
            headers["Referer"] = "https://evil.example/side"
        extra["secure"] = True
    if case.upload:
        name, content = case.upload
        body, content_type = multipart(data, name, content() if callable(content) else content)
        return client.generic(
            case.method.upper(), path, body, content_type, headers=headers, **extra
        )
    if case.json:
        return getattr(client, case.method)(
            path, json.dumps(data), content_type="application/json", headers=headers, **extra
        )
    return getattr(client, case.method)(path, data, headers=headers, **extra)


def refusal_text(case: Hostile, response: Any) -> str:
    if case.api:
        body = response.json()
        assert set(body) >= {"detail", "code"}, body
        if case.code:
            assert body["code"] == case.code, body
        return body["detail"]
    if response.status_code == REDIRECT:
        return " ".join(str(m) for m in get_messages(response.wsgi_request))
    text = response.content.decode()
    errors = response.context and response.context.get("form") and response.context["form"].errors
    return " ".join(" ".join(e) for e in errors.values()) if errors else text


def test_corpus_is_large_and_named_once() -> None:
    assert len({case.id for case in CASES}) == len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_request_is_refused(case: Hostile, world: World, db: None) -> None:
    client, headers = _client(case, world)  # signed in before the snapshot
    files = media_files()
    counts, writes = row_counts(), tuple_writes()
    with override_settings(**case.settings):
        response = send(case, world, client, headers)
    after_counts, after_writes = row_counts(), tuple_writes()
    changed = {t: after_counts[t] - counts[t] for t in counts if after_counts[t] != counts[t]}
    written = {t: n - writes.get(t, 0) for t, n in after_writes.items() if n != writes.get(t, 0)}
    SUMMARY.append(
        {"case": case.id, "status": response.status_code, "rows_written": sum(changed.values()),
         "tuples_written": sum(written.values())}
    )  # fmt: skip
    assert response.status_code == case.status, (
        f"{case.id}: {response.status_code} {response.content[:300]!r}"
    )
    if case.status == REDIRECT and "redirect/" in case.id:
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
        assert not location.startswith(("//", "/\\", "\\")), location
    else:
        text = refusal_text(case, response)
        assert case.says in text, f"{case.id}: {case.says!r} not in {text[:500]!r}"
        if case.api or case.status in (400, REDIRECT):
            assert not ENGLISH.search(text), f"{case.id}: English in {text!r}"
    assert not changed, f"{case.id}: rows written {changed}"
    assert not written, f"{case.id}: rows inserted, updated or deleted {written}"
    assert media_files() == files, f"{case.id}: files stored {media_files() - files}"
