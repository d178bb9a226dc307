"""Municipality master data from CSV: all or nothing, every bad row reported by line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import Municipality, PopulationFigure
from members.services import municipalities_import

DATA = Path(__file__).resolve().parents[2] / "members" / "data" / "dk_kommuner.csv"


def test_the_public_list_of_98_municipalities_imports(db) -> None:
    report = municipalities_import(data=DATA.read_bytes())
    assert report.ok, report.errors
    assert (report.created, report.updated) == (98, 0)
    assert Municipality.objects.get(code="461").get_region_display() == "Region Syddanmark"
    again = municipalities_import(data=DATA.read_bytes())
    assert (again.created, again.updated) == (0, 98)
    assert Municipality.objects.count() == 98


def test_semicolons_windows_1252_cvr_ean_and_population(db, cast) -> None:
    text = (
        "kommunekode;kommunenavn;regionskode;cvr;ean;adresse;medlem;indbyggertal;aar\n"
        "0540;Sønderborg;Region Syddanmark;29189781;5798000540002;Rådhustorvet 10, 6400 Sønderborg;odense;73.000;2026\n"
    )
    report = municipalities_import(data=text.encode("cp1252"))
    assert report.ok, report.errors
    municipality = Municipality.objects.get(code="540")
    assert municipality.name == "Sønderborg" and municipality.region == "1083"
    assert municipality.member == cast.odense
    assert PopulationFigure.objects.get(municipality=municipality, year=2026).population == 73_000


def test_any_bad_row_imports_nothing_and_every_error_has_its_line(db) -> None:
    text = (
        "kommunekode,kommunenavn,regionskode,cvr,ean\n"
        "0461,Odense,1083,35209115,\n"  # line 2: fine
        "999,Nowhere,1083,,\n"  # line 3: code out of range
        "0751,Aarhus,1099,12345678,\n"  # line 4: region and CVR
        "0461,Odense igen,1083,,5798000461001\n"  # line 5: duplicate code, bad EAN
        "0147,Frederiksberg,1084,,\n"  # line 6: fine
    )
    report = municipalities_import(data=text.encode())
    assert not report.ok
    found = {(e.line, e.column) for e in report.errors}
    assert found == {
        (3, "kommunekode"),
        (4, "regionskode"),
        (4, "cvr"),
        (5, "kommunekode"),
        (5, "ean"),
    }
    assert Municipality.objects.count() == 0
    assert all(e.message for e in report.errors)


def test_conflict_with_existing_data_rolls_back_earlier_rows(db, cast) -> None:
    taken = cast.aarhus.municipalities.get().cvr
    text = f"kommunekode,kommunenavn,regionskode,cvr\n0147,Frederiksberg,1084,\n0101,København,1084,{taken}\n"
    report = municipalities_import(data=text.encode())
    assert [(e.line, e.column) for e in report.errors] == [(3, "cvr")]
    assert not Municipality.objects.filter(code__in=["147", "101"]).exists()


def test_missing_columns_are_reported(db) -> None:
    report = municipalities_import(data=b"kode;navn\n461;Odense\n")
    assert not report.ok and report.errors[0].line == 1


def test_command_imports_and_fails_loudly(db, tmp_path) -> None:
    out = StringIO()
    call_command("import_municipalities", str(DATA), stdout=out)
    assert "98 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("kommunekode,kommunenavn,regionskode\n12,X,1083\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_municipalities", str(bad), stderr=err)
    assert "line 2 [kommunekode]" in err.getvalue()


def test_missing_columns_are_named_as_the_file_must_name_them(db) -> None:
    report = municipalities_import(data=b"kommunenavn;cvr\nOdense;\n")
    message = report.errors[0].message
    assert "kommunekode, regionskode" in message
    assert "code" not in message.replace("kommunekode", "")


def test_database_errors_are_reported_with_the_parse_errors(db, cast) -> None:
    taken = cast.aarhus.municipalities.get().cvr
    text = (
        "kommunekode,kommunenavn,regionskode,cvr,medlem\n"
        f"0147,Frederiksberg,1084,{taken},\n"  # line 2: CVR of another municipality (database)
        "12,Nowhere,1083,,\n"  # line 3: bad code (parse)
        "0101,København,1084,,ingen-saadan\n"  # line 4: unknown member (database)
    )
    report = municipalities_import(data=text.encode())
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "cvr"),
        (3, "kommunekode"),
        (4, "medlem"),
    ]
    assert not Municipality.objects.filter(code__in=["147", "101"]).exists()
