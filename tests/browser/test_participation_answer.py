"""The answer page as a person sees it: a refused answer comes back with Danish numbers and
says why at the top and at the field, saved answers say whose they are, and after the deadline
the secretariat can reopen an answer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tenders.models import LineItem, Lot, Participation, Tender, TenderStatus
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tender(cast, *, deadline_in: timedelta) -> tuple[Tender, Lot, Lot]:
    tender = Tender.objects.create(
        reference="2026-021", title="Kontorartikler", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.VOLUME_COLLECTION,
        volume_deadline=timezone.now() + deadline_in, term_years=2, option_years=[1, 1],
    )  # fmt: skip
    lot1 = Lot.objects.create(tender=tender, number=1, title="Kopipapir")
    lot2 = Lot.objects.create(tender=tender, number=2, title="Kuglepenne")
    LineItem.objects.create(lot=lot1, number=1, description="Kopipapir A4, 80 g", unit="æske à 100",
                            quantity=Decimal("4500"))  # fmt: skip
    LineItem.objects.create(lot=lot2, number=1, description="Kuglepen, blå", unit="stk.")
    for member in (cast.odense, cast.aarhus):
        Participation.objects.create(tender=tender, member=member)
    return tender, lot1, lot2


def _no_serious_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_refused_answer_comes_back_danish_formatted_and_says_why(cast, page) -> None:
    tender, lot1, lot2 = _tender(cast, deadline_in=timedelta(days=10))
    sign_in(page, cast.officer.email)
    page.goto(f"/tenders/{tender.reference}/answers/odense/")
    assert page.get_by_text("4.500 æske à 100").is_visible()  # the line's quantity in its unit
    page.get_by_label("Vi tilslutter os (bindende)").check()
    page.locator(f"#id_volume_{lot1.pk}").fill("850000")
    page.locator(f"#id_quantity_{lot1.pk}").fill("4500")
    page.get_by_role("button", name="Gem svaret").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Svaret blev ikke gemt" in alert.inner_text()
    assert "for mindst én delaftale" in alert.inner_text()
    assert page.locator(f"#id_volume_{lot1.pk}").input_value() == "850.000,00"
    assert page.locator(f"#id_quantity_{lot1.pk}").input_value() == "4.500"
    lot2_error = page.locator(f"#id_volume_{lot2.pk}_error")
    assert "marker at kommunen ikke køber på denne delaftale" in lot2_error.inner_text()
    screenshot(page, "participation-refused")
    _no_serious_violations(page)

    page.get_by_label("Kommunen køber ikke på delaftale 2").check()
    page.get_by_role("button", name="Gem svaret").click()
    page.get_by_text("Jeres svar er gemt.").wait_for()
    assert page.get_by_text("Svaret for").count() == 0
    # Reopened, the saved answer is shown the Danish way with the lot left out ticked.
    assert page.locator(f"#id_quantity_{lot1.pk}").input_value() == "4.500"
    assert page.get_by_label("Kommunen køber ikke på delaftale 2").is_checked()
    answer = Participation.objects.get(tender=tender, member=cast.odense)
    declaration = answer.declarations.get()
    assert (declaration.annual_volume, declaration.quantity) == (850_000, 4_500)
    _no_serious_violations(page)


def test_the_secretariat_is_told_whose_answer_it_saved(cast, page) -> None:
    tender, lot1, _lot2 = _tender(cast, deadline_in=timedelta(days=10))
    sign_in(page, cast.staff.email)
    page.goto(f"/tenders/{tender.reference}/pooling/live/")
    page.get_by_text("Intet medlem er bundet af sin forpligtelse").wait_for()
    assert page.get_by_text("Alle forpligtede medlemmer har svaret").count() == 0
    page.goto(f"/tenders/{tender.reference}/answers/aarhus/")
    page.get_by_label("Vi tilslutter os (bindende)").check()
    page.locator(f"#id_volume_{lot1.pk}").fill("120.000")
    page.get_by_label("Kommunen køber ikke på delaftale 2").check()
    page.get_by_role("button", name="Gem svaret").click()
    page.get_by_text("Svaret for Aarhus er gemt.").wait_for()
    assert page.get_by_text("Jeres svar er gemt.").count() == 0
    screenshot(page, "participation-secretariat-saved")
    _no_serious_violations(page)


def test_after_the_deadline_the_secretariat_reopens_an_answer(cast, page) -> None:
    tender, _lot1, _lot2 = _tender(cast, deadline_in=timedelta(days=10))
    Tender.objects.filter(pk=tender.pk).update(volume_deadline=timezone.now() - timedelta(hours=1))
    sign_in(page, cast.staff.email)
    page.goto(f"/tenders/{tender.reference}/answers/odense/")
    heading = page.get_by_role("heading", name="Genåbn svaret")
    assert heading.is_visible()
    until = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Genåbn indtil").fill(until)
    page.locator("section[aria-labelledby=reopen] textarea").fill("Byrådet mødes først torsdag")
    screenshot(page, "participation-reopen-form")
    _no_serious_violations(page)
    page.get_by_role("button", name="Genåbn", exact=True).click()
    page.get_by_text("Svaret kan ændres igen.").wait_for()
    answer = Participation.objects.get(tender=tender, member=cast.odense)
    assert answer.reopen_reason == "Byrådet mødes først torsdag"
    assert answer.reopened_until > timezone.now()
