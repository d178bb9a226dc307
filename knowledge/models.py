"""The knowledge base: articles with versions, attachments, review comments and tags.

An article belongs to the organisation of the person who wrote it (its tenant). Published
articles are shared data that every signed-in user may read; drafts, articles in review and
archived ones are seen only by the author's organisation and the secretariat (`visible_to`).

Related agreements are a seam: the agreements app links its agreements to articles from its own
side (`Agreement.related_articles`, read here as `article.agreements`), so this app never imports
it. `knowledge.selectors.article_related_agreements` is the one place that reads that link.
"""

from __future__ import annotations

from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import ALL_ROLES, SECRETARIAT_ROLES, TenantQuerySet, has_role
from accounts.models import Role
from consortium.auditing import audited
from consortium.models import TimeStampedModel


class Kind(models.TextChoices):
    STANDARD_PROCEDURE = "standard_procedure", _("Standard procedure")
    TEMPLATE = "template", _("Template")
    METHOD = "method", _("Method")
    ANALYSIS = "analysis", _("Analysis")
    GUIDE = "guide", _("Guide")
    MEMBER_CASE = "member_case", _("Member case")


class Phase(models.TextChoices):
    """The phases of a procurement procedure."""

    NEEDS = "needs", _("Needs")
    MARKET_DIALOGUE = "market_dialogue", _("Market dialogue")
    TENDER = "tender", _("Tender")
    EVALUATION = "evaluation", _("Evaluation")
    CONTRACT_MANAGEMENT = "contract_management", _("Contract management")


class Aim(models.TextChoices):
    """The three aims of KL's joint procurement strategy "Sammen om indkøb og forbrug" (2024)."""

    QUALITY = "quality", _("Quality and value for citizens and staff")
    CLIMATE = "climate", _("Lower climate and environmental impact")
    BUDGET_ROOM = "budget_room", _("Freed budget room")


class Lever(models.TextChoices):
    """The strategy's seven levers."""

    RETHINK_NEED = "rethink_need", _("Rethink need and consumption")
    STANDARDISE = "standardise", _("Standardise, simplify, align")
    REQUIREMENTS = "requirements", _("Set requirements and create competition")
    BEHAVIOUR = "behaviour", _("Mind behaviour")
    DATA = "data", _("Use data and management information")
    DIGITAL = "digital", _("Use AI, digitalisation and automation")
    COLLABORATE = "collaborate", _("Collaborate")


# Aims and levers are the "tags" a reader filters by; their values never overlap.
TAG_CHOICES: list[tuple[str, Any]] = [*Aim.choices, *Lever.choices]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleQuerySet(TenantQuerySet["Article"]):
    def visible_to(self, user: Any) -> ArticleQuerySet:
        """Published articles for every signed-in user; the rest as for any tenant data."""
        if not has_role(user, ALL_ROLES):
            return self.none()
        if user.role in SECRETARIAT_ROLES:
            return self.all()
        return self.filter(Q(status=Status.PUBLISHED) | Q(organisation_id=user.organisation_id))

    def editable_by(self, user: Any) -> ArticleQuerySet:
        """The secretariat edits every article; an officer only their organisation's drafts."""
        if not has_role(user, ALL_ROLES):
            return self.none()
        if user.role in SECRETARIAT_ROLES:
            return self.all()
        if user.role != Role.OFFICER:
            return self.none()
        return self.filter(organisation_id=user.organisation_id, status=Status.DRAFT)

    def published(self) -> ArticleQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def stale(self, today: Any = None) -> ArticleQuerySet:
        """Published articles whose review date has passed."""
        today = today or timezone.localdate()
        return self.published().filter(review_date__lt=today)


SEARCH_VECTOR_SQL = """
NEW.search_head :=
    setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.summary, '')), 'B');
NEW.search_vector :=
    NEW.search_head || setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.body, '')), 'C');
RETURN NEW;
"""


@audited(exclude=["search_vector", "search_head", "body_html", "view_count"])
class Article(TimeStampedModel):
    """A procedure, template, method, analysis, guide or member case (vidensartikel)."""

    tenant_path = "organisation"
    # Published articles are the consortium's shared knowledge: anyone signed in reads them.
    tenant_public_sql = "status = 'published'"

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    # The body rendered to sanitised HTML when saved, so pages never render Markdown.
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
    )
    review_date = models.DateField(_("review date"))
    stale_flagged_at = models.DateTimeField(_("flagged as stale"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    phases = ArrayField(
        models.CharField(max_length=30, choices=Phase.choices),
        verbose_name=_("phases"),
        default=list,
        blank=True,
    )
    aims = ArrayField(
        models.CharField(max_length=30, choices=Aim.choices),
        verbose_name=_("aims"),
        default=list,
        blank=True,
    )
    levers = ArrayField(
        models.CharField(max_length=30, choices=Lever.choices),
        verbose_name=_("levers"),
        default=list,
        blank=True,
    )
    cpv_codes = models.ManyToManyField(
        "cpv.CpvCode", verbose_name=_("categories (CPV)"), blank=True, related_name="+"
    )
    related_tenders = models.ManyToManyField(
        "tenders.Tender",
        verbose_name=_("related tenders"),
        blank=True,
        related_name="knowledge_articles",
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Kept by a database trigger (title A, summary B, body C, Danish stemming), so bulk
    # writes and raw SQL can never leave them stale. `search_vector` (GIN-indexed) finds the
    # matches; the small `search_head` (title and summary only) ranks them cheaply — see
    # knowledge/selectors.py for why.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    search_head = SearchVectorField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            GinIndex(fields=["phases"], name="article_phases_gin"),
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["status", "review_date"], name="article_status_review"),
            # The home page's most used articles: the first five in this order, not a sort of
            # every published article (63 ms on 18,000 under row-level security).
            models.Index(
                fields=["-view_count", "title"],
                name="article_most_used",
                condition=models.Q(status="published", view_count__gt=0),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="article_search_vector",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("title", "summary", "body"),
                func=SEARCH_VECTOR_SQL,
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def tags(self) -> list[str]:
        return [*self.aims, *self.levers]

    def get_phase_labels(self) -> list[str]:
        return [Phase(p).label for p in self.phases]

    def get_aim_labels(self) -> list[str]:
        return [Aim(a).label for a in self.aims]

    def get_lever_labels(self) -> list[str]:
        return [Lever(lv).label for lv in self.levers]

    def is_stale(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == Status.PUBLISHED and self.review_date < today


class VersionKind(models.TextChoices):
    """What made a version. The portal's own notes ("Created", "Restored from version 2") are
    stored as a kind, not as text, so every reader sees them in their own language."""

    EDIT = "edit", _("Edited")
    CREATED = "created", _("Created")
    RESTORED = "restored", _("Restored")


class ArticleVersion(models.Model):
    """The content of an article as one save left it; numbered 1, 2, 3 … per article."""

    tenant_path = "article__organisation"
    # What belongs to a published article is read with it.
    tenant_public_sql = (
        "article_id IN (SELECT id FROM knowledge_article WHERE status = 'published')"
    )

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text (Markdown)"), blank=True)
    # The author's own words; empty when the portal's note (the kind) says it all.
    note = models.CharField(_("change note"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind of change"), max_length=10, choices=VersionKind.choices, default=VersionKind.EDIT
    )
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique"),
            models.CheckConstraint(
                condition=Q(kind=VersionKind.RESTORED, restored_from__isnull=False)
                | (~Q(kind=VersionKind.RESTORED) & Q(restored_from__isnull=True)),
                name="article_version_restored_from_iff_restored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"

    @property
    def display_note(self) -> str:
        """The note in the active language: the author's own words, else the portal's."""
        if self.note:
            return self.note
        if self.kind == VersionKind.CREATED:
            return gettext("Created")
        if self.kind == VersionKind.RESTORED:
            return gettext("Restored from version %(number)d") % {"number": self.restored_from}
        return ""


@audited()
class ArticleComment(TimeStampedModel):
    """A review comment: the secretariat's remarks to the author, and the author's answers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    # Set when the article is published: the review the comment belonged to is over.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    tenant_path = "article__organisation"
    # What belongs to a published article is read with it.
    tenant_public_sql = (
        "article_id IN (SELECT id FROM knowledge_article WHERE status = 'published')"
    )

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.body[:40]}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never carries the uploaded name: that is kept in `filename`.
    stamp = timezone.now()
    return f"knowledge/{stamp:%Y/%m}/{instance.article_id}-{stamp:%H%M%S%f}.{instance.extension}"


@audited()
class Attachment(TimeStampedModel):
    """A file attached to an article (DOCX, XLSX or PDF), streamed only by an access-checked view."""

    tenant_path = "article__organisation"
    # What belongs to a published article is read with it.
    tenant_public_sql = (
        "article_id IN (SELECT id FROM knowledge_article WHERE status = 'published')"
    )

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["filename"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("knowledge:attachment", args=[self.pk])
