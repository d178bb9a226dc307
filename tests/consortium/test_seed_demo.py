"""The demo data of `seed_demo`: complete, real where it can be, marked where it is made up, and
idempotent. Seeded once for the module; each test runs in a savepoint of its own."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from accounts.models import Organisation, Role, User
from knowledge.models import Article, ArticleVersion, Status
from members.models import (
    Commitment,
    Contact,
    Fee,
    FeeModel,
    Member,
    Municipality,
    PopulationFigure,
)
from tests.conftest import flush_deferred_checks, rolled_back

PASSWORD = "another-demo-password"


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Member, Municipality, User, Organisation, Commitment, Contact, Fee, FeeModel,
            Article, ArticleVersion,
        )
    }  # fmt: skip


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with rolled_back(django_db_blocker):
        # force: the test settings run with DEBUG off, as production does.
        call_command("seed_demo", password=PASSWORD, force=True)
        flush_deferred_checks()
        yield _counts()


@pytest.fixture
def demo(seeded: dict[str, int], db: None) -> dict[str, int]:
    return seeded


def test_seed_demo_is_idempotent(demo) -> None:
    call_command("seed_demo", password=PASSWORD, force=True)
    assert _counts() == demo


def test_demo_users_and_roles(demo) -> None:
    assert demo["Member"] == 14 and demo["Municipality"] == 15
    expected = {
        "admin@12by.test": Role.SECRETARIAT_ADMIN,
        "sekretariat@12by.test": Role.SECRETARIAT_STAFF,
        "laeser@odense.test": Role.VIEWER,
        "bestyrelse@12by.test": Role.BOARD_MEMBER,
        "indkob@odense.test": Role.OFFICER,
        "indkob@aarhus.test": Role.OFFICER,
        "indkob@soenderborg.test": Role.OFFICER,
        "indkob@holstebro-lemvig.test": Role.OFFICER,
        "indkob@ikast-brande.test": Role.OFFICER,
    }
    for email, role in expected.items():
        user = User.objects.get(email=email)
        assert user.role == role and user.check_password(PASSWORD)
    assert User.objects.filter(role=Role.OFFICER).count() == 14


def test_holstebro_lemvig_is_one_member_with_two_municipalities(demo) -> None:
    member = Member.objects.get(organisation__slug="holstebro-lemvig")
    codes = sorted(member.municipalities.values_list("code", flat=True))
    assert codes == ["661", "665"]
    assert {m.name for m in member.municipalities.all()} == {"Holstebro", "Lemvig"}
    assert len({m.cvr for m in member.municipalities.all()}) == 2
    assert member.population(2026) == 59_000 + 19_500


def test_real_codes_regions_and_marked_estimates(demo) -> None:
    odense = Municipality.objects.get(code="461")
    assert odense.name == "Odense" and odense.get_region_display() == "Region Syddanmark"
    assert Municipality.objects.get(code="751").get_region_display() == "Region Midtjylland"
    for municipality in Municipality.objects.all():
        municipality.full_clean()  # CVR and GLN pass their check digits
    assert not PopulationFigure.objects.filter(is_estimate=False).exists()


def test_refuses_with_debug_off(demo, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    # With --force it runs (the module's data was seeded that way).
    assert Member.objects.count() == 14


def test_demo_has_commitments_contacts_and_a_2026_fee_model(demo) -> None:
    assert Commitment.objects.filter(start_year=2026, end_year=2029).count() == 14
    assert Commitment.objects.count() == 28  # the 2022–2025 period is kept as history
    assert Contact.objects.count() == 14 * 3
    fee_model = FeeModel.objects.get(year=2026)
    fees = Fee.objects.filter(fee_model=fee_model)
    assert fees.count() == Member.objects.active().count() == 14
    assert sum(f.amount for f in fees) == fee_model.budget == Decimal("9850000.00")
    assert fees.filter(at_minimum=True).exists()


def test_demo_articles_are_many_and_varied(demo) -> None:
    assert Article.objects.count() >= 40
    assert Article.objects.values("kind").distinct().count() == 6
    assert Article.objects.annotate(n=Count("versions")).filter(n__gt=1).count() >= 4
    assert Article.objects.stale().count() >= 5
    assert Article.objects.filter(status=Status.IN_REVIEW).exists()
    phases = {p for a in Article.objects.all() for p in a.phases}
    levers = {lv for a in Article.objects.all() for lv in a.levers}
    assert len(phases) == 5 and len(levers) == 7
