"""An officer keeps its own municipality's contacts and cannot reach another's edit page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Contact
from tests.fixtures.browser import axe_violations, describe, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_edits_own_contacts_but_not_another_municipalitys(cast, page) -> None:
    own = Contact.objects.create(
        member=cast.odense, name="Mette Jørgensen", role="procurement_lead"
    )
    other = Contact.objects.create(
        member=cast.aarhus, name="Lars Østergaard", role="procurement_lead"
    )
    sign_in(page, cast.officer.email)
    assert page.url.endswith("/start/member/")
    assert page.get_by_role("heading", name="Kontaktpersoner").is_visible()

    page.get_by_role("link", name="Rediger Mette Jørgensen").click()
    page.fill("#id_phone", "+45 65 51 00 00")
    page.fill("#id_hours_per_year", "45")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("networkidle")
    assert "Kontaktpersonen er gemt." in page.content()
    assert page.url.endswith(cast.odense.get_absolute_url())
    own.refresh_from_db()
    assert own.phone == "+45 65 51 00 00" and own.hours_per_year == 45
    screenshot(page, "member-page-officer")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Aarhus's page is readable, but offers no editing, and its edit URL is simply not there.
    page.goto(cast.aarhus.get_absolute_url())
    assert page.get_by_text("Lars Østergaard").is_visible()
    assert page.get_by_role("link", name="Rediger Lars Østergaard").count() == 0
    response = page.goto(reverse("members:contact_edit", args=[other.pk]))
    assert response.status == 404
    response = page.goto(reverse("members:contact_new", args=[cast.aarhus.pk]))
    assert response.status == 404
    other.refresh_from_db()
    assert other.phone == ""
