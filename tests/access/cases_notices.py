"""Access cases for EU notices: a tender's notices are the secretariat's until it is published;
then everyone signed in sees and downloads the versions without errors."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from notices.models import Notice
from tenders.models import Lot, Tender, TenderStatus

from .matrix import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    Case,
    expect,
    only,
)

DRAFT_REF = "2026-931"  # volume collection: its notices are drafts
PUBLISHED_REF = "2026-932"
BAD_REQUEST = 400


def _notice(tender: Tender, kind: str, version: int, errors: int) -> Notice:
    return Notice.objects.create(
        tender=tender, kind=kind, version=version, xml="<notice/>", sha256="0" * 64,
        data_snapshot={"reference": tender.reference, "buyers": [], "lots": []},
        data_digest="0" * 64, sdk_version="1.15.1", error_count=errors,
        validation={"findings": [], "xsd_errors": []},
    )  # fmt: skip


def setup(world: Any) -> None:
    cast = world.cast
    draft = Tender.objects.create(
        reference=DRAFT_REF, title="Bekendtgørelse, udkast", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.VOLUME_COLLECTION,
    )  # fmt: skip
    Lot.objects.create(tender=draft, number=1, title="Delaftale")
    world.objects["draft_notice"] = _notice(draft, "pin", 1, 0)
    published = Tender.objects.create(
        reference=PUBLISHED_REF, title="Bekendtgørelse, offentliggjort", procedure_type="open",
        lead_organisation=cast.secretariat, status=TenderStatus.PUBLISHED,
    )  # fmt: skip
    world.objects["valid_notice"] = _notice(published, "contract", 1, 0)
    world.objects["invalid_notice"] = _notice(published, "contract", 2, 3)


def _notice_url(name: str, key: str) -> Any:
    def build(world: Any) -> str:
        notice = world.objects[key]
        return reverse(name, args=[notice.tender.reference, notice.pk])

    return build


def _url(name: str, reference: str) -> Any:
    return lambda w: reverse(name, args=[reference])


EVERYONE = expect(OK, anonymous=LOGIN)

CASES: list[Case] = [
    Case("notices:list", only(SECRETARIAT), path=_url("notices:list", DRAFT_REF)),
    Case("notices:list", EVERYONE, path=_url("notices:list", PUBLISHED_REF), label="published"),
    Case(
        "notices:list", EVERYONE, path=_url("notices:list", PUBLISHED_REF), label="htmx", htmx=True
    ),
    Case(
        "notices:list",
        expect(NOT_FOUND, anonymous=LOGIN),
        path="/tenders/1999-000/notices/",
        label="missing",
    ),
    Case("notices:detail", only(SECRETARIAT), path=_notice_url("notices:detail", "draft_notice")),
    Case(
        "notices:detail",
        EVERYONE,
        path=_notice_url("notices:detail", "valid_notice"),
        label="published",
    ),
    Case(
        "notices:detail",
        only(SECRETARIAT),
        path=_notice_url("notices:detail", "invalid_notice"),
        label="published, with errors",
    ),
    Case(
        "notices:download", only(SECRETARIAT), path=_notice_url("notices:download", "draft_notice")
    ),
    Case(
        "notices:download",
        EVERYONE,
        path=_notice_url("notices:download", "valid_notice"),
        label="published",
    ),
    # A notice with errors is never handed out, not even to the secretariat.
    Case(
        "notices:download",
        expect(FORBIDDEN, anonymous=LOGIN),
        path=_notice_url("notices:download", "invalid_notice"),
        label="with errors",
    ),
    Case(
        "notices:generate",
        only(SECRETARIAT, REDIRECT),
        path=_url("notices:generate", DRAFT_REF),
        method="post",
        data={"kind": "pin"},
    ),
    Case(
        "notices:generate",
        expect(METHOD_NOT_ALLOWED),
        path=_url("notices:generate", DRAFT_REF),
        label="GET",
    ),
    Case("notices:received", only(SECRETARIAT), path=_url("notices:received", DRAFT_REF)),
    Case(
        "notices:received",
        only(SECRETARIAT, BAD_REQUEST),
        path=_url("notices:received", DRAFT_REF),
        method="post",
        label="POST invalid",
    ),
    Case("notices:suppliers", only(SECRETARIAT), path=_url("notices:suppliers", DRAFT_REF)),
    # No agreements yet: nothing to save, back to the notices.
    Case(
        "notices:suppliers",
        only(SECRETARIAT, REDIRECT),
        path=_url("notices:suppliers", DRAFT_REF),
        method="post",
        label="POST",
    ),
]
