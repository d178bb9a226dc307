"""Board reports: one computation behind dashboards, PDFs and spreadsheets."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from consortium.formatting import format_money
from reports import figures
from reports.models import BoardMeeting, ReportPack
from reports.packs import build_pack_html, render_pack
from reports.periods import PeriodError, parse_period
from reports.tasks import packs_before_meetings
from tests.conftest import client_for

from .conftest import YEAR, make_tender


def test_periods_parse_years_halves_and_quarters() -> None:
    assert parse_period("2026").start == datetime.date(2026, 1, 1)
    assert parse_period("2026").end == datetime.date(2027, 1, 1)
    assert parse_period("2026-h2").start == datetime.date(2026, 7, 1)
    q3 = parse_period("2026-Q3")
    assert (q3.start, q3.end, len(q3.months)) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 10, 1),
        3,
    )
    assert q3.previous().key == "2026-Q2"
    assert [p.label for p in (parse_period("2026"), parse_period("2026-H2"), q3)] == [
        "2026",
        "2. halvår 2026",
        "3. kvartal 2026",
    ]
    assert [p.key for p in q3.trend()] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [p.key for p in parse_period("2026").trend()] == ["2024", "2025", "2026"]
    for bad in ("26", "2026-Q5", "2026-H3", "x", ""):
        with pytest.raises(PeriodError):
            parse_period(bad)


@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=1)
def test_pooled_volume_matches_hand_computation(data) -> None:
    table = figures.pooled_volume_table(YEAR)
    rows = {r["reference"]: r for r in table.rows}
    # 2026-001: (1.000.000,50 + 2.500.000) a year, 2 + 1 + 1 years
    assert rows["2026-001"]["annual"] == Decimal("3500000.50")
    assert rows["2026-001"]["term_value"] == Decimal("14000002.00")
    # 2026-002: only Odense joined, 2 years without options
    assert rows["2026-002"]["term_value"] == Decimal("600000")
    assert table.total["annual"] == Decimal("3800000.50")


def test_a_volume_declared_by_fewer_than_the_minimum_group_is_withheld(data) -> None:
    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2):
        table = figures.pooled_volume_table(YEAR)
    rows = {r["reference"]: r for r in table.rows}
    assert rows["2026-001"]["annual"] == Decimal("3500000.50")
    # Only Odense joined 2026-002: listed with its one member, its volume is Odense's own.
    assert (rows["2026-002"]["members"], rows["2026-002"]["annual"]) == (1, None)
    assert rows["2026-002"]["term_value"] is None
    assert table.total["annual"] == Decimal("3500000.50")
    assert "2026-002" in table.note


def test_participation_counts_declines_with_reasons(data) -> None:
    rows = {r["member"]: r for r in figures.participation_table(YEAR).rows}
    assert (rows["Aarhus"]["invited"], rows["Aarhus"]["joined"], rows["Aarhus"]["declined"]) == (
        2,
        1,
        1,
    )
    assert rows["Aarhus"]["rate"] == Decimal("0.5000")
    assert [r["reason"] for r in figures.declines_table(YEAR).rows] == ["Egen aftale til 2027"]


# Two members' volumes: shown from one member on (the minimum group is tested on its own).
@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=1)
def test_same_key_figures_on_dashboard_in_pdf_and_in_xlsx(data) -> None:
    pooled = format_money(Decimal("3800000.50"), 0)  # "3.800.001 kr."
    spend = format_money(Decimal("91999.75"), 0)

    page = (
        client_for(data.staff).get(reverse("reports:dashboard") + "?period=2026").content.decode()
    )
    assert pooled in page and spend in page

    pdf = render_pack(YEAR, version=1).pdf
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pooled in text and spend in text

    response = client_for(data.staff).get(
        reverse("reports:table_export", args=["pooled-volume"]) + "?period=2026"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert pytest.approx(3800000.50) in values
    assert "Anslået værdi over hele kontraktperioden (kr.)" in values  # Danish headers


def test_board_pack_job_keeps_numbered_versions_and_mails_the_board(
    data, django_capture_on_commit_callbacks
) -> None:
    client = client_for(data.staff)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:pack_generate"), {"period": "2026"})
        assert response.status_code == 302
    assert list(ReportPack.objects.order_by("version").values_list("period", "version")) == [
        ("2026", 1),
        ("2026", 2),
    ]
    pack = ReportPack.objects.get(version=2)
    assert pack.pages >= 5 and len(pack.sha256) == 64
    assert [m.to for m in mail.outbox] == [["bestyrelse@12by.test"]] * 2
    assert "Bestyrelsesrapport" in mail.outbox[0].subject

    download = client_for(data.board_member).get(pack.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_long_pack_has_charts_contents_and_page_numbers(cast) -> None:
    for n in range(1, 260):
        make_tender(
            cast, n, volumes={cast.odense: Decimal(1000 * n), cast.aarhus: Decimal(700 * n)}
        )
    built = build_pack_html(YEAR, version=1)
    assert built.html.count("<svg") >= 4
    rendered = render_pack(YEAR, version=1)
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages) >= 20
    assert f"Side {rendered.pages} af {rendered.pages}" in reader.pages[-1].extract_text()
    contents = reader.pages[1].extract_text()
    assert "Indhold" in contents and "Samlet volumen" in contents


def test_board_sees_aggregates_only(data) -> None:
    page = client_for(data.board_member).get(reverse("reports:dashboard")).content.decode()
    assert "Lyreco" not in page  # no supplier-level spend of a member
    assert (
        client_for(data.board_member)
        .get(reverse("reports:scorecard", args=[data.odense.pk]))
        .status_code
        == 403
    )
    own = (
        client_for(data.officer)
        .get(reverse("reports:scorecard", args=[data.odense.pk]))
        .content.decode()
    )
    assert "Lyreco" in own


def test_pack_is_started_once_before_each_board_meeting(
    cast, django_capture_on_commit_callbacks
) -> None:
    meeting = BoardMeeting.objects.create(
        date=datetime.date(2026, 12, 3), title="Bestyrelsesmøde", period="2026"
    )
    assert packs_before_meetings(today="2026-11-20") == 0  # too early
    with django_capture_on_commit_callbacks(execute=True):
        assert packs_before_meetings(today="2026-11-27") == 1
    assert packs_before_meetings(today="2026-11-28") == 0
    assert ReportPack.objects.get().meeting == meeting
    job = ReportPack.objects.get().job
    assert job.organisation == Organisation.objects.get(kind=Organisation.Kind.SECRETARIAT)


def test_board_report_command_writes_the_pdf(data, tmp_path: Path) -> None:
    out = tmp_path / "pakke.pdf"
    call_command("board_report", "--period", "2026", "--out", str(out), stdout=io.StringIO())
    text = pypdf.PdfReader(out).pages[0].extract_text()
    # The period reads "2026", not "År 2026".
    assert "Bestyrelsesrapport 2026" in text and "År 2026" not in text


def test_start_pages_show_the_dashboards_key_figures(data) -> None:
    figures_now = {
        f.slug: f for f in figures.key_figures(parse_period(str(timezone.localdate().year)))
    }
    spend = format_money(figures_now["spend"].value, 0)
    for user, url in ((data.staff, "start_secretariat"), (data.board_member, "start_board")):
        page = client_for(user).get(reverse(url)).content.decode()
        assert spend in page
        assert "<svg" in page  # a chart, with its table beside or behind it
        assert "<table" in page


def test_officer_start_page_shows_the_scorecards_compliance_and_savings(data) -> None:
    period = parse_period(str(timezone.localdate().year))
    scorecard = {f.slug: f for f in figures.member_key_figures(data.odense, period)}
    page = client_for(data.officer).get(reverse("start_member")).content.decode()
    assert "Aftaleanvendelse og besparelser" in page
    assert format_money(scorecard["spend"].value, 0) in page
    assert "Aftaleloyalitet" in page and "Realiseret besparelse" in page
    assert reverse("reports:scorecard", args=[data.odense.pk]) in page
