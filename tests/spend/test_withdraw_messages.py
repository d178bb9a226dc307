"""What the portal says after a withdrawal is what the withdrawal did."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from spend.models import SpendLine
from tests.conftest import client_for

from .files import ROWS, csv_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _withdraw(client, spend_import) -> str:
    url = reverse("spend:import_withdraw", args=[spend_import.pk])
    confirm = _text(client.get(url))
    done = _text(client.post(url, follow=True))
    return confirm, done


def test_withdrawing_an_import_that_added_nothing_says_nothing_was_removed(cast) -> None:
    run_import(cast.odense, csv_bytes(ROWS), user=cast.officer)
    duplicates = run_import(cast.odense, csv_bytes(ROWS[:3]), user=cast.officer)
    assert (duplicates.lines_new, duplicates.lines_existing) == (0, 3)
    confirm, done = _withdraw(client_for(cast.officer), duplicates)
    assert "Ingen linjer bliver slettet" in confirm
    assert "Indlæsningen tilføjede ingen linjer selv" in confirm
    assert (
        "Indlæsningen er trukket tilbage. Ingen linjer er slettet: den havde ikke tilføjet "
        "nogen linjer selv" in done
    )
    assert "Trukket tilbage den" in done and "Ingen linjer er slettet: filens linjer" in done
    assert not re.search(r"\d+ linjer? er slettet", done)
    assert SpendLine.objects.count() == 4


def test_withdrawing_says_which_lines_went_and_which_another_import_keeps(cast) -> None:
    first = run_import(cast.odense, csv_bytes(ROWS), user=cast.officer)
    run_import(cast.odense, csv_bytes(ROWS[:3]), user=cast.officer)  # holds three of them
    _confirm, done = _withdraw(client_for(cast.officer), first)
    assert "Indlæsningen er trukket tilbage: 1 linje er slettet." in done
    assert "3 linjer, som indlæsningen tilføjede, bliver" in done
    assert SpendLine.objects.count() == 3


def test_withdrawing_an_import_whose_lines_all_stay_says_so(cast) -> None:
    first = run_import(cast.odense, csv_bytes(ROWS), user=cast.officer)
    run_import(cast.odense, csv_bytes(ROWS), user=cast.officer)  # the same file: unchanged
    _confirm, done = _withdraw(client_for(cast.officer), first)
    assert "Indlæsningen er trukket tilbage. Ingen linjer er slettet." in done
    assert "4 linjer, som indlæsningen tilføjede, bliver" in done
    assert SpendLine.objects.count() == 4


def test_withdrawing_an_import_that_added_lines_counts_them(cast) -> None:
    spend_import = run_import(cast.odense, csv_bytes(ROWS), user=cast.officer)
    _confirm, done = _withdraw(client_for(cast.officer), spend_import)
    assert "Indlæsningen er trukket tilbage: 4 linjer er slettet." in done
    assert "bliver, fordi" not in done
    assert SpendLine.objects.count() == 0
