"""Agreements, knowledge articles and compliance figures through the API: what each role gets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from agreements.models import Agreement, AgreementSupplier, ComplianceFigure
from agreements.services import agreement_create
from cpv.models import CpvCode
from knowledge.models import Article, Status
from spend.models import Supplier
from tenders.models import TenderStatus
from tests.factories import valid_cvr
from tests.knowledge.conftest import make_article

from .conftest import api_client_for, json_leaves, make_tender

# Each member's figures are distinct, so a leak shows.
FIGURES = {"odense": ("100.00", "80.00", "8.00"), "aarhus": ("1000.00", "500.00", "50.00")}


@dataclass
class Areas:
    current: Agreement  # active, from a concluded tender, two ranked suppliers, paper category
    expired: Agreement
    articles: dict[str, Article]


def make_areas(cast: Any) -> Areas:
    today = timezone.localdate()
    tender = make_tender("2099-301", lead=cast.secretariat, status=TenderStatus.CONCLUDED,
                         deadline_days=-100)  # fmt: skip
    suppliers = [
        Supplier.objects.get_or_create(cvr=valid_cvr(700 + n), defaults={"name": name})[0]
        for n, name in ((1, "Kontorhuset A/S"), (2, "Papirlageret ApS"))
    ]
    current = agreement_create(
        number="API-2099-1", title="Kontorartikler", tender=tender, lot=tender.lots.get(number=1),
        start_date=today.replace(year=today.year - 1, month=1, day=1),
        base_end_date=today.replace(year=today.year + 1, month=12, day=31),
        members=[cast.odense, cast.aarhus],
        categories=CpvCode.objects.filter(code8="30192000"),
        suppliers=[(suppliers[0], 1), (suppliers[1], 2)],
        option_months=[12, 12], expected_annual_value=Decimal("1234000.00"),
        allocation=Agreement.Allocation.RANKING, agreement_price_level=Decimal("92"),
    )  # fmt: skip
    expired = agreement_create(
        number="API-2099-2", title="Rengøringsmidler", tender=tender,
        start_date=datetime.date(2018, 1, 1), base_end_date=datetime.date(2021, 12, 31),
        members=[cast.odense], suppliers=[(suppliers[1], None)],
        expected_annual_value=Decimal("260000.00"),
    )  # fmt: skip
    for key, member in (("odense", cast.odense), ("aarhus", cast.aarhus)):
        category, supplier, savings = (Decimal(v) for v in FIGURES[key])
        for month in (1, 2):
            ComplianceFigure.objects.create(
                agreement=current, member=member, month=datetime.date(2026, month, 1),
                category_spend=category, supplier_spend=supplier, savings=savings,
                computed_at=timezone.now(),
            )  # fmt: skip
    articles = {
        "published": make_article(
            cast.staff,
            status=Status.PUBLISHED,
            title="Rammeaftaler for kontorartikler",
            body="## Trin\n\nSådan **bruger** I rammeaftalen.",
        ),
        "odense_draft": make_article(cast.officer, title="Hemmelig kladde om papir"),
        "aarhus_review": make_article(
            cast.aarhus_officer, status=Status.IN_REVIEW, title="Aarhus' kladde om papir"
        ),
    }
    return Areas(current, expired, articles)


@pytest.fixture
def areas(api_world) -> Areas:
    return make_areas(api_world.cast)


# --- agreements ------------------------------------------------------------------------------------


def test_agreement_list_filters_by_status_category_and_date(api_world, areas) -> None:
    client = api_client_for(api_world.cast.viewer)
    numbers = lambda **p: [a["number"] for a in client.get("/api/v1/agreements", p).json()["items"]]  # noqa: E731
    assert set(numbers()) == {"API-2099-1", "API-2099-2"}
    assert numbers(status="expired") == ["API-2099-2"]
    assert numbers(status="active") == ["API-2099-1"]
    assert numbers(cpv="30192000") == numbers(cpv="301") == ["API-2099-1"]
    assert numbers(cpv="45") == []
    assert numbers(in_force_on="2020-06-01") == ["API-2099-2"]
    assert numbers(ends_to="2022-01-01") == ["API-2099-2"]
    assert numbers(ends_from="2022-01-01") == ["API-2099-1"]
    assert client.get("/api/v1/agreements", {"status": "open"}).status_code == 422


def test_agreement_detail_has_suppliers_period_options_members(api_world, areas) -> None:
    AgreementSupplier.objects.filter(agreement=areas.current).update(
        contact_name="Kim Kontakt", contact_email="kim@kontorhuset.test", contact_phone="70121314"
    )
    body = api_client_for(api_world.cast.board_member).get("/api/v1/agreements/API-2099-1").json()
    assert body["status"] == "active" and body["tender"] == "2099-301" and body["lot"] == 1
    assert [(s["name"], s["rank"]) for s in body["suppliers"]] == [
        ("Kontorhuset A/S", 1),
        ("Papirlageret ApS", 2),
    ]
    assert body["period"]["start"] == areas.current.start_date.isoformat()
    assert [o["months"] for o in body["options"]] == [12, 12]
    assert {m["name"] for m in body["members"]} == {"Odense", "Aarhus"}
    assert body["categories"][0]["code"].startswith("30192000")
    assert Decimal(body["expected_savings_rate"]) == Decimal("0.08")
    # Contact persons and documents are the portal's, not the API's.
    leaves = json_leaves(body)
    assert not [path for path, _value in leaves if "contact" in path or "document" in path]
    contacts = {"Kim Kontakt", "kim@kontorhuset.test", "70121314"}
    assert not [value for _path, value in leaves if value in contacts]


# --- knowledge -------------------------------------------------------------------------------------


def test_articles_are_published_only_for_every_role(api_world, areas) -> None:
    for user in (api_world.cast.officer, api_world.cast.staff, api_world.cast.aarhus_officer):
        client = api_client_for(user)
        titles = [a["title"] for a in client.get("/api/v1/knowledge").json()["items"]]
        assert titles == ["Rammeaftaler for kontorartikler"]
        for key in ("odense_draft", "aarhus_review"):
            response = client.get(f"/api/v1/knowledge/{areas.articles[key].pk}")
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"


def test_article_search_uses_danish_full_text(api_world, areas) -> None:
    client = api_client_for(api_world.cast.viewer)

    def found(q: str) -> list[str]:
        return [a["title"] for a in client.get("/api/v1/knowledge", {"q": q}).json()["items"]]

    assert found("rammeaftalen") == ["Rammeaftaler for kontorartikler"]  # stemmed, in the body
    assert found("kladde") == []  # drafts never match
    assert found("xylofon") == []


def test_article_detail_lists_related_agreements_with_status(api_world, areas) -> None:
    article = areas.articles["published"]
    areas.current.related_articles.add(article)
    areas.expired.related_articles.add(article)
    client = api_client_for(api_world.cast.officer)
    body = client.get(f"/api/v1/knowledge/{article.pk}").json()
    assert sorted(body["related_agreements"], key=lambda a: a["number"]) == [
        {"number": "API-2099-1", "title": "Kontorartikler", "status": "active"},
        {"number": "API-2099-2", "title": "Rengøringsmidler", "status": "expired"},
    ]
    assert body["related_tenders"] == []


def test_article_detail_has_rendered_html(api_world, areas) -> None:
    article = areas.articles["published"]
    body = api_client_for(api_world.cast.viewer).get(f"/api/v1/knowledge/{article.pk}").json()
    assert "<strong>bruger</strong>" in body["body_html"]
    assert body["body_markdown"].startswith("## Trin")
    assert body["url"].endswith(article.get_absolute_url())
    # A program's reading is not a person's: the "most used" count stays as it was.
    assert Article.objects.get(pk=article.pk).view_count == 0


# --- compliance ------------------------------------------------------------------------------------


def _compliance(user: Any, **params: Any) -> Any:
    return api_client_for(user).get("/api/v1/compliance/summary", params)


def test_member_sees_own_compliance_per_agreement_and_month(api_world, areas) -> None:
    body = _compliance(api_world.cast.viewer).json()
    assert body["scope"] == "member" and body["member_id"] == api_world.cast.odense.pk
    assert Decimal(body["total"]["category_spend"]) == Decimal("200.00")
    assert Decimal(body["total"]["compliance"]) == Decimal("0.8")
    assert [r["agreement"] for r in body["by_agreement"]] == ["API-2099-1"]
    assert [r["month"] for r in body["by_month"]] == ["2026-01", "2026-02"]
    assert body["by_member"] is None
    only_jan = _compliance(api_world.cast.viewer, date_to="2026-01-31").json()
    assert [r["month"] for r in only_jan["by_month"]] == ["2026-01"]
    assert _compliance(api_world.cast.viewer, agreement="API-2099-2").json()["by_month"] == []
    other = _compliance(api_world.cast.officer, member_id=api_world.cast.aarhus.pk)
    assert other.status_code == 404


def test_secretariat_sees_totals_per_member_or_names_one(api_world, areas) -> None:
    body = _compliance(api_world.cast.staff).json()
    assert body["scope"] == "consortium"
    assert Decimal(body["total"]["category_spend"]) == Decimal("2200.00")
    assert {r["member"] for r in body["by_member"]} == {"Odense", "Aarhus"}
    aarhus = _compliance(api_world.cast.staff, member_id=api_world.cast.aarhus.pk).json()
    assert aarhus["scope"] == "member" and aarhus["member"] == "Aarhus"
    assert Decimal(aarhus["total"]["savings"]) == Decimal("100.00")


@override_settings(AGREEMENTS_BOARD_MIN_MEMBERS=2)
def test_board_gets_consortium_totals_never_per_member(api_world, areas) -> None:
    response = _compliance(api_world.cast.board_member)
    body = response.json()
    assert body["scope"] == "consortium" and body["member"] is None and body["by_member"] is None
    assert Decimal(body["total"]["supplier_spend"]) == Decimal("1160.00")
    assert body["withheld_agreements"] == []
    names = [
        v for _p, v in json_leaves(body) if isinstance(v, str) and ("Odense" in v or "Aarhus" in v)
    ]
    assert names == []
    named = _compliance(api_world.cast.board_member, member_id=api_world.cast.odense.pk)
    assert named.status_code == 403 and named.json()["code"] == "permission_denied"


def test_board_gets_no_figures_of_an_agreement_with_too_few_members(api_world, areas) -> None:
    """As on the pages: what the board sees per agreement comes from at least three members."""
    body = _compliance(api_world.cast.board_member).json()
    assert body["withheld_agreements"] == ["API-2099-1"]
    assert body["by_agreement"] == [] and body["by_month"] == []
    assert Decimal(body["total"]["category_spend"]) == Decimal("0.00")
    staff = _compliance(api_world.cast.staff).json()
    assert staff["withheld_agreements"] == [] and staff["by_agreement"]
