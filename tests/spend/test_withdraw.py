"""Withdrawing an import: exactly its lines go, unless another import that still stands has them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.selectors import events_for_object
from spend import hooks
from spend.models import SpendImport, SpendLine
from spend.selectors import WithdrawalPreview, withdrawal_preview
from spend.services import ImportNotWithdrawable, spend_import_withdraw
from tests.conftest import client_for

from .files import ROWS, csv_bytes, xlsx_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db


def numbers() -> set[str]:
    return set(SpendLine.objects.values_list("invoice_number", flat=True))


@pytest.fixture
def hook_calls():
    calls: list[tuple] = []
    hooks.AFTER_IMPORT.append(lambda *args: calls.append(args))
    yield calls
    hooks.AFTER_IMPORT.pop()


def test_withdraw_deletes_exactly_the_lines_the_import_added(
    cast, hook_calls, django_capture_on_commit_callbacks
) -> None:
    first = run_import(cast.odense, csv_bytes(ROWS[:2]))
    second = run_import(cast.odense, csv_bytes(ROWS))
    assert (second.lines_new, second.lines_existing) == (2, 2)
    run_import(cast.aarhus, csv_bytes(ROWS))  # another member's same lines are its own

    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = spend_import_withdraw(spend_import=second, user=cast.officer)

    assert withdrawn.status == SpendImport.Status.WITHDRAWN
    assert withdrawn.lines_withdrawn == 2 and withdrawn.withdrawn_by == cast.officer
    assert set(
        SpendLine.objects.filter(member=cast.odense).values_list("invoice_number", flat=True)
    ) == {
        "T-1001",
        "K-77",
    }
    assert SpendLine.objects.filter(member=cast.aarhus).count() == 4
    assert {line.spend_import_id for line in SpendLine.objects.filter(member=cast.odense)} == {
        first.pk
    }
    # Compliance is recomputed over the dates of the lines that went.
    assert hook_calls == [(cast.odense.pk, datetime.date(2025, 1, 4), datetime.date(2025, 2, 15))]


def test_lines_another_standing_import_holds_stay_until_it_is_withdrawn(
    cast, hook_calls, django_capture_on_commit_callbacks
) -> None:
    first = run_import(cast.odense, csv_bytes(ROWS[:3]))
    second = run_import(cast.odense, xlsx_bytes(ROWS), name="alle.xlsx")
    assert (second.lines_new, second.lines_existing) == (1, 3)
    assert withdrawal_preview(first) == WithdrawalPreview(removed=0, kept=3)
    assert withdrawal_preview(second) == WithdrawalPreview(removed=1, kept=0)

    with django_capture_on_commit_callbacks(execute=True):
        first = spend_import_withdraw(spend_import=first, user=cast.officer)
    assert first.lines_withdrawn == 0
    assert SpendLine.objects.count() == 4  # all four are in the second import, which stands
    assert hook_calls == []  # nothing changed for compliance

    with django_capture_on_commit_callbacks(execute=True):
        second = spend_import_withdraw(spend_import=second, user=cast.officer)
    assert second.lines_withdrawn == 4
    assert SpendLine.objects.count() == 0
    assert hook_calls == [(cast.odense.pk, datetime.date(2025, 1, 2), datetime.date(2025, 2, 15))]


def test_the_same_file_imported_twice_keeps_its_lines_while_one_import_stands(cast) -> None:
    first = run_import(cast.odense, csv_bytes())
    again = run_import(cast.odense, csv_bytes())
    assert again.status == SpendImport.Status.UNCHANGED
    spend_import_withdraw(spend_import=first, user=cast.officer)
    assert SpendLine.objects.count() == 4
    spend_import_withdraw(spend_import=again, user=cast.officer)
    assert SpendLine.objects.count() == 0


def test_a_line_in_three_imports_goes_with_the_last_of_them(cast) -> None:
    a = run_import(cast.odense, csv_bytes(ROWS[:1]))
    b = run_import(cast.odense, csv_bytes(ROWS[:2]))
    c = run_import(cast.odense, csv_bytes(ROWS[:3]))
    spend_import_withdraw(spend_import=a, user=None)
    spend_import_withdraw(spend_import=c, user=None)
    assert numbers() == {"T-1001", "K-77"}  # both in b
    spend_import_withdraw(spend_import=b, user=None)
    assert numbers() == set()


def test_a_withdrawn_file_can_be_imported_again(cast) -> None:
    first = run_import(cast.odense, csv_bytes())
    spend_import_withdraw(spend_import=first, user=cast.officer)
    again = run_import(cast.odense, csv_bytes())
    assert (again.status, again.lines_new) == ("imported", 4)
    assert SpendLine.objects.count() == 4


def test_withdrawal_is_all_or_nothing(cast, monkeypatch) -> None:
    spend_import = run_import(cast.odense, csv_bytes())

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SpendImport, "save", fail)
    with pytest.raises(RuntimeError):
        spend_import_withdraw(spend_import=spend_import, user=cast.officer)
    monkeypatch.undo()
    assert SpendLine.objects.count() == 4
    spend_import.refresh_from_db()
    assert spend_import.status == SpendImport.Status.IMPORTED


def test_only_a_finished_import_can_be_withdrawn(cast) -> None:
    rejected = run_import(cast.odense, csv_bytes([["31-02-2025", *ROWS[0][1:]]]))
    assert rejected.status == SpendImport.Status.REJECTED
    with pytest.raises(ImportNotWithdrawable):
        spend_import_withdraw(spend_import=rejected, user=cast.officer)
    done = run_import(cast.odense, csv_bytes())
    spend_import_withdraw(spend_import=done, user=cast.officer)
    with pytest.raises(ImportNotWithdrawable):
        spend_import_withdraw(spend_import=done, user=cast.officer)


def test_withdrawal_is_in_the_audit_trail(cast) -> None:
    spend_import = run_import(cast.odense, csv_bytes())
    spend_import_withdraw(spend_import=spend_import, user=cast.officer)
    events = events_for_object(SpendImport, str(spend_import.pk))
    latest = events[0]
    assert latest.action == "update"
    assert latest.data["status"] == "withdrawn" and latest.data["lines_withdrawn"] == 4
    assert latest.user == cast.officer


# --- the pages ------------------------------------------------------------------------------


def test_officer_confirms_and_withdraws_an_import(cast, django_capture_on_commit_callbacks) -> None:
    spend_import = run_import(cast.odense, csv_bytes(), user=cast.officer)
    client = client_for(cast.officer)
    detail = client.get(spend_import.get_absolute_url()).content.decode()
    url = reverse("spend:import_withdraw", args=[spend_import.pk])
    assert url in detail

    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Træk indlæsningen tilbage" in page and "4 linjer" in page
    assert SpendLine.objects.count() == 4  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == spend_import.get_absolute_url()
    assert SpendLine.objects.count() == 0
    result = client.get(spend_import.get_absolute_url()).content.decode()
    assert "Trukket tilbage" in result and url not in result


def test_secretariat_may_withdraw_viewers_and_other_members_may_not(cast) -> None:
    spend_import = run_import(cast.odense, csv_bytes(), user=cast.officer)
    url = reverse("spend:import_withdraw", args=[spend_import.pk])
    assert client_for(cast.viewer).post(url).status_code == 403
    assert client_for(cast.aarhus_officer).post(url).status_code == 404
    assert (
        client_for(cast.viewer).get(spend_import.get_absolute_url()).content.decode().count(url)
        == 0
    )
    assert SpendLine.objects.count() == 4
    assert client_for(cast.staff).post(url).status_code == 302
    assert SpendLine.objects.count() == 0


def test_withdrawing_twice_says_so(cast) -> None:
    spend_import = run_import(cast.odense, csv_bytes(), user=cast.officer)
    url = reverse("spend:import_withdraw", args=[spend_import.pk])
    client = client_for(cast.officer)
    client.post(url)
    response = client.post(url, follow=True)
    assert "kan ikke trækkes tilbage" in response.content.decode()
