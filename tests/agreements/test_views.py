"""Pages and exports: who sees which compliance figures, charts beside tables, XLSX exports."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Organisation, Role
from agreements.models import AgreementDocument, ComplianceFigure
from agreements.selectors import (
    figure_scope,
    may_see_documents,
    top_suppliers_outside_agreements,
)
from agreements.services import agreement_terminate, compliance_recompute
from tests.conftest import client_for
from tests.factories import OrganisationFactory, UserFactory

from .conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(hand_world):
    compliance_recompute()
    return hand_world


def page(user, name: str, *args, **params) -> str:
    response = client_for(user).get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_secretariat_sees_every_member(computed) -> None:
    html = page(computed.cast.staff, "agreements:compliance", year=2025)
    assert "Odense" in html and "Aarhus" in html
    assert "<svg" in html and 'role="img"' in html
    assert "1.750,00" not in html  # per-year totals, not months of one member
    assert "3.950,00" in html  # A in 2025: 1750 + 1800 + 400


@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2)
def test_board_sees_aggregates_only(computed) -> None:
    html = page(computed.cast.board_member, "agreements:compliance", year=2025)
    assert "3.950,00" in html  # the consortium total for A
    assert "Odense" not in html and "Aarhus" not in html
    detail = page(computed.cast.board_member, "agreements:detail", computed.a.pk, year=2025)
    assert "2.150,00" in detail  # March 2025: Odense 1750 + Aarhus 400, one row
    assert reverse("agreements:member", args=[computed.cast.odense.pk]) not in detail
    response = client_for(computed.cast.board_member).get(
        reverse("agreements:member", args=[computed.cast.odense.pk])
    )
    assert response.status_code == 403


def test_board_export_has_no_member_column(computed) -> None:
    response = client_for(computed.cast.board_member).get(
        reverse("agreements:export_compliance"), {"year": 2025}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert "Medlem" not in header
    assert header[0] == "Aftalenummer"
    assert all("Odense" not in str(v) for row in sheet.iter_rows(values_only=True) for v in row)


def test_officer_sees_only_own_member(computed) -> None:
    html = page(computed.cast.aarhus_officer, "agreements:compliance", year=2025)
    assert "400,00" in html and "1.750,00" not in html and "3.950,00" not in html
    response = client_for(computed.cast.aarhus_officer).get(
        reverse("agreements:member", args=[computed.cast.odense.pk])
    )
    assert response.status_code == 404


def test_secretariat_export_in_danish_with_number_formats(computed) -> None:
    response = client_for(computed.cast.admin).get(
        reverse("agreements:export_compliance"), {"year": 2025}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == [
        "Aftalenummer", "Aftale", "Medlem", "Måned", "Forbrug i kategorierne (kr.)",
        "Forbrug hos aftalens leverandører (kr.)", "Aftaleloyalitet", "Realiseret besparelse (kr.)",
    ]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    first = sheet[2]
    assert first[2].value == "Aarhus" and first[4].value == 400  # ordered by member name
    assert first[4].number_format == "#,##0.00"
    assert first[6].number_format == "0.0%"


def test_outside_means_not_on_an_agreement_in_force_that_binds_the_member(computed) -> None:
    rows = {
        r["supplier__name"]: r["total"]
        for r in top_suppliers_outside_agreements(start=D(2025, 1, 1), end=D(2025, 12, 31))
    }
    assert rows == {
        "Kontor A/S": Decimal("7777.00"),  # Svendborg is not bound by A
        "PC Huset A/S": Decimal("3000.00"),  # Aarhus is not bound by B
        "Udenfor Aftale A/S": Decimal("2299.00"),  # 500 + 999 + 800: on no agreement at all
    }
    # In 2024 A was not in force yet: Odense's spend with its supplier was outside too.
    before = top_suppliers_outside_agreements(start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert [(r["supplier__name"], r["total"]) for r in before] == [
        ("Kontor A/S", Decimal("5000.00"))
    ]
    # Ended early: from the termination day the supplier's spend is outside again.
    agreement_terminate(agreement=computed.b, terminated_on=D(2025, 7, 15), reason="Konkurs")
    after = top_suppliers_outside_agreements(
        start=D(2025, 1, 1), end=D(2025, 12, 31), member_id=computed.cast.odense.pk
    )
    assert {r["supplier__name"]: r["total"] for r in after} == {
        "Udenfor Aftale A/S": Decimal("2299.00"),
        "PC Huset A/S": Decimal("333.33"),  # 20 July, after the termination
    }
    html = page(computed.cast.staff, "agreements:outside", year=2025)
    assert "Udenfor Aftale A/S" in html and "7.777,00" in html
    own = page(computed.cast.aarhus_officer, "agreements:outside", year=2025)
    assert "PC Huset A/S" in own and "Udenfor Aftale A/S" not in own


def test_outside_export_gives_nothing_to_a_user_whose_organisation_is_no_member(computed) -> None:
    orphan_org = OrganisationFactory(slug="ukendt", name="Ukendt", kind=Organisation.Kind.MEMBER)
    orphan = UserFactory(email="x@ukendt.test", organisation=orphan_org, role=Role.OFFICER)
    for name in ("agreements:outside", "agreements:export_outside"):
        response = client_for(orphan).get(reverse(name), {"year": 2025})
        assert response.status_code == 200
        if name.endswith("export_outside"):
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet.max_row == 1  # the header only
        else:
            assert "Udenfor Aftale A/S" not in response.content.decode()


def test_agreement_page_exports_its_figures(computed) -> None:
    url = reverse("agreements:export_agreement", args=[computed.a.pk])
    staff = client_for(computed.cast.staff).get(url, {"year": 2025})
    assert staff["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="aftaleloyalitet-2024-101-2025.xlsx"' in staff["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(staff.content)).active
    assert [c.value for c in sheet[1]][:4] == ["Aftalenummer", "Aftale", "Medlem", "Måned"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[4]) for r in rows] == [("Aarhus", 400), ("Odense", 1750), ("Odense", 1800)]
    assert sheet["E2"].number_format == "#,##0.00" and sheet["G2"].number_format == "0.0%"
    own = client_for(computed.cast.aarhus_officer).get(url, {"year": 2025})
    own_rows = list(
        load_workbook(io.BytesIO(own.content)).active.iter_rows(min_row=2, values_only=True)
    )
    assert [r[3] for r in own_rows] == [400]  # no member column: only Aarhus's own months
    html = page(computed.cast.staff, "agreements:detail", computed.a.pk, year=2025)
    assert url in html


def test_member_page_exports_the_members_figures(computed) -> None:
    url = reverse("agreements:export_member", args=[computed.cast.odense.pk])
    response = client_for(computed.cast.officer).get(url, {"year": 2025})
    assert 'filename="aftaleloyalitet-odense-2025.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[4]) for r in rows] == [
        ("2024-101", "Odense", 1750), ("2024-101", "Odense", 1800), ("2025-007", "Odense", 3333.33),
    ]  # fmt: skip
    other = client_for(computed.cast.aarhus_officer).get(url, {"year": 2025})
    assert other.status_code == 404
    assert client_for(computed.cast.board_member).get(url).status_code == 403
    html = page(computed.cast.officer, "agreements:member", computed.cast.odense.pk, year=2025)
    assert url in html


def test_board_sees_no_figures_for_an_agreement_with_too_few_members(computed) -> None:
    # A has figures from two members in 2025, B from one: below the minimum group of three.
    board = computed.cast.board_member
    detail = page(board, "agreements:detail", computed.b.pk, year=2025)
    assert "For få medlemmer til at vise tal" in detail
    assert "3.333,33" not in detail
    overview = page(board, "agreements:compliance", year=2025)
    assert "For få medlemmer til at vise tal" in overview
    assert "3.950,00" not in overview and "3.333,33" not in overview
    export = client_for(board).get(reverse("agreements:export_compliance"), {"year": 2025})
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 1
    per_agreement = client_for(board).get(
        reverse("agreements:export_agreement", args=[computed.b.pk]), {"year": 2025}
    )
    assert load_workbook(io.BytesIO(per_agreement.content)).active.max_row == 1
    # The secretariat and the members themselves still see their figures.
    assert "3.333,33" in page(computed.cast.staff, "agreements:detail", computed.b.pk, year=2025)
    assert "3.333,33" in page(computed.cast.officer, "agreements:detail", computed.b.pk, year=2025)
    with override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2):
        shown = page(board, "agreements:detail", computed.a.pk, year=2025)
        assert "3.950,00" in shown and "For få medlemmer" not in shown


def test_documents_upload_and_download_through_the_access_check(computed) -> None:
    staff = client_for(computed.cast.staff)
    response = staff.post(
        reverse("agreements:document_add", args=[computed.a.pk]),
        {"title": "Kontrakt", "file": SimpleUploadedFile("kontrakt.pdf", b"%PDF-1.7 demo")},
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    url = reverse("agreements:document", args=[computed.a.pk, document.pk])
    response = client_for(computed.cast.officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 demo"
    assert "attachment" in response["Content-Disposition"]
    bad = staff.post(
        reverse("agreements:document_add", args=[computed.a.pk]),
        {"title": "Virus", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert bad.status_code == 302 and AgreementDocument.objects.count() == 1


def test_agreement_list_filters_by_status(computed) -> None:
    html = page(computed.cast.viewer, "agreements:list", status="expired")
    assert "2024-101" not in html or "Udløbet" in html


@pytest.mark.parametrize(
    ("role", "per_member", "board", "member"),
    [
        ("admin", True, False, None),
        ("staff", True, False, None),
        ("officer", False, False, "odense"),
        ("viewer", False, False, "odense"),
        ("board", False, True, None),
    ],
)
def test_figure_scope_of_each_role(computed, role, per_member, board, member) -> None:
    scope = figure_scope(computed.cast.user(role))
    assert (scope.per_member, scope.board) == (per_member, board)
    assert (scope.member.organisation.slug if scope.member else None) == member
    slugs = "member__organisation__slug"
    every = set(ComplianceFigure.objects.values_list(slugs, flat=True))
    assert len(every) > 1
    assert set(scope.figures.values_list(slugs, flat=True)) == ({member} if member else every)


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [
        ("staff", True, True),
        ("board", True, True),
        ("officer", True, True),  # Odense is bound by both
        ("viewer", True, True),
        ("aarhus", True, False),  # Aarhus only by A
    ],
)
def test_agreement_documents_are_for_the_bound_members(computed, role, sees_a, sees_b) -> None:
    cast = computed.cast
    user = cast.aarhus_officer if role == "aarhus" else cast.user(role)
    assert may_see_documents(user, computed.a) is sees_a
    assert may_see_documents(user, computed.b) is sees_b
