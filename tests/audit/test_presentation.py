"""The audit trail in the pages' words: field names, choice labels, names for ids, Danish values."""

from __future__ import annotations

import datetime
import re

import pghistory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from agreements.models import Agreement
from audit.presentation import Names, describe, field_label, format_value
from audit.selectors import AuditEvent, events_for_object
from members.models import Contact
from spend.models import SpendImport
from tenders.models import AwardCriterion, Tender, TenderStatus
from tests.api.conftest import make_tender
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _danish():
    with translation.override("da"):
        yield


def _event(model, diff, action="update") -> AuditEvent:
    return AuditEvent(
        when=datetime.datetime(2026, 11, 30, 22, 0, tzinfo=datetime.UTC),
        action=action,
        model=model,
        object_id="1",
        user=None,
        source="",
        url="",
        diff=diff,
        data={"title": "Udbuddet"},  # named by its row, so no query for its name
    )


def _changes(model, diff, action="update") -> list[tuple[str, str, str]]:
    (event,) = describe([_event(model, diff, action)])
    return [(c.field, c.before, c.after) for c in event.changes]


def _value(model, name, value) -> str:
    return format_value(model._meta.get_field(name), value, Names())


def test_a_choice_reads_as_its_label_and_the_field_by_its_name() -> None:
    assert _changes(Tender, {"status": ("preparation", "published")}) == [
        ("Status", "Forberedelse", "Offentliggjort")
    ]


def test_an_unknown_choice_value_is_shown_as_stored() -> None:
    assert _value(Tender, "status", "archived") == "archived"


def test_a_field_the_model_no_longer_has_is_left_out() -> None:
    changes = _changes(Tender, {"old_column": ("a", "b"), "title": ("Før", "Efter")})
    assert changes == [("Titel", "Før", "Efter")]


def test_an_event_of_a_model_that_is_gone_shows_no_changes() -> None:
    assert _changes(None, {"title": ("Før", "Efter")}) == []


def test_null_and_empty_read_as_a_dash() -> None:
    assert _value(Tender, "bid_deadline", None) == "—"
    assert _value(Tender, "description", "") == "—"
    assert _changes(Tender, {"expected_start": (None, "2027-01-01")}) == [
        ("Forventet kontraktstart", "—", "01.01.2027")
    ]


def test_dates_and_times_in_danish_time() -> None:
    # As the trail stores them: timestamps in UTC, dates as ISO text.
    assert _value(Tender, "bid_deadline", "2026-11-30T22:00:00+00:00") == "30.11.2026 23:00"
    assert _value(Tender, "bid_deadline", "2026-07-01T10:00:00.123456+00:00") == "01.07.2026 12:00"
    assert _value(Tender, "expected_start", "2026-11-30") == "30.11.2026"


def test_booleans_money_numbers_and_files() -> None:
    assert _value(Tender, "climate_flag", True) == "Ja"
    assert _value(Tender, "climate_flag", False) == "Nej"
    assert _value(Agreement, "expected_annual_value", "1234567.5") == "1.234.567,50\xa0kr."
    assert _value(AwardCriterion, "weight", "12.5") == "12,50"  # a percentage, not money
    assert _value(SpendImport, "lines_total", 12345) == "12.345"
    assert _value(SpendImport, "file", "spend/imports/odense_2026.csv") == "odense_2026.csv"


def test_json_lists_item_by_item_and_other_json_by_size() -> None:
    assert _value(Tender, "option_years", [1, 2]) == "1, 2"
    assert _value(Tender, "option_years", []) == "—"
    assert _value(SpendImport, "errors", [{"line": 2}, {"line": 3}]) == "2 poster"
    assert _value(SpendImport, "mapping", {"amount": "Beløb"}) == "1 post"


@pytest.mark.django_db
def test_foreign_keys_read_as_names_fetched_in_one_query_per_model(cast) -> None:
    gone = User.objects.order_by("-pk").first().pk + 1000
    events = [
        _event(Tender, {"responsible_id": (None, cast.staff.pk)}),
        _event(Tender, {"responsible_id": (cast.staff.pk, cast.admin.pk)}),
        _event(Tender, {"responsible_id": (cast.admin.pk, gone)}),
        _event(Tender, {"lead_organisation_id": (cast.odense.organisation.pk, None)}),
    ]
    with CaptureQueriesContext(connection) as queries:
        described = describe(events)
    assert len(queries) == 2  # users, organisations
    label = "Ansvarlig medarbejder"
    assert [(c.field, c.before, c.after) for e in described[:3] for c in e.changes] == [
        (label, "—", str(cast.staff)),
        (label, str(cast.staff), str(cast.admin)),
        (label, str(cast.admin), "(slettet)"),
    ]
    assert described[3].changes[0].before == cast.odense.organisation.name


@pytest.mark.django_db
def test_many_to_many_lists_read_as_names(cast) -> None:
    contact = Contact.objects.create(
        member=cast.odense, name="Mette Hansen", email="mh@odense.test"
    )
    changes = _changes(Tender, {"working_group": ([], [contact.pk, contact.pk + 1000])})
    assert changes == [("Arbejdsgruppe", "—", f"{contact}, (slettet)")]


def test_a_field_without_a_name_of_its_own_is_named_by_its_model() -> None:
    assert field_label(AwardCriterion._meta.get_field("tender")) == "Udbud"


@pytest.mark.django_db
def test_the_page_shows_a_status_and_responsible_change_in_danish(cast) -> None:
    tender = make_tender("2026-901", lead=cast.secretariat, status=TenderStatus.PREPARATION)
    with pghistory.context(user=cast.admin.pk):
        tender.status = TenderStatus.PUBLISHED
        tender.responsible = cast.staff
        tender.bid_deadline = datetime.datetime(2026, 11, 30, 22, 0, tzinfo=datetime.UTC)
        tender.save()
    assert events_for_object(Tender, str(tender.pk))
    client = client_for(cast.staff)
    for url in (
        reverse("audit:recent"),
        reverse("audit:object", args=["tenders", "tender", tender.pk]),
    ):
        html = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", "", html)
        assert "Status: Forberedelse → Offentliggjort" in text
        assert f"Ansvarlig medarbejder: — → {cast.staff}" in text
        assert "→ 30.11.2026 23:00" in text
        for english in ("responsible", "preparation →", "bid_deadline", "_id:"):
            assert english not in text


# Words that are the same in both languages.
SAME_IN_DANISH = {"Organisation", "Budget", "Region", "E-mail", "SHA-256", "Format", "Status"}
SAME_IN_DANISH |= {"Job", "Version", "Start"}


def test_every_audited_field_has_a_danish_name() -> None:
    import pghistory.core

    from audit.presentation import field_of

    untranslated = []
    for event_model in pghistory.core.event_models():
        model = event_model.pgh_tracked_model
        stored = {f.attname for f in event_model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if field.attname not in stored or field_of(model, field.attname) is None:
                continue
            danish = field_label(field)
            with translation.override("en"):
                english = field_label(field)
            if danish == english and danish not in SAME_IN_DANISH:
                untranslated.append(f"{model._meta.label}.{field.name}: {danish}")
    assert untranslated == []


def test_a_secrets_hash_is_never_shown() -> None:
    from api.models import ApiToken

    assert _changes(ApiToken, {"secret_hash": ("a" * 64, "b" * 64)}) == []
