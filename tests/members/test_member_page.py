"""The member page: population by the latest year, joint tenders, agreements and the scorecard."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, ComplianceFigure
from tenders.models import Lot, Participation, Tender, TenderStatus, VolumeDeclaration
from tests.conftest import client_for
from tests.factories import PopulationFigureFactory

from .conftest import holstebro_lemvig

NBSP = "\u00a0"


def _page(user, member) -> str:
    return client_for(user).get(reverse("members:detail", args=[member.pk])).content.decode()


# --- population -----------------------------------------------------------------------------------


def test_directory_and_member_page_use_the_latest_complete_year(cast) -> None:
    hl = holstebro_lemvig()  # 2026: Holstebro 59.000 and Lemvig 19.500
    holstebro = hl.municipalities.get(code="661")
    PopulationFigureFactory(
        municipality=holstebro, year=2027, population=60_000
    )  # Lemvig lacks 2027
    PopulationFigureFactory(municipality=cast.odense.municipalities.get(), year=2019,
                            population=200_000)  # fmt: skip

    directory = client_for(cast.viewer).get(reverse("members:directory")).content.decode()
    assert "78.500" in directory and "(2026)" in directory
    assert "200.000" in directory and "(2019)" in directory
    page = _page(cast.viewer, hl)
    assert "Indbyggertal 2026" in page and "78.500" in page
    # The history shows every year, and a year with a figure missing has no total.
    assert "60.000" in page and "19.500" in page
    assert "Indbyggertal over tid" in page


def test_population_history_has_edit_links_for_the_secretariat_only(cast) -> None:
    figure = PopulationFigureFactory(municipality=cast.odense.municipalities.get(), year=2025)
    edit = reverse("members:population_edit", args=[figure.pk])
    assert edit in _page(cast.staff, cast.odense)
    assert edit not in _page(cast.officer, cast.odense)


# --- joint tenders ----------------------------------------------------------------------------------


def _tender(cast, reference: str, title: str) -> Tender:
    return Tender.objects.create(
        reference=reference, title=title, procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PREPARATION,
    )  # fmt: skip


def _tenders(cast) -> None:
    joined = _tender(cast, "2026-001", "Kontorartikler")
    lot = Lot.objects.create(tender=joined, number=1, title="Papir")
    participation = Participation.objects.create(
        tender=joined, member=cast.aarhus, answer=Participation.Answer.PARTICIPATE
    )
    VolumeDeclaration.objects.create(
        participation=participation, lot=lot, annual_volume=Decimal("1234567.00")
    )
    declined = _tender(cast, "2026-002", "Rengøringsmidler")
    Participation.objects.create(
        tender=declined, member=cast.aarhus, answer=Participation.Answer.DECLINE,
        decline_reason="Egen aftale til 2028",
    )  # fmt: skip
    pending = _tender(cast, "2026-003", "Skoleborde")
    Participation.objects.create(tender=pending, member=cast.aarhus)


def test_joint_tenders_show_the_answer_to_everyone_and_the_details_to_the_member(cast) -> None:
    _tenders(cast)
    for user in (cast.viewer, cast.board_member):
        page = _page(user, cast.aarhus)
        assert "Svar på fællesudbud" in page  # not "joined": declines are listed too
        assert "Kontorartikler" in page and "Tilsluttet (bindende)" in page
        assert "Rengøringsmidler" in page and "Fravalgt" in page
        assert "Skoleborde" not in page
        assert "1.234.567" not in page and "Egen aftale til 2028" not in page
        assert "Ikke tilgængelig endnu" not in page and "Endnu ikke tilgængelig" not in page
    for user in (cast.aarhus_officer, cast.staff):
        page = _page(user, cast.aarhus)
        assert f"1.234.567,00{NBSP}kr." in page and "Egen aftale til 2028" in page


# --- agreements ------------------------------------------------------------------------------------


def _agreement(cast) -> Agreement:
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        number="2025-009", title="Kopipapir", start_date=datetime.date(2025, 1, 1),
        base_end_date=datetime.date(2099, 12, 31), end_date=datetime.date(2099, 12, 31),
    )  # fmt: skip
    agreement.members.set([cast.aarhus])
    ComplianceFigure.objects.create(
        agreement=agreement, member=cast.aarhus, month=today.replace(day=1),
        category_spend=Decimal("1000.00"), supplier_spend=Decimal("800.00"),
        savings=Decimal("4321.00"), computed_at=timezone.now(),
    )  # fmt: skip
    return agreement


def test_agreements_show_compliance_and_savings_only_to_those_who_may_see_them(cast) -> None:
    agreement = _agreement(cast)
    for user in (cast.aarhus_officer, cast.staff):
        page = _page(user, cast.aarhus)
        assert agreement.get_absolute_url() in page and "Kopipapir" in page
        assert f"80,0{NBSP}%" in page and f"4.321,00{NBSP}kr." in page
    for user in (cast.viewer, cast.board_member):
        page = _page(user, cast.aarhus)
        assert "Kopipapir" in page
        assert f"80,0{NBSP}%" not in page and "4.321,00" not in page
    assert "Kopipapir" not in _page(cast.staff, cast.odense)  # Odense is not bound


# --- scorecard --------------------------------------------------------------------------------------


def test_scorecard_link_for_the_members_own_users_and_the_secretariat(cast) -> None:
    url = reverse("reports:scorecard", kwargs={"member_pk": cast.odense.pk})
    for user in (cast.officer, cast.viewer, cast.staff, cast.admin):
        assert url in _page(user, cast.odense)
    for user in (cast.aarhus_officer, cast.board_member):
        assert url not in _page(user, cast.odense)
