"""Writes to the knowledge base. Views, tasks, demo data and tests all go through these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import SECRETARIAT_ROLES
from accounts.models import User
from consortium.emails import queue_email

from .attachments import check_attachment
from .models import Article, ArticleComment, ArticleVersion, Attachment, Status, VersionKind
from .rendering import render_markdown
from .workflow import AUTHORS, TRANSITIONS

CONTENT_FIELDS = ("title", "summary", "body")
META_FIELDS = ("kind", "phases", "aims", "levers", "owner", "review_date")


def _require_author(user: User) -> None:
    if not user.is_active or user.role not in AUTHORS:
        raise PermissionDenied


def _add_version(
    article: Article,
    *,
    user: User | None,
    note: str,
    kind: str = VersionKind.EDIT,
    restored_from: int | None = None,
) -> ArticleVersion:
    last = article.versions.aggregate(n=Max("number"))["n"] or 0
    version = ArticleVersion(
        article=article,
        number=last + 1,
        title=article.title,
        summary=article.summary,
        body=article.body,
        note=note[:300],
        kind=kind,
        restored_from=restored_from,
        author=user,
    )
    version.full_clean()
    version.save()
    return version


def _set_relations(
    article: Article, cpv_codes: Iterable[Any] | None, related_tenders: Iterable[Any] | None
) -> None:
    if cpv_codes is not None:
        article.cpv_codes.set(cpv_codes)
    if related_tenders is not None:
        article.related_tenders.set(related_tenders)


@transaction.atomic
def article_create(
    *,
    user: User,
    title: str,
    kind: str,
    summary: str = "",
    body: str = "",
    phases: list[str] | None = None,
    aims: list[str] | None = None,
    levers: list[str] | None = None,
    owner: User | None = None,
    review_date: date | None = None,
    cpv_codes: Iterable[Any] | None = None,
    related_tenders: Iterable[Any] | None = None,
    note: str = "",
) -> Article:
    """Create a draft owned by the author's organisation, with its first version."""
    _require_author(user)
    article = Article(
        title=title,
        kind=kind,
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        phases=list(phases or []),
        aims=list(aims or []),
        levers=list(levers or []),
        organisation=user.organisation,
        author=user,
        owner=owner or user,
        review_date=review_date or default_review_date(),
    )
    article.full_clean()
    article.save()
    _set_relations(article, cpv_codes, related_tenders)
    _add_version(article, user=user, note=note, kind=VersionKind.CREATED)
    return article


def default_review_date(today: date | None = None) -> date:
    """A year from today: procedures are looked at again at least once a year."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


@transaction.atomic
def article_update(
    *,
    article: Article,
    user: User,
    note: str = "",
    cpv_codes: Iterable[Any] | None = None,
    related_tenders: Iterable[Any] | None = None,
    restored_from: int | None = None,
    **changes: Any,
) -> ArticleVersion | None:
    """Save an edit; a change of title, summary or text becomes a new version (returned).

    `restored_from` marks the edit as restoring that version (see `article_restore_version`).
    """
    _require_author(user)
    unknown = set(changes) - set(CONTENT_FIELDS) - set(META_FIELDS)
    if unknown:
        raise TypeError(f"Unknown article fields: {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    content_changed = any(
        field in changes and changes[field] != getattr(article, field) for field in CONTENT_FIELDS
    )
    for field, value in changes.items():
        setattr(article, field, value)
    article.body_html = render_markdown(article.body)
    if article.review_date and article.review_date >= timezone.localdate():
        article.stale_flagged_at = None  # reviewed: the flag goes until the next date passes
    article.full_clean()
    article.save()
    _set_relations(article, cpv_codes, related_tenders)
    if content_changed:
        kind = VersionKind.EDIT if restored_from is None else VersionKind.RESTORED
        return _add_version(article, user=user, note=note, kind=kind, restored_from=restored_from)
    return None


def article_restore_version(
    *, article: Article, version: ArticleVersion, user: User
) -> ArticleVersion:
    """Make an old version's content current again, as a new version (history is kept)."""
    if version.article_id != article.pk:
        raise ValidationError(_("The version belongs to another article."))
    new = article_update(
        article=article,
        user=user,
        title=version.title,
        summary=version.summary,
        body=version.body,
        restored_from=version.number,
    )
    if new is None:
        raise ValidationError(
            _("Version %(number)d is already the current text.") % {"number": version.number}
        )
    return new


@transaction.atomic
def article_transition(*, article: Article, user: User, action: str, comment: str = "") -> Article:
    """Move an article through the workflow; PermissionDenied for the wrong role or tenant."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Unknown action."))
    own = article.organisation_id == user.organisation_id
    if user.role not in transition.roles or (
        transition.own_organisation_only and user.role not in SECRETARIAT_ROLES and not own
    ):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in transition.source:
        raise ValidationError(
            _("An article that is “%(status)s” cannot be changed that way.")
            % {"status": article.get_status_display()}
        )
    article.status = transition.target
    if transition.target == Status.PUBLISHED:
        article.published_at = timezone.now()
    article.full_clean()
    article.save(update_fields=["status", "published_at", "updated_at"])
    if comment.strip():
        article_comment(article=article, user=user, body=comment)
    if transition.target == Status.PUBLISHED:
        # Publishing ends the review: its comments, the publisher's last one included, are closed.
        article.comments.filter(closed_at__isnull=True).update(closed_at=article.published_at)
    if action in ("return", "publish") and article.author_id and article.author_id != user.pk:
        _notify_author(article, action)
    return article


def _notify_author(article: Article, action: str) -> None:
    author = article.author
    if author is None or not author.is_active:
        return
    queue_email(
        "emails/knowledge_reviewed",
        to=[author.email],
        context={
            "title": article.title,
            "published": action == "publish",
            "url": settings.SITE_URL + article.get_absolute_url(),
        },
        language=author.language,
    )


@transaction.atomic
def article_comment(*, article: Article, user: User, body: str) -> ArticleComment:
    _require_author(user)
    comment = ArticleComment(article=article, author=user, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


def article_record_view(*, article: Article) -> None:
    """Count a reading ("most used"); a plain increment, never a version or an audit event."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


@transaction.atomic
def attachment_add(*, article: Article, user: User, upload: UploadedFile) -> Attachment:
    _require_author(user)
    checked = check_attachment(upload.name or "", upload.size or 0, upload.file)
    attachment = Attachment(
        article=article,
        filename=checked.filename,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(checked.filename, upload, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user: User) -> None:
    _require_author(user)
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def articles_flag_stale(*, today: date | None = None) -> int:
    """Flag published articles past their review date and e-mail each owner once about theirs.

    Idempotent: an article already flagged is not flagged or mailed again until it has been
    reviewed (its review date moved) and has passed the new date.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    newly = list(
        Article.objects.stale(today)
        .filter(stale_flagged_at__isnull=True)
        .select_related("owner", "author")
        .select_for_update(of=("self",))
    )
    by_owner: dict[int, list[Article]] = defaultdict(list)
    owners: dict[int, User] = {}
    for article in newly:
        person = article.owner or article.author
        if person is not None and person.is_active:
            by_owner[person.pk].append(article)
            owners[person.pk] = person
    Article.objects.filter(pk__in=[a.pk for a in newly]).update(stale_flagged_at=now)
    for pk, articles in by_owner.items():
        owner = owners[pk]
        queue_email(
            "emails/knowledge_stale",
            to=[owner.email],
            context={
                "name": owner.get_short_name(),
                "articles": [
                    {
                        "title": a.title,
                        "review_date": date_format(a.review_date, "SHORT_DATE_FORMAT"),
                        "url": settings.SITE_URL + reverse("knowledge:detail", args=[a.pk]),
                    }
                    for a in articles
                ],
            },
            language=owner.language,
        )
    return len(newly)
