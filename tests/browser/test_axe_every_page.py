"""Every page every role may open passes axe-core: no serious or critical violation.

The pages are not a hand-picked sample: they are the access matrix's GET cases (`tests/access/`),
which must cover every URL pattern of the project, so a new page is scanned as soon as it has its
matrix case. For each role the scan opens every case that answers that role with a page (200), and
one 403 and one 404 page (the error pages). Downloads (PDF, XLSX, CSV, iCalendar, JSON) are
skipped by their content type; Django's own admin site is not the portal's design and is left out.

The matrix world, with the demo data added, is built once per module and committed (a live server reads it from another
thread), then the database is emptied at the end as after any live-server test. One browser
context per role; the roles are separate tests so that pytest-xdist can spread them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.access import __path__ as access_path
from tests.access.matrix import FORBIDDEN, NOT_FOUND, OK, SIGNED_IN, Case, all_cases
from tests.access.test_matrix import World
from tests.conftest import build_cast, load_reference_data
from tests.fixtures.browser import AXE

# The marker makes pytest-django create the test database; each test's own transaction is idle
# (the pages are read by the live server's thread, from the committed world).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ERROR_PAGES = (FORBIDDEN, NOT_FOUND)
PASSWORD = "correct-horse-battery"  # the cast's (tests/factories.py)
HTML = "text/html"


@dataclass
class Site:
    world: World
    url: str


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        load_reference_data()
        with transaction.atomic():
            world = World(cast=build_cast())
            for module in sorted(pkgutil.iter_modules(access_path), key=lambda m: m.name):
                if module.name.startswith("cases_"):
                    setup = getattr(
                        importlib.import_module(f"tests.access.{module.name}"), "setup", None
                    )
                    if setup:
                        setup(world)
            # And the demo data, so that lists, plans, charts and dashboards show real content.
            call_command("seed_demo", password=PASSWORD, force=True, verbosity=0)
            # As in the matrix's world (which is rolled back), the jobs the setup enqueues stay
            # unsent: no worker runs here, and a later worker test must not receive them.
            connection.run_on_commit = []
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield Site(world=world, url=server.url)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data()


def pages_for(role: str, world: World) -> list[tuple[str, Case]]:
    """(path, case) of every GET page the role is shown, plus one 403 and one 404 page."""
    pages: dict[str, Case] = {}
    error_pages_seen: set[int] = set()
    for case in all_cases():
        if case.method != "get" or case.htmx or case.key.startswith("admin:"):
            continue
        outcome = case.expect[role]
        if outcome in ERROR_PAGES:
            if outcome in error_pages_seen:
                continue
            error_pages_seen.add(outcome)
        elif outcome != OK:
            continue
        if case.path is None:
            path = reverse(case.key)
        else:
            path = case.path(world) if callable(case.path) else case.path
        pages.setdefault(path, case)
    return list(pages.items())


def scan(page: Any) -> list[dict]:
    # axe-core comes with every document (the context's init script): sent to the browser once,
    # not 550 kB over the wire for each page.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def report(path: str, case: Case, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:5]
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(f"{path} [{case.id}]: {v['id']} ({v['impact']}) {v['help']} — {targets}{more}")
    return lines


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_page_of_the_role_passes_axe(role: str, site: Site, browser: Any) -> None:
    user = site.world.cast.user(role)
    context = browser.new_context(
        base_url=site.url, locale="da-DK", bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto("/accounts/login/")
        page.fill("#id_login", user.email)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
        assert "/accounts/login/" not in page.url, f"{role} could not sign in"

        scanned, problems = 0, []
        for path, case in pages_for(role, site.world):
            try:
                response = page.goto(path, wait_until="load")
            except PlaywrightError as error:  # an attachment: not a page
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or HTML not in (response.headers.get("content-type") or ""):
                continue
            scanned += 1
            problems.extend(report(path, case, scan(page)))
    finally:
        context.close()
    assert scanned > 10, f"only {scanned} pages scanned for {role}"
    assert not problems, (
        f"{len(problems)} serious/critical axe violations as {role} (page [matrix case]: rule — "
        "targets):\n" + "\n".join(problems)
    )
