"""The standard cast every view test can use, and fixtures for real workers and browsers."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.models import Organisation, Role, User
from members.models import Member

from .factories import MemberFactory, MunicipalityFactory, OrganisationFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures.worker", "tests.fixtures.browser"]


@dataclass
class Cast:
    secretariat: Organisation
    board: Organisation
    odense: Member
    aarhus: Member
    admin: User
    staff: User
    officer: User  # procurement officer of Odense
    viewer: User  # member viewer of Odense
    aarhus_officer: User
    board_member: User

    def user(self, role: str) -> User | None:
        """The cast member playing a matrix role ('anonymous' → None)."""
        return {
            "anonymous": None,
            "admin": self.admin,
            "staff": self.staff,
            "officer": self.officer,
            "viewer": self.viewer,
            "board": self.board_member,
        }[role]


def make_member(slug: str, name: str, code: str) -> Member:
    org = OrganisationFactory(slug=slug, name=name, kind=Organisation.Kind.MEMBER)
    member = MemberFactory(organisation=org)
    MunicipalityFactory(member=member, code=code, name=name)
    return member


def build_cast() -> Cast:
    """Create the standard cast in the database."""
    secretariat = OrganisationFactory(
        slug="sekretariat", name="Sekretariatet", kind=Organisation.Kind.SECRETARIAT
    )
    board = OrganisationFactory(slug="bestyrelse", name="Bestyrelsen", kind=Organisation.Kind.BOARD)
    odense = make_member("odense", "Odense", "461")
    aarhus = make_member("aarhus", "Aarhus", "751")
    return Cast(
        secretariat=secretariat,
        board=board,
        odense=odense,
        aarhus=aarhus,
        admin=UserFactory(
            email="admin@12by.test", organisation=secretariat, role=Role.SECRETARIAT_ADMIN
        ),
        staff=UserFactory(
            email="staff@12by.test", organisation=secretariat, role=Role.SECRETARIAT_STAFF
        ),
        officer=UserFactory(
            email="indkob@odense.test", organisation=odense.organisation, role=Role.OFFICER
        ),
        viewer=UserFactory(
            email="laeser@odense.test", organisation=odense.organisation, role=Role.VIEWER
        ),
        aarhus_officer=UserFactory(
            email="indkob@aarhus.test", organisation=aarhus.organisation, role=Role.OFFICER
        ),
        board_member=UserFactory(
            email="bestyrelse@12by.test",
            organisation=board,
            role=Role.BOARD_MEMBER,
            represents=odense.organisation,
        ),
    )


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@contextmanager
def rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """Keep what the block creates for a module's tests, and roll it all back at the end.

    For data that is expensive to build (the demo world, the access matrix's world): build it in
    a module-scoped fixture inside this block; each test, using `db`, then runs in a savepoint of
    its own, so what one test changes the next one never sees. A module may hold only one such
    fixture: a second would nest inside the first.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def flush_deferred_checks() -> None:
    """Check the deferred constraints of what was built so far, once.

    Django's TestCase checks them at the end of every test (SET CONSTRAINTS ALL IMMEDIATE); left
    pending from a large module-scoped build, they would be checked again in every test."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Start every test with an empty cache (rate-limit counters, TOTP codes used)."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    prefix = f"{settings.CACHES['default']['KEY_PREFIX']}:*"
    keys = list(client.scan_iter(match=prefix, count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def default_language() -> None:
    """Start every test in the default language.

    LocaleMiddleware activates the language of each request in the thread and leaves it active,
    so a request by an English-speaking user would otherwise change what later tests read.
    """
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def reference_data(request: pytest.FixtureRequest) -> None:
    """Give tests on a transactional database the reference data the migrations load.

    Tests with a live server or a real worker run outside a transaction, and pytest-django
    empties every table after each of them, taking the CPV list and the EU thresholds along.
    """
    if not {"transactional_db", "live_server", "real_worker"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    load_reference_data()


def load_reference_data() -> None:
    """Load the CPV list, the EU thresholds and the first emission factor version unless they
    are there (after a flush)."""
    from django.apps import apps

    from climate.models import FactorVersion
    from cpv.loading import load_cpv
    from cpv.models import CpvCode
    from tenders.models import Threshold

    if not CpvCode.objects.exists():
        load_cpv(CpvCode)
    if not Threshold.objects.exists():
        importlib.import_module("tenders.migrations.0004_seed_thresholds").seed(apps, None)
        importlib.import_module("tenders.migrations.0009_small_lots_and_shortened_limits").seed(
            apps, None
        )
    if not FactorVersion.objects.exists():
        importlib.import_module("climate.migrations.0002_factor_version_1").load(apps, None)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="session", autouse=True)
def media_root() -> Iterator[None]:
    """Give this test process a media folder of its own and remove it when the run ends."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


# --- Two roles, as in production (row-level security, consortium/tenancy.py) ----------------

_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def _connect_as(credentials: dict[str, Any]) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict.update(credentials)


@pytest.fixture(scope="session")
def _owner_builds_the_databases() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """The test databases are created and migrated by the owner role (DATABASE_OWNER_URL)..."""
    from django.db import connection

    app = {key: connection.settings_dict.get(key) for key in _CREDENTIALS}
    owner = {key: settings.DATABASE_OWNER.get(key) for key in _CREDENTIALS}
    _connect_as(owner)
    yield app, owner


@pytest.fixture(scope="session")
def django_db_setup(
    _owner_builds_the_databases: tuple[dict[str, Any], dict[str, Any]],
    django_db_setup: None,
) -> Iterator[None]:
    """...and the tests run as the application's role (DATABASE_URL), under the policies."""
    app, owner = _owner_builds_the_databases
    _connect_as(app)
    yield
    _connect_as(owner)  # the owner drops them


@pytest.fixture(scope="session", autouse=True)
def tests_act_for_the_consortium() -> Iterator[None]:
    """Test code builds its data as the system would (a management command, a beat task); each
    request made through a test client acts as its own user (ActingContextMiddleware), and the
    row-level security tests choose their contexts themselves."""
    from consortium import tenancy

    with tenancy.acting_as(tenancy.SYSTEM):
        yield
