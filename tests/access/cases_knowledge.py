"""Access cases for the knowledge base.

Published articles are shared; drafts belong to the author's organisation and the secretariat
(another municipality's draft is a 404); officers edit only their organisation's drafts (a
published article they may read is a 403 to edit); viewers and the board never write.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import Article, Kind, Status
from knowledge.services import article_create, article_update, attachment_add

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

AUTHORS = ("admin", "staff", "officer")
PDF = b"%PDF-1.4\n%%EOF\n"
BAD_REQUEST = 400


def _article(user: Any, title: str, status: str = Status.DRAFT) -> Article:
    article = article_create(user=user, title=title, kind=Kind.GUIDE, body="Tekst om udbud.")
    if status != Status.DRAFT:
        Article.objects.filter(pk=article.pk).update(status=status)
        article.refresh_from_db()
    return article


def setup(world: Any) -> None:
    cast, objects = world.cast, world.objects
    objects["ka_draft"] = _article(cast.officer, "Odenses kladde")
    objects["ka_aarhus"] = _article(cast.aarhus_officer, "Aarhus' kladde")
    published = _article(cast.staff, "Fælles procedure", Status.PUBLISHED)
    article_update(article=published, user=cast.staff, body="Ny tekst om udbud.")
    objects["ka_published"] = published
    for key in ("ka_draft", "ka_aarhus", "ka_published"):
        objects[f"{key}_file"] = attachment_add(
            article=objects[key],
            user=cast.staff,
            upload=SimpleUploadedFile("bilag.pdf", PDF, content_type="application/pdf"),
        )


def _file_url(name: str, key: str) -> Any:
    return lambda w: reverse(f"knowledge:{name}", args=[w.objects[key].pk])


def _url(name: str, key: str, *extra: Any) -> Any:
    return lambda w: reverse(f"knowledge:{name}", args=[w.objects[key].pk, *extra])


# Outcomes for an Odense draft, another member's draft and a published article.
OWN_DRAFT_READ = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK)
OTHER_DRAFT_READ = expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK)
SHARED_READ = expect(OK, anonymous=LOGIN)


def _write(own: Any, other: Any, shared: Any, ok: Any = REDIRECT) -> list[dict[str, Any]]:
    """Write outcomes on the three articles: viewers and the board are refused by role."""
    base = {"anonymous": LOGIN, "viewer": FORBIDDEN, "board": FORBIDDEN, "admin": ok, "staff": ok}
    return [{**base, "officer": own}, {**base, "officer": other}, {**base, "officer": shared}]


def _three(name: str, outcomes: list[dict[str, Any]], *extra: Any, **kw: Any) -> list[Case]:
    keys = [("ka_draft", "own draft"), ("ka_aarhus", "other member's draft"),
            ("ka_published", "published")]  # fmt: skip
    return [
        Case(f"knowledge:{name}", outcome, path=_url(name, key, *extra), label=label, **kw)
        for (key, label), outcome in zip(keys, outcomes, strict=True)
    ]


CASES: list[Case] = [
    Case("knowledge:home", SHARED_READ),
    Case("knowledge:search", SHARED_READ),
    Case("knowledge:search", SHARED_READ, path="/knowledge/search/?q=udbud&phase=tender", label="query"),
    Case("knowledge:search", SHARED_READ, path="/knowledge/search/?q=udbud", htmx=True, label="htmx"),
    Case("knowledge:new", only(AUTHORS)),
    Case("knowledge:new", only(AUTHORS, BAD_REQUEST), method="post", data={"title": ""}, label="POST invalid"),
    Case("knowledge:preview", only(AUTHORS), method="post", data={"body": "**x**"}, htmx=True),
    Case("knowledge:preview", expect(METHOD_NOT_ALLOWED), label="GET"),
    Case("knowledge:review_queue", only(SECRETARIAT)),
    Case("knowledge:stale", only(SECRETARIAT)),
    Case("knowledge:detail", expect(NOT_FOUND, anonymous=LOGIN), path="/knowledge/999999/", label="missing"),
    *_three("detail", [OWN_DRAFT_READ, OTHER_DRAFT_READ, SHARED_READ]),
    *_three("edit", _write(OK, NOT_FOUND, FORBIDDEN, ok=OK)),
    *_three("compare", [OWN_DRAFT_READ, OTHER_DRAFT_READ, SHARED_READ]),
    *_three("version", [OWN_DRAFT_READ, OTHER_DRAFT_READ, SHARED_READ], 1),
    *_three("version_restore", _write(REDIRECT, NOT_FOUND, FORBIDDEN), 1, method="post"),
    Case("knowledge:version_restore", expect(METHOD_NOT_ALLOWED), path=_url("version_restore", "ka_draft", 1), label="GET"),
    # Submitting is the officer's own act; publishing and archiving are the secretariat's.
    *_three("transition", _write(REDIRECT, NOT_FOUND, FORBIDDEN), method="post", data={"action": "submit"}),
    Case(
        "knowledge:transition",
        {**_write(FORBIDDEN, NOT_FOUND, FORBIDDEN)[2]},
        path=_url("transition", "ka_published"),
        method="post",
        data={"action": "archive"},
        label="archive published",
    ),
    Case("knowledge:transition", expect(METHOD_NOT_ALLOWED), path=_url("transition", "ka_draft"), label="GET"),
    # Review comments are internal to the author's organisation and the secretariat.
    *_three("comment", _write(REDIRECT, NOT_FOUND, FORBIDDEN), method="post", data={"body": "Godt."}),
    *_three("attachment_upload", _write(REDIRECT, NOT_FOUND, FORBIDDEN), method="post"),
    Case(
        "knowledge:attachment",
        expect(NOT_FOUND, anonymous=LOGIN, admin=OK, staff=OK, officer=OK, viewer=OK),
        path=lambda w: reverse("knowledge:attachment", args=[w.objects["ka_draft_file"].pk]),
        label="own draft",
    ),
    Case(
        "knowledge:attachment",
        OTHER_DRAFT_READ,
        path=lambda w: reverse("knowledge:attachment", args=[w.objects["ka_aarhus_file"].pk]),
        label="other member's draft",
    ),
    Case(
        "knowledge:attachment",
        SHARED_READ,
        path=lambda w: reverse("knowledge:attachment", args=[w.objects["ka_published_file"].pk]),
        label="published",
    ),
    *[
        Case(
            "knowledge:attachment_delete",
            outcome,
            path=_file_url("attachment_delete", key),
            method="post",
            label=label,
        )
        for key, label, outcome in zip(
            ["ka_draft_file", "ka_aarhus_file", "ka_published_file"],
            ["own draft", "other member's draft", "published"],
            _write(REDIRECT, NOT_FOUND, FORBIDDEN),
            strict=True,
        )
    ],
]  # fmt: skip
