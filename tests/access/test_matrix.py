"""Every URL, every role: the outcome the access rules promise."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import Cast, build_cast, client_for, flush_deferred_checks, rolled_back

from . import __path__ as package_path
from .matrix import LOGIN, REDIRECT, ROLES, Case, all_cases, url_keys

# URL patterns deliberately left out of the matrix. Each needs a reason.
NOT_CLASSIFIED: dict[str, str] = {}

CASES = all_cases()


@dataclass
class World:
    cast: Cast
    objects: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Build the world once for the module, inside a transaction that is rolled back at the end.

    Each case runs in a savepoint of its own within that transaction (pytest-django's `db`), so a
    case that changes data leaves the world as it found it for the next one.
    """
    with rolled_back(django_db_blocker):
        world = World(cast=build_cast())
        for module in sorted(pkgutil.iter_modules(package_path), key=lambda m: m.name):
            if module.name.startswith("cases_"):
                module_ = importlib.import_module(f"{__package__}.{module.name}")
                setup = getattr(module_, "setup", None)
                if setup:
                    setup(world)
        flush_deferred_checks()
        yield world


def test_every_url_is_classified() -> None:
    covered = {case.key for case in CASES}
    unclassified = sorted(
        key for key, _route in url_keys() if key not in covered and key not in NOT_CLASSIFIED
    )
    assert not unclassified, f"URLs without an access-matrix case: {unclassified}"


def test_cases_name_real_urls() -> None:
    keys = {key for key, _route in url_keys()}
    stale = sorted({case.key for case in CASES} - keys)
    assert not stale, f"Matrix cases for URLs that no longer exist: {stale}"


def _path(case: Case, world: World) -> str:
    if case.path is None:
        return reverse(case.key)
    return case.path(world) if callable(case.path) else case.path


def _outcome(response: Any) -> str | int:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        login_pages = (reverse("account_login"), reverse("admin:login"))
        return LOGIN if location.split("?")[0] in login_pages else REDIRECT
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_access(case: Case, role: str, world: World, db: None) -> None:
    client = client_for(world.cast.user(role))
    path = _path(case, world)
    data = case.data(world) if callable(case.data) else case.data
    headers = {"HX-Request": "true"} if case.htmx else {}
    response = getattr(client, case.method)(path, data, headers=headers)
    outcome = _outcome(response)
    assert outcome == case.expect[role], (
        f"{case.method.upper()} {path} as {role}: expected {case.expect[role]}, got {outcome}"
        + (f" → {response['Location']}" if outcome in (LOGIN, REDIRECT) else "")
    )
    # Whatever the answer, no shared cache or browser history may keep it.
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (
        f"{case.method.upper()} {path} as {role}: Cache-Control {response.get('Cache-Control')!r}"
    )
