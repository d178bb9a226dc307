"""Access cases for tender timelines, the tender plan, calendar feeds and tender documents."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from tenders.models import TenderDocument, TenderStatus
from tenders.schedule import calendar_feed_token
from tests.tenders_timeline.factories import TenderFactory

from .matrix import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    SECRETARIAT,
    SIGNED_IN,
    Case,
    expect,
    only,
)


def _document(tender: Any) -> TenderDocument:
    document = TenderDocument(
        tender=tender, kind="authorities", version=1, content_type="application/pdf", size=8,
        sha256="0" * 64, data_snapshot={}, data_digest="0" * 64,
    )  # fmt: skip
    document.file.save("matrix.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    return document


def setup(world: Any) -> None:
    draft = TenderFactory(reference="2026-901", lead_organisation=world.cast.secretariat)
    published = TenderFactory(
        reference="2026-902",
        lead_organisation=world.cast.secretariat,
        status=TenderStatus.PUBLISHED,
    )
    world.objects["draft_document"] = _document(draft)
    world.objects["published_document"] = _document(published)
    world.objects["feed_token"] = calendar_feed_token(world.cast.officer)


def _download(key: str) -> Any:
    return lambda w: reverse("tender_timeline:document_download", args=[w.objects[key].pk])


TIMELINE = reverse("tender_timeline:timeline", args=["2026-901"])
DOCUMENTS = reverse("tender_timeline:documents", args=["2026-901"])
RENDER = reverse("tender_timeline:documents_render", args=["2026-901"])

CASES: list[Case] = [
    # The tender plan and a tender's timeline and documents are shared data: every role reads them.
    Case("tender_timeline:pipeline", only(SIGNED_IN)),
    Case("tender_timeline:timeline", only(SIGNED_IN), path=TIMELINE),
    Case(
        "tender_timeline:timeline",
        only(SIGNED_IN, NOT_FOUND),
        path=reverse("tender_timeline:timeline", args=["1999-999"]),
        label="missing",
    ),
    Case(
        "tender_timeline:timeline",
        only(SECRETARIAT, REDIRECT),
        path=TIMELINE,
        method="post",
        data={"publication": "2026-02-02T09:00", "bid_deadline_electronic": "on"},
        label="POST",
    ),
    Case("tender_timeline:documents", only(SIGNED_IN), path=DOCUMENTS),
    Case(
        "tender_timeline:documents_render", only(SECRETARIAT, REDIRECT), path=RENDER, method="post"
    ),
    Case("tender_timeline:documents_render", expect(METHOD_NOT_ALLOWED), path=RENDER, label="GET"),
    # Before publication the files are drafts for the secretariat; afterwards everyone's.
    Case(
        "tender_timeline:document_download",
        only(SECRETARIAT),
        path=_download("draft_document"),
        label="draft",
    ),
    Case(
        "tender_timeline:document_download",
        only(SIGNED_IN),
        path=_download("published_document"),
        label="published",
    ),
    Case(
        "tender_timeline:document_download",
        only(SIGNED_IN, NOT_FOUND),
        path=reverse("tender_timeline:document_download", args=[999999]),
        label="missing",
    ),
    # Template texts: the secretariat's.
    Case("tender_timeline:template_list", only(SECRETARIAT)),
    Case(
        "tender_timeline:template_edit",
        only(SECRETARIAT),
        path=reverse("tender_timeline:template_edit", args=["conditions"]),
    ),
    Case(
        "tender_timeline:template_edit",
        only(SECRETARIAT, REDIRECT),
        path=reverse("tender_timeline:template_edit", args=["conditions"]),
        method="post",
        data={"title": "Udbudsbetingelser", "introduction": "Tekst", "body": "", "closing": ""},
        label="POST",
    ),
    Case(
        "tender_timeline:template_edit",
        only(SECRETARIAT, NOT_FOUND),
        path=reverse("tender_timeline:template_edit", args=["no-such-kind"]),
        label="unknown kind",
    ),
    # Calendar: each user's own address; the feed itself is read with the secret address alone.
    Case("tender_timeline:calendar", only(SIGNED_IN)),
    Case("tender_timeline:calendar_reset", only(SIGNED_IN, REDIRECT), method="post"),
    Case("tender_timeline:calendar_reset", expect(METHOD_NOT_ALLOWED), label="GET"),
    Case(
        "tender_timeline:calendar_feed",
        expect(OK),
        path=lambda w: reverse("tender_timeline:calendar_feed", args=[w.objects["feed_token"]]),
    ),
    Case(
        "tender_timeline:calendar_feed",
        expect(NOT_FOUND),
        path=reverse("tender_timeline:calendar_feed", args=["1.forged:signature"]),
        label="forged address",
    ),
]
