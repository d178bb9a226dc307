# ruff: noqa: B008 (ninja declares parameters with Query(...) defaults)
"""Knowledge articles: the published ones, for every role (drafts, articles in review and archived
ones stay in the portal). Search uses the knowledge base's own Danish full-text search."""

# No `from __future__ import annotations`: ninja reads these signatures' types at import time.

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from agreements.status import AgreementStatus
from knowledge.models import Aim, Article, Kind, Lever, Phase, Status
from knowledge.selectors import SearchFilters, article_search

from ..auth import caller
from ..errors import AUTH_ERRORS, NOT_FOUND
from ..pagination import Pagination
from .tenders import CpvOut

PREFIX = "/knowledge"
router = Router(tags=["knowledge"])


class ArticleOut(Schema):
    id: int
    title: str
    kind: Kind
    summary: str
    phases: list[Phase]
    aims: list[Aim]
    levers: list[Lever]
    published_at: datetime.datetime | None
    review_date: datetime.date = Field(description="When the secretariat reviews it next")
    updated_at: datetime.datetime
    url: str = Field(description="The article in the portal")

    @staticmethod
    def resolve_url(obj: Article, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class AttachmentOut(Schema):
    filename: str
    content_type: str
    size: int
    url: str = Field(description="Download in the portal (signed in)")

    @staticmethod
    def resolve_url(obj: object, context: dict) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())  # type: ignore[attr-defined]


class RelatedAgreementOut(Schema):
    number: str = Field(description="Read it at /api/v1/agreements/{number}")
    title: str
    status: AgreementStatus


class ArticleDetailOut(ArticleOut):
    body_html: str = Field(description="The text rendered to sanitised HTML")
    body_markdown: str
    organisation: str
    categories: list[CpvOut]
    related_tenders: list[str] = Field(description="References of related tenders")
    related_agreements: list[RelatedAgreementOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_body_markdown(obj: Article) -> str:
        return obj.body

    @staticmethod
    def resolve_organisation(obj: Article) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_categories(obj: Article) -> list[dict]:
        return [{"code": code.code, "label": code.label} for code in obj.cpv_codes.all()]

    @staticmethod
    def resolve_related_tenders(obj: Article) -> list[str]:
        return [tender.reference for tender in obj.related_tenders.all()]

    @staticmethod
    def resolve_related_agreements(obj: Article) -> list[dict]:
        return [
            {"number": a.number, "title": a.title, "status": a.status}
            for a in obj.agreements.all()  # type: ignore[attr-defined]
        ]

    @staticmethod
    def resolve_attachments(obj: Article) -> list:
        return list(obj.attachments.all())


def _published(request: HttpRequest) -> QuerySet[Article]:
    return Article.objects.visible_to(request.auth).published()


@router.get("", response={200: list[ArticleOut], **AUTH_ERRORS}, url_name="article_list")
@paginate(Pagination)
def article_list(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Search words (Danish stemming), best first"),
    kind: Kind | None = None,
    phase: Phase | None = None,
    tag: Aim | Lever | None = Query(None, description="An aim or a lever"),
):
    """Published articles, newest first, or best match first when searching with `q`."""
    caller(request)
    filters = SearchFilters(
        query=q.replace("\x00", ""),  # PostgreSQL text cannot hold NUL
        kind=kind or "",
        phase=phase or "",
        tag=tag or "",
        status=Status.PUBLISHED,
    )
    return article_search(user=request.auth, filters=filters)


@router.get(
    "/{article_id}",
    response={200: ArticleDetailOut, **AUTH_ERRORS, **NOT_FOUND},
    url_name="article_detail",
)
def article_detail(request: HttpRequest, article_id: int):
    """One published article with its rendered text, categories, related tenders and agreements
    and attachments."""
    caller(request)
    return get_object_or_404(
        _published(request)
        .select_related("organisation")
        .prefetch_related("cpv_codes", "related_tenders", "agreements", "attachments"),
        pk=article_id,
    )
