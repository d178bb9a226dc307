"""The access matrix: every URL of the project, classified for anonymous visitors and every role.

Each `cases_*.py` module in this package contributes a `CASES` list; `test_matrix.py` checks that
every URL pattern the project has is covered by a case or by the commented `NOT_CLASSIFIED`
allow-list, and that each case answers as expected for every role. Add cases for new URLs here —
a URL nobody classified makes the suite fail.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "admin", "staff", "officer", "viewer", "board")
SIGNED_IN = ROLES[1:]
SECRETARIAT = ("admin", "staff")
MEMBER = ("officer", "viewer")

LOGIN = "login"  # redirect to a sign-in page (the portal's or the admin's)
REDIRECT = "redirect"  # any other redirect
OK, FORBIDDEN, NOT_FOUND, GONE, METHOD_NOT_ALLOWED = 200, 403, 404, 410, 405

Outcome = int | str


@dataclass
class Case:
    key: str  # URL name ("jobs:detail") or, for unnamed patterns, the route
    expect: dict[str, Outcome]
    path: Callable[[Any], str] | str | None = None  # built from the cast; default: reverse(key)
    method: str = "get"
    data: Callable[[Any], dict] | dict = field(default_factory=dict)
    label: str = ""
    htmx: bool = False

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"{self.key}: no expectation for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.key}{'[' + self.label + ']' if self.label else ''}"


def expect(default: Outcome | None = None, **roles: Outcome) -> dict[str, Outcome]:
    """Expectations per role; `default` fills the roles not named."""
    result = {role: default for role in ROLES if default is not None}
    for role, outcome in roles.items():
        result[role] = outcome
    return result


def only(
    roles: tuple[str, ...] | list[str], outcome: Outcome = OK, others: Outcome = FORBIDDEN
) -> dict[str, Outcome]:
    """`outcome` for the listed roles, login for anonymous, `others` for the remaining roles."""
    result = {role: (outcome if role in roles else others) for role in SIGNED_IN}
    result["anonymous"] = LOGIN
    return result


def url_keys() -> Iterator[tuple[str, str]]:
    """(key, route) of every URL pattern in the project."""

    def walk(patterns: list, prefix: str, namespace: str | None) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = ":".join(x for x in (namespace, pattern.namespace) if x) or None
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    yield ":".join(x for x in (namespace, pattern.name) if x), route
                else:
                    yield route, route

    yield from walk(get_resolver().url_patterns, "", None)


def all_cases() -> list[Case]:
    from . import __path__ as package_path

    cases: list[Case] = []
    for module in sorted(pkgutil.iter_modules(package_path), key=lambda m: m.name):
        if module.name.startswith("cases_"):
            cases.extend(importlib.import_module(f"{__package__}.{module.name}").CASES)
    return cases


def sample_path(route: str) -> str:
    """A concrete path for a route, with sample values for its parameters (used for admin)."""
    path = re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: {"app_label": "accounts"}.get(m.group(1), "1"), route
    )
    path = re.sub(r"\^?\(\?P<app_label>[^)]*\)", "accounts", path)
    path = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", path)
    return "/" + path.replace("^", "").replace("$", "")
