"""Access cases for the API (/api/v1/, signed in with the portal session as the docs page is;
tests/api/test_endpoints.py calls the same endpoints with tokens) and the token pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import ApiToken
from api.services import api_token_create
from jobs.models import Job
from tenders.models import Participation, VolumeDeclaration
from tests.api.conftest import make_tender
from tests.api.test_areas import make_areas

from .matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, SIGNED_IN, Case, expect

UNAUTHORISED, BAD_REQUEST, CREATED, ACCEPTED = 401, 400, 201, 202
MEMBERS_AND_SECRETARIAT = expect(OK, anonymous=UNAUTHORISED, board=FORBIDDEN)


def setup(world: Any) -> None:
    cast = world.cast
    tender = make_tender("2099-501", lead=cast.secretariat)
    for member in (cast.odense, cast.aarhus):
        participation = Participation.objects.create(
            tender=tender, member=member, answer=Participation.Answer.PARTICIPATE
        )
    # Aarhus' declaration on lot 1: the secretariat reads it, Odense's people do not find it.
    VolumeDeclaration.objects.create(
        participation=participation, lot=tender.lots.get(number=1), annual_volume=Decimal("1000")
    )
    world.objects["api_job"] = Job.objects.create(
        kind="spend.import", title="Import", organisation=cast.odense.organisation,
        task_name="x", started_by=cast.officer,
    )  # fmt: skip
    world.objects["api_areas"] = make_areas(cast)
    world.objects["officer_token"], _secret = api_token_create(
        user=cast.officer, name="BI", scope=ApiToken.Scope.READ, valid_days=30
    )


def _member(w: Any) -> str:
    return reverse("api:member_detail", kwargs={"member_id": w.cast.aarhus.pk})


def _revoke(w: Any) -> str:
    return reverse("api_tokens:revoke", args=[w.objects["officer_token"].pk])


DECLARATION = "/api/v1/declarations/2099-501/lots/2"


def _article(key: str) -> Any:
    return lambda w: f"/api/v1/knowledge/{w.objects['api_areas'].articles[key].pk}"


def _compliance_of(key: str) -> Any:
    return lambda w: f"/api/v1/compliance/summary?member_id={getattr(w.cast, key).pk}"


CASES: list[Case] = [
    # --- public: the schema, the docs and the open data ----------------------------------------
    Case("api:openapi-json", expect(OK)),
    Case("api:openapi-view", expect(OK)),
    Case("api:ocds_releases", expect(OK)),
    # The API's root has no operation: a 404 in the API's own error body.
    Case("api:api-root", expect(NOT_FOUND)),
    # --- shared data: every role ----------------------------------------------------------------
    Case("api:member_list", expect(OK, anonymous=UNAUTHORISED)),
    Case("api:member_detail", expect(OK, anonymous=UNAUTHORISED), path=_member),
    Case("api:tender_list", expect(OK, anonymous=UNAUTHORISED)),
    Case("api:tender_detail", expect(OK, anonymous=UNAUTHORISED), path="/api/v1/tenders/2099-501"),
    Case(
        "api:tender_detail",
        expect(NOT_FOUND, anonymous=UNAUTHORISED),
        path="/api/v1/tenders/1999-001",
        label="missing",
    ),
    Case("api:tender_list", expect(METHOD_NOT_ALLOWED), method="post", label="POST"),
    Case("api:agreement_list", expect(OK, anonymous=UNAUTHORISED)),
    Case(
        "api:agreement_detail",
        expect(OK, anonymous=UNAUTHORISED),
        path="/api/v1/agreements/API-2099-1",
    ),
    Case(
        "api:agreement_detail",
        expect(NOT_FOUND, anonymous=UNAUTHORISED),
        path="/api/v1/agreements/NO-SUCH",
        label="missing",
    ),
    Case("api:article_list", expect(OK, anonymous=UNAUTHORISED)),
    Case("api:article_detail", expect(OK, anonymous=UNAUTHORISED), path=_article("published")),
    # Drafts stay in the portal, even for their own organisation and the secretariat.
    Case(
        "api:article_detail",
        expect(NOT_FOUND, anonymous=UNAUTHORISED),
        path=_article("odense_draft"),
        label="draft",
    ),
    # --- tenant data ------------------------------------------------------------------------------
    Case(
        "api:spend_summary",
        expect(OK, anonymous=UNAUTHORISED, admin=BAD_REQUEST, staff=BAD_REQUEST, board=FORBIDDEN),
    ),
    Case(
        "api:spend_summary",
        expect(NOT_FOUND, anonymous=UNAUTHORISED, admin=OK, staff=OK, board=FORBIDDEN),
        path=lambda w: f"/api/v1/spend/summary?member_id={w.cast.aarhus.pk}",
        label="other member",
    ),
    # Compliance: members their own figures, the board and the secretariat consortium totals.
    Case("api:compliance_summary", expect(OK, anonymous=UNAUTHORISED)),
    Case(
        "api:compliance_summary",
        expect(OK, anonymous=UNAUTHORISED, board=FORBIDDEN),
        path=_compliance_of("odense"),
        label="own member",
    ),
    Case(
        "api:compliance_summary",
        expect(NOT_FOUND, anonymous=UNAUTHORISED, admin=OK, staff=OK, board=FORBIDDEN),
        path=_compliance_of("aarhus"),
        label="other member",
    ),
    Case("api:declaration_list", MEMBERS_AND_SECRETARIAT),
    # The secretariat reads any member's declaration but must name the member.
    Case(
        "api:declaration_detail",
        expect(
            NOT_FOUND,
            anonymous=UNAUTHORISED,
            admin=BAD_REQUEST,
            staff=BAD_REQUEST,
            board=FORBIDDEN,
        ),
        path=DECLARATION,
    ),
    Case(
        "api:declaration_detail",
        expect(NOT_FOUND, anonymous=UNAUTHORISED, admin=OK, staff=OK, board=FORBIDDEN),
        path=lambda w: f"/api/v1/declarations/2099-501/lots/1?member_id={w.cast.aarhus.pk}",
        label="other member named",
    ),
    Case(
        "api:declaration_put",
        expect(FORBIDDEN, anonymous=UNAUTHORISED, officer=CREATED),
        path=DECLARATION,
        method="put",
        data=lambda w: '{"annual_volume": "1000.00"}',
    ),
    Case(
        "api:job_detail",
        expect(OK, anonymous=UNAUTHORISED, board=NOT_FOUND),
        path=lambda w: f"/api/v1/jobs/{w.objects['api_job'].pk}",
    ),
    # The secretariat must name the member; the officer's upload starts the spend import.
    Case(
        "api:spend_upload",
        expect(
            FORBIDDEN,
            anonymous=UNAUTHORISED,
            admin=BAD_REQUEST,
            staff=BAD_REQUEST,
            officer=ACCEPTED,
        ),
        method="post",
        data=lambda w: {"file": SimpleUploadedFile("spend.csv", b"a;b\n", content_type="text/csv")},
    ),
    Case(
        "api:spend_upload",
        expect(422, anonymous=UNAUTHORISED),
        method="post",
        label="no file",
    ),
    # --- the token pages: every signed-in user manages their own tokens ---------------------------
    Case("api_tokens:list", expect(OK, anonymous="login")),
    Case("api_tokens:new", expect(OK, anonymous="login")),
    Case(
        "api_tokens:new",
        expect(OK, anonymous="login"),
        method="post",
        data={"name": "Excel", "scope": "read", "valid_days": "30"},
        label="POST",
    ),
    Case(
        "api_tokens:revoke",
        expect(NOT_FOUND, anonymous="login", officer=REDIRECT),
        path=_revoke,
        method="post",
    ),
    Case("api_tokens:revoke", expect(METHOD_NOT_ALLOWED), path=_revoke, label="GET"),
]

assert set(SIGNED_IN) == {"admin", "staff", "officer", "viewer", "board"}
