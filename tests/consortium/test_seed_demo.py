from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organisation, Role, User
from members.models import Member, Municipality, PopulationFigure


def test_seed_demo_is_idempotent_and_complete(db, settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", password="another-demo-password")
    counts = (
        Member.objects.count(),
        Municipality.objects.count(),
        User.objects.count(),
        Organisation.objects.count(),
    )
    call_command("seed_demo", password="another-demo-password")
    assert counts == (
        Member.objects.count(),
        Municipality.objects.count(),
        User.objects.count(),
        Organisation.objects.count(),
    )
    assert counts[0] == 14 and counts[1] == 15

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
        assert user.role == role and user.check_password("another-demo-password")
    assert User.objects.filter(role=Role.OFFICER).count() == 14


def test_holstebro_lemvig_is_one_member_with_two_municipalities(db, settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    member = Member.objects.get(organisation__slug="holstebro-lemvig")
    codes = sorted(member.municipalities.values_list("code", flat=True))
    assert codes == ["661", "665"]
    assert {m.name for m in member.municipalities.all()} == {"Holstebro", "Lemvig"}
    assert len({m.cvr for m in member.municipalities.all()}) == 2
    assert member.population(2026) == 59_000 + 19_500


def test_real_codes_regions_and_marked_estimates(db, settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    odense = Municipality.objects.get(code="461")
    assert odense.name == "Odense" and odense.get_region_display() == "Region Syddanmark"
    assert Municipality.objects.get(code="751").get_region_display() == "Region Midtjylland"
    for municipality in Municipality.objects.all():
        municipality.full_clean()  # CVR and GLN pass their check digits
    assert not PopulationFigure.objects.filter(is_estimate=False).exists()


def test_refuses_with_debug_off(db, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", force=True)
    assert Member.objects.count() == 14
