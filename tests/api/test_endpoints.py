"""Every API endpoint for every role, called with a token as an integration would; and what each
endpoint does with the data it may see."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobs.models import Job
from tenders.models import Participation, VolumeDeclaration

from .conftest import ApiClient, api_client_for, token_for
from .test_areas import make_areas

ROLES = ("anonymous", "admin", "staff", "officer", "viewer", "board")
ALL = {"admin": 200, "staff": 200, "officer": 200, "viewer": 200, "board": 200}


def _odense_member(w):
    return w.cast.odense.pk


# (label, method, path or callable, body, {role: status}); anonymous is always 401 unless given.
ENDPOINTS = [
    ("members", "get", "/api/v1/members", None, ALL),
    ("member", "get", lambda w: f"/api/v1/members/{w.cast.aarhus.pk}", None, ALL),
    ("member missing", "get", "/api/v1/members/999999", None, dict.fromkeys(ALL, 404)),
    ("tenders", "get", "/api/v1/tenders", None, ALL),
    ("tender", "get", "/api/v1/tenders/2099-101", None, ALL),
    ("tender missing", "get", "/api/v1/tenders/1999-001", None, dict.fromkeys(ALL, 404)),
    ("agreements", "get", "/api/v1/agreements", None, ALL),
    ("agreement", "get", "/api/v1/agreements/API-2099-1", None, ALL),
    ("agreement missing", "get", "/api/v1/agreements/NO-SUCH", None, dict.fromkeys(ALL, 404)),
    ("articles", "get", "/api/v1/knowledge?q=rammeaftale", None, ALL),
    ("article", "get", lambda w: f"/api/v1/knowledge/{w.areas.articles['published'].pk}", None, ALL),
    ("article draft", "get", lambda w: f"/api/v1/knowledge/{w.areas.articles['odense_draft'].pk}",
     None, dict.fromkeys(ALL, 404)),
    ("compliance own", "get", "/api/v1/compliance/summary", None, ALL),
    ("compliance named", "get",
     lambda w: f"/api/v1/compliance/summary?member_id={w.cast.aarhus.pk}", None,
     {"admin": 200, "staff": 200, "officer": 404, "viewer": 404, "board": 403}),
    ("spend own", "get", "/api/v1/spend/summary", None,
     {"admin": 400, "staff": 400, "officer": 200, "viewer": 200, "board": 403}),
    ("spend named", "get", lambda w: f"/api/v1/spend/summary?member_id={w.cast.aarhus.pk}", None,
     {"admin": 200, "staff": 200, "officer": 404, "viewer": 404, "board": 403}),
    ("declarations", "get", "/api/v1/declarations", None,
     {"admin": 200, "staff": 200, "officer": 200, "viewer": 200, "board": 403}),
    ("declaration", "get", "/api/v1/declarations/2099-101/lots/1", None,
     {"admin": 400, "staff": 400, "officer": 200, "viewer": 200, "board": 403}),
    ("declaration named", "get",
     lambda w: f"/api/v1/declarations/2099-101/lots/1?member_id={w.cast.aarhus.pk}", None,
     {"admin": 200, "staff": 200, "officer": 404, "viewer": 404, "board": 403}),
    ("declaration own named", "get",
     lambda w: f"/api/v1/declarations/2099-101/lots/1?member_id={w.cast.odense.pk}", None,
     {"admin": 200, "staff": 200, "officer": 200, "viewer": 200, "board": 403}),
    ("declare", "put", "/api/v1/declarations/2099-101/lots/2", {"annual_volume": "5000.00"},
     {"admin": 403, "staff": 403, "officer": 201, "viewer": 403, "board": 403}),
    ("job", "get", lambda w: f"/api/v1/jobs/{w.job.pk}", None,
     {"admin": 200, "staff": 200, "officer": 200, "viewer": 200, "board": 404}),
    ("upload", "post", "/api/v1/spend/uploads", "file",
     {"admin": 400, "staff": 400, "officer": 202, "viewer": 403, "board": 403}),
    ("ocds", "get", "/api/v1/ocds/releases.json", None, {**ALL, "anonymous": 200}),
    ("openapi", "get", "/api/v1/openapi.json", None, {**ALL, "anonymous": 200}),
    ("docs", "get", "/api/v1/docs", None, {**ALL, "anonymous": 200}),
]  # fmt: skip


@pytest.fixture
def w(api_world):
    api_world.job = Job.objects.create(
        kind="spend.import", title="Import", organisation=api_world.cast.odense.organisation,
        task_name="x", state=Job.State.QUEUED,
    )  # fmt: skip
    return api_world


@pytest.fixture
def wa(w):
    """With agreements, articles and compliance figures as well."""
    w.areas = make_areas(w.cast)
    return w


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_endpoint_answers_each_role(endpoint, role, wa) -> None:
    w = wa
    _label, method, path, body, expected = endpoint
    client = api_client_for(w.cast.user(role))
    url = path(w) if callable(path) else path
    if method == "get":
        response = client.get(url)
    elif method == "put":
        response = client.put(url, body)
    else:
        upload = SimpleUploadedFile("spend.csv", b"a;b\n1;2\n", content_type="text/csv")
        response = client.client.post(url, {"file": upload}, headers=client.headers)
    assert response.status_code == expected.get(role, 401), response.content
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}


def test_session_user_reads_without_token(w) -> None:
    from tests.conftest import client_for

    assert client_for(w.cast.viewer).get("/api/v1/tenders").status_code == 200


def test_lists_are_paginated_with_count(w) -> None:
    client = api_client_for(w.cast.viewer)
    body = client.get("/api/v1/tenders", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 3
    assert [t["reference"] for t in body["items"]] == ["2099-101"]
    assert client.get("/api/v1/tenders", {"limit": 501}).status_code == 422


def test_tenders_filter_by_status_cpv_and_date(w) -> None:
    client = api_client_for(w.cast.viewer)
    refs = lambda **q: [t["reference"] for t in client.get("/api/v1/tenders", q).json()["items"]]  # noqa: E731
    assert refs(status="published") == ["2099-090"]
    assert refs(cpv="302") == []
    assert set(refs(cpv="3019")) == {"2099-120", "2099-101", "2099-090"}
    today = timezone.localdate()
    assert refs(deadline_from=today.isoformat()) == ["2099-101"]
    assert client.get("/api/v1/tenders", {"status": "nope"}).status_code == 422


def test_tender_detail_has_lots_and_timeline(w) -> None:
    body = api_client_for(w.cast.viewer).get("/api/v1/tenders/2099-101").json()
    assert [lot["number"] for lot in body["lots"]] == [1, 2]
    assert body["timeline"]["term_years"] == 2 and body["timeline"]["total_years"] == 4
    assert body["status"] == "volume_collection"
    assert body["main_cpv"]["code"] == "30192000-1"


def test_spend_summary_is_own_member_only(w) -> None:
    body = api_client_for(w.cast.officer).get("/api/v1/spend/summary").json()
    assert body["member_id"] == w.cast.odense.pk
    assert Decimal(body["total"]) == Decimal("3500.50")
    assert [r["key"] for r in body["rows"]] == ["2026-01", "2026-02"]
    by_supplier = (
        api_client_for(w.cast.officer).get("/api/v1/spend/summary", {"group_by": "supplier"}).json()
    )
    assert by_supplier["rows"][0]["key"] == w.supplier.cvr
    by_cpv = (
        api_client_for(w.cast.admin)
        .get("/api/v1/spend/summary", {"group_by": "cpv", "member_id": w.cast.aarhus.pk})
        .json()
    )
    assert Decimal(by_cpv["total"]) == Decimal("77777.77")
    assert by_cpv["rows"][0]["key"] == "30192000-1"
    filtered = (
        api_client_for(w.cast.officer)
        .get("/api/v1/spend/summary", {"date_from": "2026-02-01"})
        .json()
    )
    assert Decimal(filtered["total"]) == Decimal("2500.50")


def test_declarations_list_is_tenant_scoped(w) -> None:
    items = api_client_for(w.cast.viewer).get("/api/v1/declarations").json()["items"]
    assert {d["member_id"] for d in items} == {w.cast.odense.pk}
    assert len(api_client_for(w.cast.staff).get("/api/v1/declarations").json()["items"]) == 4


def test_secretariat_reads_any_members_declaration_but_never_writes_it(w) -> None:
    client = api_client_for(w.cast.staff)
    url = "/api/v1/declarations/2099-101/lots/1"
    body = client.get(url, {"member_id": w.cast.aarhus.pk}).json()
    assert body["member"] == "Aarhus" and Decimal(body["annual_volume"]) == Decimal("250000.00")
    unnamed = client.get(url)
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "member_required"
    assert client.get(url, {"member_id": 999999}).status_code == 404
    assert client.put(url, {"annual_volume": "1.00", "version": body["version"]}).status_code == 403


def test_officer_declares_and_changes_with_version(w) -> None:
    client = api_client_for(w.cast.officer)
    url = "/api/v1/declarations/2099-101/lots/2"
    created = client.put(url, {"annual_volume": "5000.00", "quantity": "10"})
    assert created.status_code == 201
    version = created.json()["version"]
    # Without the version, or with a stale one, a change is refused.
    assert client.put(url, {"annual_volume": "6000.00"}).json()["code"] == "version_conflict"
    changed = client.put(url, {"annual_volume": "6000.00", "version": version})
    assert changed.status_code == 200
    assert Decimal(changed.json()["annual_volume"]) == Decimal("6000.00")
    stale = client.put(url, {"annual_volume": "7000.00", "version": version})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert VolumeDeclaration.objects.get(lot__tender__reference="2099-101", lot__number=2,
                                         participation__member=w.cast.odense).annual_volume == Decimal("6000.00")  # fmt: skip


def test_declaration_locked_after_deadline(w) -> None:
    client = api_client_for(w.cast.officer)
    current = client.get("/api/v1/declarations/2099-090/lots/1").json()
    response = client.put(
        "/api/v1/declarations/2099-090/lots/1",
        {"annual_volume": "1.00", "version": current["version"]},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "deadline_passed"


def test_declaration_needs_participation(w) -> None:
    Participation.objects.filter(tender=w.open_tender, member=w.cast.odense).update(
        answer=Participation.Answer.DECLINE
    )
    response = api_client_for(w.cast.officer).put(
        "/api/v1/declarations/2099-101/lots/2", {"annual_volume": "1.00"}
    )
    assert response.status_code == 409 and response.json()["code"] == "not_participating"


def test_declaration_body_is_validated(w) -> None:
    response = api_client_for(w.cast.officer).put(
        "/api/v1/declarations/2099-101/lots/2", {"annual_volume": "-5"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["errors"][0]["loc"][-1] == "annual_volume"


def test_spend_upload_imports_the_file_and_answers_a_job_url(
    w, django_capture_on_commit_callbacks
) -> None:
    from spend.models import SpendImport
    from tests.factories import valid_cvr

    csv = f"CVR-nr.;Kreditor;Beløb ekskl. moms;Bilagsdato\n{valid_cvr(5)};Kontor A/S;1.234,50;03-03-2026\n"
    client = api_client_for(w.cast.officer)
    upload = SimpleUploadedFile("spend.csv", csv.encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.client.post(
            "/api/v1/spend/uploads", {"file": upload}, headers=client.headers
        )
    assert response.status_code == 202, response.content
    spend_import = SpendImport.objects.get()
    assert spend_import.member == w.cast.odense and spend_import.original_name == "spend.csv"
    assert spend_import.status == SpendImport.Status.IMPORTED and spend_import.lines_new == 1
    job_url = response.json()["job_url"]
    assert job_url.startswith("http://testserver/api/v1/jobs/")
    polled = client.get(job_url.removeprefix("http://testserver"))
    assert polled.status_code == 200 and polled.json()["state"] == "succeeded"
    # Another member's officer cannot poll it.
    assert api_client_for(w.cast.aarhus_officer).get(job_url).status_code == 404


def test_too_many_requests_is_429(w, settings) -> None:
    settings.API_THROTTLE_RATE = "3/m"
    client = ApiClient(token_for(w.cast.viewer, "read"))
    codes = [client.get("/api/v1/members").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/members").json()["code"] == "throttled"


def test_unknown_datetime_filters_are_taken_as_utc(w) -> None:
    since = (timezone.now() - datetime.timedelta(hours=1)).replace(tzinfo=None).isoformat()
    response = api_client_for(w.cast.viewer).get("/api/v1/tenders", {"updated_since": since})
    assert response.status_code == 200 and response.json()["count"] == 3
