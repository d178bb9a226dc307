"""The award-criteria form: rows added and removed, blank rows ignored, unchanged criteria saved,
the weights' total refused at the top of the form, more than two criteria for a new tender."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tenders.forms import criteria_formset
from tenders.models import AwardCriterion
from tests.conftest import client_for

from .conftest import criteria, make_tender

pytestmark = pytest.mark.django_db


def rows(*criteria_rows: tuple[str, str, str], initial: int = 0, blank: int = 0, **extra):
    """POST data of the criteria formset: the rows given, then `blank` untouched rows (whose kind
    list still says "price", as the browser sends it)."""
    data = {"criteria-INITIAL_FORMS": str(initial)}
    all_rows = [*criteria_rows, *[("", "price", "")] * blank]
    data["criteria-TOTAL_FORMS"] = str(len(all_rows))
    for i, (name, kind, weight) in enumerate(all_rows):
        data |= {f"criteria-{i}-name": name, f"criteria-{i}-kind": kind,
                 f"criteria-{i}-weight": weight}  # fmt: skip
    return data | extra


def saved(tender) -> list[tuple[str, Decimal]]:
    return list(tender.criteria.order_by("position").values_list("name", "weight"))


@pytest.fixture
def tender(cast):
    return make_tender(cast)


def url(tender) -> str:
    return reverse("tenders:criteria", args=[tender.reference])


def test_new_tender_shows_two_empty_rows(cast, tender) -> None:
    html = client_for(cast.staff).get(url(tender)).content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="2"' in html
    assert "Tilføj et kriterium" in html


def test_blank_extra_rows_are_ignored(cast, tender) -> None:
    response = client_for(cast.staff).post(
        url(tender), rows(("Pris", "price", "60"), ("Kvalitet", "quality", "40"), blank=2)
    )
    assert response.status_code == 302
    assert saved(tender) == [("Pris", 60), ("Kvalitet", 40)]


def test_saving_unchanged_criteria_succeeds(cast, tender) -> None:
    criteria(tender, 60, 40)
    client = client_for(cast.staff)
    page = client.get(url(tender)).content.decode()
    # The page shows the saved weights the Danish way, and posting them back as shown saves.
    assert 'value="60,00"' in page
    response = client.post(
        url(tender),
        rows(("Kriterium 1", "quality", "60,00"), ("Kriterium 2", "quality", "40,00"),
             initial=2, blank=1),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    assert saved(tender) == [("Kriterium 1", 60), ("Kriterium 2", 40)]


def test_a_row_is_removed_by_ticking_delete(cast, tender) -> None:
    criteria(tender, 50, 30, 20)
    data = rows(
        ("Kriterium 1", "quality", "60"), ("Kriterium 2", "quality", "40"),
        ("Kriterium 3", "quality", "20"), initial=3, blank=1, **{"criteria-2-DELETE": "on"},
    )  # fmt: skip
    assert client_for(cast.staff).post(url(tender), data).status_code == 302
    assert saved(tender) == [("Kriterium 1", 60), ("Kriterium 2", 40)]


def test_an_emptied_saved_row_is_removed(cast, tender) -> None:
    criteria(tender, 60, 40)
    data = rows(("Kriterium 1", "quality", "100"), ("", "quality", ""), initial=2)
    assert client_for(cast.staff).post(url(tender), data).status_code == 302
    assert saved(tender) == [("Kriterium 1", 100)]


def test_weights_not_adding_up_are_refused_at_the_top(cast, tender) -> None:
    criteria(tender, 60, 40)
    response = client_for(cast.staff).post(
        url(tender),
        rows(("Pris", "price", "70"), ("Kvalitet", "quality", "40"), initial=2, blank=2),
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index("Ret følgende")
    message = html.index("Vægtene skal give 100 % tilsammen (nu 110 %).")
    # The summary stands before the first row, and no row has a summary of its own.
    assert summary < message < html.index("Kriterium 1</legend>")
    assert html.count("Ret følgende") == 1
    assert saved(tender) == [("Kriterium 1", 60), ("Kriterium 2", 40)]


def test_a_row_with_a_name_but_no_weight_is_named_in_the_summary(cast, tender) -> None:
    response = client_for(cast.staff).post(
        url(tender), rows(("Pris", "price", "100"), ("Kvalitet", "quality", ""), blank=1)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_criteria-1-weight"' in html
    assert "Kriterium 2, Vægt (%): Dette felt er påkrævet." in html
    assert not tender.criteria.exists()


def test_add_row_without_javascript_keeps_what_was_typed(cast, tender) -> None:
    client = client_for(cast.staff)
    response = client.post(
        url(tender),
        rows(("Pris", "price", "50"), ("Kvalitet", "quality", ""), add_row="1"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="3"' in html
    assert 'value="Pris"' in html and 'value="Kvalitet"' in html
    assert "Ret følgende" not in html  # rows being filled in are not refused yet
    assert 'id="id_criteria-2-name"' in html and "autofocus" in html
    assert not tender.criteria.exists()


def test_new_tender_gets_three_criteria(cast, tender) -> None:
    client = client_for(cast.staff)
    data = rows(
        ("Pris", "price", "50"), ("Kvalitet", "quality", "30"), ("Miljø", "environment", "20")
    )
    assert client.post(url(tender), data).status_code == 302
    assert saved(tender) == [("Pris", 50), ("Kvalitet", 30), ("Miljø", 20)]
    assert tender.criteria.get(name="Miljø").is_climate
    tender.refresh_from_db()
    assert tender.climate_flag


def test_htmx_add_row_answers_the_form_only(cast, tender) -> None:
    response = client_for(cast.staff).post(
        url(tender), rows(("Pris", "price", "50"), add_row="1"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="criteria-rows"' in html and 'name="criteria-TOTAL_FORMS" value="2"' in html


def test_formset_ignores_untouched_rows_whatever_the_kind(cast) -> None:
    formset = criteria_formset(rows(("Pris", "price", "100"), blank=3), criteria=[])
    assert formset.is_valid(), formset.errors
    assert [c.name for c in formset.criteria()] == ["Pris"]
    assert formset.criteria()[0].kind == AwardCriterion.Kind.PRICE
