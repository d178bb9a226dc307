"""The world the hostile corpus attacks: the standard cast, Odense's and Aarhus's imports,
articles and tender answers, and API tokens in every state. Built once per module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.models import ApiToken
from knowledge.models import Article, Kind, Status
from knowledge.services import article_create, attachment_add
from spend.models import SpendImport
from tests.api.conftest import ApiWorld, build_api_world, token_for
from tests.conftest import Cast, build_cast

from .files import CSV

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class World:
    cast: Cast
    api: ApiWorld
    objects: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def pk(self, key: str) -> int:
        return self.objects[key].pk


def _import(member: Any, user: Any, name: str, status: str = SpendImport.Status.PENDING) -> Any:
    spend_import = SpendImport(
        member=member, uploaded_by=user, original_name=name, sha256="0" * 64, size=len(CSV),
        format=SpendImport.Format.ERP_CSV, status=status,
    )  # fmt: skip
    spend_import.file.save(f"{member.pk}/{name}", ContentFile(CSV), save=False)
    spend_import.save()
    return spend_import


def _article(user: Any, title: str, status: str = Status.DRAFT) -> Article:
    article = article_create(user=user, title=title, kind=Kind.GUIDE, body="Tekst om udbud.")
    if status != Status.DRAFT:
        Article.objects.filter(pk=article.pk).update(status=status)
        article.refresh_from_db()
    return article


def _token(user: Any, grant: str, **changes: Any) -> str:
    secret = token_for(user, grant)
    token = ApiToken.objects.filter(user=user).latest("pk")
    if changes:
        ApiToken.objects.filter(pk=token.pk).update(**changes)
    return secret


def build_world() -> World:
    cast = build_cast()
    world = World(cast=cast, api=build_api_world(cast))
    objects = world.objects
    objects["import_odense"] = _import(cast.odense, cast.officer, "odense.csv")
    objects["import_aarhus"] = _import(cast.aarhus, cast.aarhus_officer, "aarhus.csv")
    objects["import_aarhus_done"] = _import(
        cast.aarhus, cast.aarhus_officer, "aarhus-indlaest.csv", SpendImport.Status.IMPORTED
    )
    objects["article_odense"] = _article(cast.officer, "Odenses kladde")
    objects["article_aarhus"] = _article(cast.aarhus_officer, "Aarhus' kladde")
    objects["article_published"] = _article(cast.staff, "Fælles procedure", Status.PUBLISHED)
    objects["attachment_aarhus"] = attachment_add(
        article=objects["article_aarhus"],
        user=cast.staff,
        upload=SimpleUploadedFile("bilag.pdf", PDF, content_type="application/pdf"),
    )
    past = timezone.now() - datetime.timedelta(days=1)
    rw, read = ApiToken.Scope.READ_WRITE, ApiToken.Scope.READ
    world.tokens = {
        "officer": _token(cast.officer, rw),
        "officer_read": _token(cast.officer, read),
        "officer_expired": _token(cast.officer, rw, expires_at=past),
        "officer_revoked": _token(cast.officer, rw, revoked_at=past),
        # Made read-write while the user was an officer; the user is a viewer (board member) now.
        "viewer": _token(cast.viewer, read, scope=rw),
        "board": _token(cast.board_member, read, scope=rw),
        "staff": _token(cast.staff, rw),
    }
    return world
