"""Access cases for joint tenders: shared tender pages, tenant-owned answers, secretariat actions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tenders.models import Lot, Participation, Tender, TenderStatus, VolumeDeclaration
from tenders.services import tender_pool_volumes

from .matrix import (
    LOGIN,
    MEMBER,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    Case,
    expect,
    only,
)

REF = "2026-914"
PUBLISHED_REF = "2026-915"  # published: its conditions change only through a corrigendum
BAD_REQUEST = 400


def setup(world: Any) -> None:
    cast = world.cast
    tender = Tender.objects.create(
        reference=REF, title="Adgangstest", procedure_type="open", lead_organisation=cast.secretariat,
        status=TenderStatus.VOLUME_COLLECTION,
    )  # fmt: skip
    lot = Lot.objects.create(tender=tender, number=1, title="Delaftale")
    for member in (cast.odense, cast.aarhus):
        p = Participation.objects.create(tender=tender, member=member, answer="participate")
        VolumeDeclaration.objects.create(participation=p, lot=lot, annual_volume=1000)
    tender_pool_volumes(tender=tender, user=cast.staff)
    world.objects["tender"] = tender
    published = Tender.objects.create(
        reference=PUBLISHED_REF, title="Offentliggjort adgangstest", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PUBLISHED,
    )  # fmt: skip
    Lot.objects.create(tender=published, number=1, title="Delaftale")
    world.objects["published_tender"] = published


def _url(name: str, *extra: object) -> Any:
    return lambda w: reverse(name, args=[REF, *extra])


def _published(name: str, *extra: object) -> Any:
    return lambda w: reverse(name, args=[PUBLISHED_REF, *extra])


ANSWER_OWN = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK)

CASES: list[Case] = [
    Case("tenders:list", expect(OK, anonymous=LOGIN)),
    Case("tenders:my", only(MEMBER)),
    Case("tenders:create", only(SECRETARIAT)),
    Case("tenders:thresholds", only(SECRETARIAT)),
    Case("tenders:deadlines", only(SECRETARIAT)),
    Case("tenders:deadlines", expect(METHOD_NOT_ALLOWED), method="post", label="POST"),
    Case("tenders:thresholds", only(SECRETARIAT, BAD_REQUEST), method="post", label="POST invalid"),
    Case("tenders:create", only(SECRETARIAT, BAD_REQUEST), method="post", label="POST invalid"),
    Case("tenders:detail", expect(OK, anonymous=LOGIN), path=_url("tenders:detail")),
    Case(
        "tenders:detail",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/tenders/1999-000/",
        label="missing",
    ),
    Case("tenders:edit", only(SECRETARIAT), path=_url("tenders:edit")),
    Case("tenders:criteria", only(SECRETARIAT), path=_url("tenders:criteria")),
    Case("tenders:lot_create", only(SECRETARIAT), path=_url("tenders:lot_create")),
    # A corrigendum is issued by the secretariat only, for a published tender; members see the
    # corrigenda on the tender page.
    Case(
        "tenders:corrigendum_create",
        only(SECRETARIAT),
        path=_published("tenders:corrigendum_create"),
    ),
    Case(
        "tenders:corrigendum_create",
        only(SECRETARIAT, BAD_REQUEST),
        path=_published("tenders:corrigendum_create"),
        method="post",
        label="POST invalid",
    ),
    # Not published yet: sent back to the tender page with the reason.
    Case(
        "tenders:corrigendum_create",
        only(SECRETARIAT, REDIRECT),
        path=_url("tenders:corrigendum_create"),
        label="not published",
    ),
    Case(
        "tenders:corrigendum_create",
        only(SECRETARIAT, NOT_FOUND),
        path="/tenders/1999-000/corrigenda/new/",
        label="missing",
    ),
    Case(
        "tenders:detail",
        expect(OK, anonymous=LOGIN),
        path=_published("tenders:detail"),
        label="published, with corrigenda section",
    ),
    # Published: the direct edit pages send the secretariat back to issue a corrigendum.
    Case(
        "tenders:criteria",
        only(SECRETARIAT, REDIRECT),
        path=_published("tenders:criteria"),
        method="post",
        label="published",
    ),
    Case(
        "tenders:edit",
        only(SECRETARIAT, REDIRECT),
        path=_published("tenders:edit"),
        label="published",
    ),
    Case(
        "tenders:lot_edit",
        only(SECRETARIAT, REDIRECT),
        path=_published("tenders:lot_edit", 1),
        method="post",
        label="published",
    ),
    Case("tenders:lot_edit", only(SECRETARIAT), path=_url("tenders:lot_edit", 1)),
    # Refused during volume collection (a message, and back to the tender page).
    Case(
        "tenders:lot_delete",
        only(SECRETARIAT, REDIRECT),
        path=_url("tenders:lot_delete", 1),
        method="post",
    ),
    Case(
        "tenders:lot_delete",
        expect(METHOD_NOT_ALLOWED),
        path=_url("tenders:lot_delete", 1),
        label="GET",
    ),
    Case(
        "tenders:transition",
        only(SECRETARIAT, REDIRECT),
        path=_url("tenders:transition"),
        method="post",
        data={"to_status": "published"},  # refused by a guard: redirect back with the reason
    ),
    Case(
        "tenders:transition",
        expect(METHOD_NOT_ALLOWED),
        path=_url("tenders:transition"),
        label="GET",
    ),
    Case("tenders:pool", only(SECRETARIAT, REDIRECT), path=_url("tenders:pool"), method="post"),
    Case("tenders:pool", expect(METHOD_NOT_ALLOWED), path=_url("tenders:pool"), label="GET"),
    # Pooling progress is not private: every signed-in role may follow it.
    Case(
        "tenders:pooling_status", expect(OK, anonymous=LOGIN), path=_url("tenders:pooling_status")
    ),
    Case("tenders:live", only(SECRETARIAT), path=_url("tenders:live")),
    Case("tenders:live", only(SECRETARIAT), path=_url("tenders:live"), htmx=True, label="htmx"),
    # The export names every member's historical spend: secretariat only.
    Case("tenders:export", only(SECRETARIAT), path=_url("tenders:export")),
    Case(
        "tenders:participation",
        ANSWER_OWN,
        path=_url("tenders:participation", "odense"),
        label="own municipality",
    ),
    Case(
        "tenders:participation",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK),
        path=_url("tenders:participation", "aarhus"),
        label="other municipality",
    ),
    Case(
        "tenders:participation",
        expect(
            NOT_FOUND,
            anonymous=LOGIN,
            admin=BAD_REQUEST,
            staff=BAD_REQUEST,
            officer=BAD_REQUEST,
            viewer=403,
        ),
        path=_url("tenders:participation", "odense"),
        method="post",
        label="POST own, invalid",
    ),
    Case(
        "tenders:participation",
        expect(NOT_FOUND, anonymous=LOGIN, admin=BAD_REQUEST, staff=BAD_REQUEST),
        path=_url("tenders:participation", "aarhus"),
        method="post",
        label="POST other municipality",
    ),
    Case(
        "tenders:reopen",
        only(SECRETARIAT, REDIRECT),
        path=_url("tenders:reopen", "odense"),
        method="post",
    ),
    Case(
        "tenders:reopen",
        expect(METHOD_NOT_ALLOWED),
        path=_url("tenders:reopen", "odense"),
        label="GET",
    ),
]
