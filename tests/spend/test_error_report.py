"""The error report CSV: what comes from the member's file is text a spreadsheet will not run."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from spend.models import SpendImport
from tests.conftest import client_for

from .files import ROWS, csv_bytes
from .test_views import upload

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("evil.example","Klik her").csv'  # an upload's name has no slash


def test_file_name_that_looks_like_a_formula_is_inert_in_the_error_report(
    cast, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cast.officer)
    upload(client, csv_bytes([*ROWS, ["31-02-2025", ROWS[0][1], "X", "-1,00", "1", "1"]]), "x.csv")
    # Such a name is refused at upload now; imports stored before that keep theirs, and the
    # report must still write it as text.
    SpendImport.objects.update(original_name=NAME)
    spend_import = SpendImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spend:import_start", args=[spend_import.pk]), {"valid_only": ""})

    report = client.get(reverse("spend:import_errors", args=[spend_import.pk]))
    assert report.status_code == 200
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    assert report["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Fil", "Linje", "Årsag"]
    assert rows[1][0] == "'" + NAME  # OWASP: a leading apostrophe keeps it text
    assert rows[1][1] == "6"  # the line number is a number, not quoted text
