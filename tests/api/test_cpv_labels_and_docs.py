"""CPV labels in the caller's language, and the documentation page in Danish or English."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cpv.models import CpvCode
from tests.conftest import client_for

from .conftest import api_client_for

pytestmark = pytest.mark.django_db


def get(user, path: str, language: str | None = None, **params):
    client = api_client_for(user)
    headers = {"Accept-Language": language} if language else {}
    return client.client.get(path, params, headers={**client.headers, **headers})


def test_cpv_labels_follow_accept_language(api_world) -> None:
    cpv = CpvCode.objects.get(code8="30192000")
    assert cpv.label_da != cpv.label_en
    officer = api_world.cast.officer
    english = get(officer, "/api/v1/tenders/2099-101").json()["main_cpv"]
    danish = get(officer, "/api/v1/tenders/2099-101", "da").json()["main_cpv"]
    asked_en = get(officer, "/api/v1/tenders/2099-101", "en-GB,da;q=0.5").json()["main_cpv"]
    assert english["label"] == cpv.label_en == asked_en["label"]
    assert danish["label"] == cpv.label_da
    assert english["code"] == danish["code"] == "30192000-1"

    rows_da = get(officer, "/api/v1/spend/summary", "da", group_by="cpv").json()["rows"]
    rows_en = get(officer, "/api/v1/spend/summary", "en", group_by="cpv").json()["rows"]
    assert [r["label"] for r in rows_da] == [cpv.label_da]
    assert [r["label"] for r in rows_en] == [cpv.label_en]


def test_the_openapi_document_says_so_in_both_languages(db) -> None:
    english = Client().get("/api/v1/openapi.json").json()
    assert "**CPV labels**" in english["info"]["description"]
    assert "English\nlabel by default" in english["info"]["description"]
    label = english["components"]["schemas"]["CpvOut"]["properties"]["label"]
    assert "Accept-Language: da" in label["description"]
    danish = Client().get("/api/v1/openapi.json", {"lang": "da"}).json()
    assert "**CPV-betegnelser**" in danish["info"]["description"]
    tags = {t for ops in danish["paths"].values() for op in ops.values() for t in op["tags"]}
    assert {"udbud", "aftaler", "forbrug"} <= tags


def test_the_docs_page_is_danish_with_a_switch_to_english(cast) -> None:
    # A visitor's browser asking for English still gets the portal's language, as on every page.
    page = Client().get("/api/v1/docs", headers={"Accept-Language": "en"})
    html = page.content.decode()
    assert '<html lang="da">' in html and page["Content-Language"] == "da"
    assert "<h1" in html and "API-dokumentation" in html
    assert re.search(r'<a [^>]*href="\?lang=en" lang="en"[^>]*>Read in English</a>', html)
    assert '"url": "/api/v1/openapi.json?lang=da"' in html
    assert '"deepLinking": false' in html  # no link inside each operation's button

    english = Client().get("/api/v1/docs", {"lang": "en"})
    html = english.content.decode()
    assert '<html lang="en">' in html and english["Content-Language"] == "en"
    assert "API documentation" in html and '"url": "/api/v1/openapi.json?lang=en"' in html
    assert re.search(r'<a [^>]*href="\?lang=da" lang="da"[^>]*>Læs på dansk</a>', html)

    # Signed in, the portal's language; ?lang still switches.
    officer = client_for(cast.officer)
    assert '<html lang="da">' in officer.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in officer.get("/api/v1/docs?lang=en").content.decode()
    assert '<html lang="da">' in Client().get("/api/v1/docs?lang=xx").content.decode()
