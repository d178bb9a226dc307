"""The secretariat issues a corrigendum on a published tender; a member sees the corrigenda on the
tender page, numbered and dated, with what changed and why."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tenders.models import AwardCriterion, Corrigendum, Lot, Participation, Tender, TenderStatus
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CPH = ZoneInfo("Europe/Copenhagen")


def test_corrigendum_from_the_form_to_the_members_tender_page(cast, browser, page, live_server):
    tender = Tender.objects.create(
        reference="2026-040", title="Bærbare computere", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PUBLISHED,
        bid_deadline=datetime.datetime(2030, 3, 1, 12, 0, tzinfo=CPH),
    )  # fmt: skip
    Lot.objects.create(tender=tender, number=1, title="Bærbare")
    for position, (name, kind, weight) in enumerate(
        [("Pris", "price", 60), ("Kvalitet", "quality", 40)], start=1
    ):
        AwardCriterion.objects.create(
            tender=tender, position=position, name=name, kind=kind, weight=Decimal(weight)
        )
    Participation.objects.create(tender=tender, member=cast.odense, answer="participate")

    sign_in(page, cast.staff.email)
    page.goto(tender.get_absolute_url())
    # No direct edits once published: the page offers a corrigendum instead.
    assert page.get_by_role("link", name="Rediger tildelingskriterier").count() == 0
    page.get_by_role("link", name="Udsted et rettelsesblad").first.click()
    page.get_by_role("heading", name="Rettelsesblad nr. 1").wait_for()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.get_by_label("Hvad ændres").fill("Pris vægtes 70 % og kvalitet 30 %.")
    page.get_by_label("Begrundelse for rettelsesbladet").fill(
        "Spørgsmål fra tilbudsgiverne viste, at kvaliteten var vægtet for højt."
    )
    page.fill("#id_criteria-0-weight", "70")
    page.fill("#id_criteria-1-weight", "30")
    page.get_by_role("button", name="Udsted rettelsesbladet").click()
    page.get_by_text("Rettelsesblad nr. 1 er udstedt.").wait_for(timeout=60_000)
    corrigendum = Corrigendum.objects.get(tender=tender)
    assert corrigendum.number == 1 and corrigendum.created_by == cast.staff

    # The member's view of the tender page.
    member = browser.new_context(base_url=live_server.url, locale="da-DK", bypass_csp=True)
    member_page = member.new_page()
    sign_in(member_page, cast.officer.email)
    member_page.goto(tender.get_absolute_url())
    section = member_page.locator("section", has=member_page.locator("#corrigenda"))
    text = section.inner_text()
    issued = corrigendum.created_at.astimezone(CPH).strftime("%d.%m.%Y")
    assert f"Rettelsesblad nr. 1 af {issued}" in text
    assert "Pris vægtes 70 % og kvalitet 30 %." in text
    assert "kvaliteten var vægtet for højt" in text
    before, after = section.locator("tbody td").all_inner_texts()
    assert before.split("\n") == ["Pris 60 %", "Kvalitet 40 %"]
    assert after.split("\n") == ["Pris 70 %", "Kvalitet 30 %"]
    assert "Udsted et rettelsesblad" not in member_page.content()
    screenshot(member_page, "tender-corrigenda")
    violations = axe_violations(member_page)
    assert not violations, describe(violations)
    member.close()
