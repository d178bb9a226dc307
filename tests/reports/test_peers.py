"""Peers, anonymised: the distribution, ranks with ties, the minimum group, and who reads what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from agreements.models import Agreement, ComplianceFigure
from consortium import tenancy
from reports import figures
from reports.figures.peers import Distribution, distribution
from reports.periods import parse_period
from tests.conftest import make_member
from tests.factories import UserFactory

YEAR = parse_period("2026")
D = Decimal


def test_quartiles_are_interpolated_between_the_sorted_values() -> None:
    d = distribution([D(4), D(1), D(3), D(2)])
    assert (d.count, d.lower_quartile, d.median, d.upper_quartile) == (
        4,
        D("1.75"),
        D("2.5"),
        D("3.25"),
    )
    d = distribution([D("0.9"), D("0.5"), D("0.7")])
    assert (d.lower_quartile, d.median, d.upper_quartile) == (D("0.6"), D("0.7"), D("0.8"))


def test_ranks_with_ties_share_the_best_rank_and_the_next_skips() -> None:
    values = [D("0.9"), D("0.8"), D("0.8"), D("0.5")]
    assert [Distribution.rank(v, values, True) for v in values] == [1, 2, 2, 4]
    # Lower is better (off-contract share, CO2e per inhabitant): the order turns round.
    assert [Distribution.rank(v, values, False) for v in values] == [4, 2, 2, 1]


def test_no_distribution_from_fewer_than_the_minimum_group() -> None:
    assert distribution([D(1), D(2)]) is None
    assert distribution([D(1), D(2), D(3)]) is not None
    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=4):
        assert distribution([D(1), D(2), D(3)]) is None


@pytest.fixture
def four(cast):
    """Four members whose compliance in 2026 is 90 %, 80 %, 80 % and 50 %."""
    vejle = make_member("vejle", "Vejle", "630")
    kolding = make_member("kolding", "Kolding", "621")
    agreement = Agreement.objects.create(
        number="2026-601", title="Kontorartikler", start_date=datetime.date(2025, 1, 1),
        base_end_date=datetime.date(2099, 12, 31), end_date=datetime.date(2099, 12, 31),
    )  # fmt: skip
    members = [cast.odense, cast.aarhus, vejle, kolding]
    agreement.members.set(members)
    for member, supplier in zip(members, ["900.00", "800.00", "800.00", "500.00"], strict=True):
        ComplianceFigure.objects.create(
            agreement=agreement, member=member, month=datetime.date(2026, 3, 1),
            category_spend=D("1000.00"), supplier_spend=D(supplier), savings=D("10.00"),
            computed_at=timezone.now(),
        )  # fmt: skip
    return members


def _row(table, slug: str) -> dict:
    return next(r for r in table.rows if r["slug"] == slug)


def test_a_member_sees_its_value_the_distribution_and_its_rank_in_its_own_context(
    cast, four
) -> None:
    aarhus = four[1]
    # In Aarhus's own database context, where no other member's rows can be read directly.
    acting = tenancy.Acting(tenancy.MEMBER, aarhus.organisation_id, aarhus.pk)
    with tenancy.acting_as(acting), figures.one_computation():
        table = figures.peer_position_table(aarhus, YEAR)
    row = _row(table, "compliance")
    assert row["own"] == D("0.8")
    assert (row["lower_quartile"], row["median"], row["upper_quartile"]) == (
        D("0.725"),
        D("0.8"),
        D("0.825"),
    )
    assert row["rank"] == "2 af 4"
    names = {"Odense", "Vejle", "Kolding"}
    assert not any(str(v) in names for r in table.rows for v in r.values())


def test_the_member_page_names_no_other_member_and_the_named_table_has_every_measure(
    cast, four, client
) -> None:
    client.force_login(cast.aarhus_officer)
    page = client.get(reverse("reports:scorecard", args=[four[1].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sammenlignet med de andre medlemmer" in html and "2 af 4" in html
    for other in ("Odense", "Vejle", "Kolding"):
        assert other not in html

    named = figures.peer_named_table(YEAR)
    assert [c.key for c in named.columns] == [
        "member", "compliance", "participation", "volume-kept", "off-contract",
        "co2e-per-inhabitant",
    ]  # fmt: skip
    secretariat = figures.peer_named_table(YEAR)
    assert {r["member"]: r["compliance"] for r in secretariat.rows}["Kolding"] == D("0.5")


def test_the_board_dashboard_shows_the_distribution(cast, four, client) -> None:
    client.force_login(cast.board_member)
    html = client.get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert "Fordeling blandt medlemmerne" in html
    viewer = UserFactory(
        email="laeser@vejle.test", organisation=four[2].organisation, role=Role.VIEWER
    )
    client.force_login(viewer)
    assert client.get(reverse("reports:scorecard", args=[four[1].pk])).status_code == 404


def test_volume_kept_comes_from_the_stored_insight_figures(cast, four) -> None:
    from insight.models import VolumeKeptFigure

    agreement = Agreement.objects.get(number="2026-601")
    # Declared 1.000 kr. each; bought 650, 900, 1.100 and 650: kept 65 %, 90 %, 110 %, 65 %.
    for member, spend in zip(four, ["650.00", "900.00", "1100.00", "650.00"], strict=True):
        VolumeKeptFigure.objects.create(
            agreement=agreement, member=member, year=2026, declared_annual=D("1000.00"),
            days_in_force=365, days_in_year=365, declared=D("1000.00"), spend=D(spend),
            computed_at=timezone.now(),
        )  # fmt: skip
    with figures.one_computation():
        table = figures.peer_position_table(four[0], YEAR)
    row = _row(table, "volume-kept")
    assert row["own"] == D("0.65")
    assert row["median"] == D("0.775")  # (0.65 + 0.90) / 2
    assert row["rank"] == "3 af 4"  # tied with Kolding for the lowest
    named = {r["member"]: r["volume-kept"] for r in figures.peer_named_table(YEAR).rows}
    assert named["Aarhus"] == D("0.9")


def test_the_officers_start_page_shows_where_the_member_stands(cast, four, client) -> None:
    client.force_login(cast.aarhus_officer)
    html = client.get(reverse("start_member")).content.decode()
    assert "Blandt medlemmerne" in html and "2 af 4" in html
    for other in ("Vejle", "Kolding"):
        assert other not in html
