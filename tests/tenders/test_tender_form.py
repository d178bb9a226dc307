"""The tender form: a taken reference is told at once; the working group is grouped by member."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from members.models import Contact
from tenders.models import Tender
from tests.conftest import client_for

from .conftest import make_tender

pytestmark = pytest.mark.django_db

TAKEN = "Et andet udbud har allerede referencen 2026-014. Vælg en anden."


def form_data(cast, **changes) -> dict:
    data = {
        "reference": "2026-030", "title": "Papir", "procedure_type": "open",
        "contract_kind": "supplies", "authority_level": "sub_central", "main_cpv": "",
        "additional_cpv": "", "lead_organisation": cast.secretariat.pk, "term_years": 2,
        "option_years": "1, 1",
    }  # fmt: skip
    return {**data, **changes}


def test_a_taken_reference_is_refused_at_the_field_and_in_the_summary(cast) -> None:
    make_tender(cast, reference="2026-014")
    # Told together with the other mistakes, not after they are fixed.
    response = client_for(cast.staff).post(
        reverse("tenders:create"), form_data(cast, reference="2026-014 ", title="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a class="function-link" href="#id_reference">Reference: {TAKEN}</a>' in html
    assert re.search(r'id="id_reference_error">.*' + re.escape(TAKEN), html)
    assert "Titel: Dette felt er påkrævet." in html
    assert Tender.objects.filter(reference="2026-014").count() == 1
    # Letter case makes no other reference.
    make_tender(cast, reference="2026-AB")
    response = client_for(cast.staff).post(
        reverse("tenders:create"), form_data(cast, reference="2026-ab")
    )
    assert (
        response.status_code == 400 and "allerede referencen 2026-ab" in response.content.decode()
    )


def test_editing_a_tender_keeps_its_own_reference(cast) -> None:
    tender = make_tender(cast, reference="2026-014")
    form = client_for(cast.staff).get(reverse("tenders:edit", args=["2026-014"]))
    assert TAKEN not in form.content.decode()
    check = client_for(cast.staff).get(
        reverse("tenders:edit", args=["2026-014"]),
        {"reference": "2026-014"},
        HTTP_HX_REQUEST="true",
    )
    assert check.status_code == 200 and "form-error" not in check.content.decode()
    assert tender.reference == "2026-014"


def test_the_reference_is_checked_when_the_field_is_left(cast) -> None:
    make_tender(cast, reference="2026-014")
    client = client_for(cast.staff)
    page = client.get(reverse("tenders:create")).content.decode()
    assert 'hx-get="/tenders/new/"' in page and 'hx-trigger="change"' in page
    taken = client.get(reverse("tenders:create"), {"reference": "2026-014"}, HTTP_HX_REQUEST="true")
    html = taken.content.decode()
    assert taken.status_code == 200 and "<html" not in html
    assert 'class="form-group form-error"' in html and TAKEN in html
    assert 'value="2026-014"' in html and 'hx-get="/tenders/new/"' in html  # checked again later
    free = client.get(reverse("tenders:create"), {"reference": "2026-099"}, HTTP_HX_REQUEST="true")
    assert "form-error" not in free.content.decode() and 'value="2026-099"' in free.content.decode()


def test_the_working_group_is_grouped_by_member_with_a_filter(cast) -> None:
    Contact.objects.create(member=cast.odense, name="Ida Holm", working_group="IT")
    Contact.objects.create(member=cast.aarhus, name="Bo Berg", title="Indkøber")
    Contact.objects.create(member=cast.odense, name="Anne Dahl")
    html = client_for(cast.staff).get(reverse("tenders:create")).content.decode()
    legends = re.findall(r'<legend class="working-group-legend">([^<]+)</legend>', html)
    assert legends == ["Aarhus", "Odense"]
    odense = html[html.index(">Odense</legend>") :]
    assert odense.index("Anne Dahl") < odense.index("Ida Holm (IT)")
    assert "Bo Berg (Indkøber)" in html[: html.index(">Odense</legend>")]
    assert "data-choice-filter-box hidden" in html  # shown by the script; without it: fieldsets
    assert "/static/js/choice-filter.js" in html

    ida = Contact.objects.get(name="Ida Holm")
    client_for(cast.staff).post(reverse("tenders:create"), form_data(cast, working_group=[ida.pk]))
    tender = Tender.objects.get(reference="2026-030")
    assert list(tender.working_group.all()) == [ida]
    edit = client_for(cast.staff).get(reverse("tenders:edit", args=["2026-030"])).content.decode()
    assert re.search(rf'value="{ida.pk}" id="[^"]+" class="form-checkbox" checked', edit)
