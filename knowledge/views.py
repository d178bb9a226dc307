"""Pages of the knowledge base: home, search, article, editor, history, review queue, stale list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import (
    SECRETARIAT_ROLES,
    any_role,
    get_editable_or_404,
    get_for_user,
    get_visible_or_404,
    role_required,
    secretariat_only,
)
from consortium.forms import add_service_errors
from consortium.htmx import page_or_partial

from . import selectors
from .diff import diff_rows, has_changes
from .forms import (
    ArticleForm,
    AttachmentForm,
    CommentForm,
    PreviewForm,
    SearchForm,
    TransitionForm,
)
from .models import Article, ArticleVersion, Attachment
from .rendering import render_markdown
from .services import (
    article_comment,
    article_create,
    article_record_view,
    article_restore_version,
    article_transition,
    article_update,
    attachment_add,
    attachment_delete,
    default_review_date,
)
from .workflow import AUTHORS, available_transitions, sees_internal

authors_only = role_required(*AUTHORS)
PAGE_SIZE = 20


@require_safe
@any_role
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "search_form": SearchForm(),
        "can_write": user.role in AUTHORS,
        "recent": selectors.articles_recent(user=user),
        "most_used": selectors.articles_most_used(user=user),
        "phases": selectors.phase_counts(user=user),
        "own_unpublished": (
            selectors.articles_of_organisation(user=user)[:10] if user.role in AUTHORS else []
        ),
        "review_count": (
            selectors.review_queue().count() if user.role in SECRETARIAT_ROLES else None
        ),
        "stale_count": (
            selectors.stale_articles().count() if user.role in SECRETARIAT_ROLES else None
        ),
    }
    return TemplateResponse(request, "knowledge/home.html", context)


@require_safe
@any_role
def search(request: HttpRequest) -> HttpResponse:
    """Search results; htmx swaps only the results as the user types or filters."""
    form = SearchForm(request.GET or None)
    filters = form.filters()
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    page = selectors.article_search_page(
        user=request.user, filters=filters, page=number, per_page=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "filters": filters, "querystring": query.urlencode()}
    return page_or_partial(request, "knowledge/search.html", "results", context)


@require_http_methods(["GET", "POST"])
@authors_only
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(
        request.POST or None,
        user=request.user,
        initial={"owner": request.user, "review_date": default_review_date()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            article = article_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(article)
    return TemplateResponse(
        request,
        "knowledge/edit.html",
        {"form": form, "article": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@authors_only
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_editable_or_404(Article, request.user, pk=pk)
    linked = list(article.related_tenders.all())
    initial = {
        "title": article.title, "kind": article.kind, "summary": article.summary,
        "body": article.body, "phases": article.phases, "aims": article.aims,
        "levers": article.levers, "owner": article.owner_id, "review_date": article.review_date,
        "cpv_codes": ", ".join(article.cpv_codes.values_list("code", flat=True)),
        "related_tenders": [tender.pk for tender in linked],
    }  # fmt: skip
    form = ArticleForm(
        request.POST or None, user=request.user, initial=initial, linked_tenders=linked
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = article_update(article=article, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if version:
                messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
            else:
                messages.success(request, _("Saved."))
            return redirect(article)
    return TemplateResponse(
        request,
        "knowledge/edit.html",
        {"form": form, "article": article},
        status=400 if form.errors else 200,
    )


@require_POST
@authors_only
def preview(request: HttpRequest) -> HttpResponse:
    """The editor's preview: the Markdown rendered and sanitised exactly as it will be shown."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return TemplateResponse(request, "knowledge/_preview.html", {"html": render_markdown(body)})


@require_safe
@any_role
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article, can_edit = get_for_user(
        Article.objects.select_related("organisation", "author", "owner"), request.user, pk=pk
    )
    article_record_view(article=article)
    internal = sees_internal(request.user, article)
    own = article.organisation_id == request.user.organisation_id
    context = {
        "article": article,
        "versions": article.versions.select_related("author")[:50],
        "attachments": article.attachments.all(),
        "comments": article.comments.select_related("author") if internal else [],
        "internal": internal,
        "can_write": request.user.role in AUTHORS,
        "can_edit": can_edit,
        "transitions": available_transitions(
            status=article.status, role=request.user.role, own_organisation=own
        ),
        "related_tenders": article.related_tenders.order_by("-reference"),
        "related_agreements": selectors.article_related_agreements(article),
        "cpv_codes": article.cpv_codes.all(),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "is_stale": article.is_stale(),
    }
    return TemplateResponse(request, "knowledge/detail.html", context)


@require_POST
@authors_only
def article_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_visible_or_404(Article, request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect(article)
    try:
        article = article_transition(
            article=article,
            user=request.user,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The article is now “%(status)s”.") % {"status": article.get_status_display()},
        )
    return redirect(article)


@require_POST
@authors_only
def article_comment_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_visible_or_404(Article, request.user, pk=pk)
    if not sees_internal(request.user, article):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        article_comment(article=article, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(article.get_absolute_url() + "#comments")


@require_safe
@any_role
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article, can_edit = get_for_user(Article, request.user, pk=pk)
    version = get_object_or_404(ArticleVersion, article=article, number=number)
    context = {
        "article": article,
        "version": version,
        "html": render_markdown(version.body),
        "can_edit": can_edit,
    }
    return TemplateResponse(request, "knowledge/version.html", context)


@require_safe
@any_role
def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side; by default the latest against the one before."""
    article = get_visible_or_404(Article, request.user, pk=pk)
    versions = list(article.versions.select_related("author"))
    if not versions:
        raise PermissionDenied
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: ArticleVersion) -> ArticleVersion:
        try:
            return by_number[int(request.GET.get(name, ""))]
        except (KeyError, ValueError):
            return default

    new = pick("new", versions[0])
    old = pick("old", versions[1] if len(versions) > 1 else versions[0])
    sections = [
        (_("Title"), diff_rows(old.title, new.title)),
        (_("Summary"), diff_rows(old.summary, new.summary)),
        (_("Text"), diff_rows(old.body, new.body)),
    ]
    context = {
        "article": article,
        "old": old,
        "new": new,
        "versions": versions,
        "sections": [(label, rows, has_changes(rows)) for label, rows in sections],
    }
    return TemplateResponse(request, "knowledge/compare.html", context)


@require_POST
@authors_only
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    article = get_editable_or_404(Article, request.user, pk=pk)
    version = get_object_or_404(ArticleVersion, article=article, number=number)
    try:
        new = article_restore_version(article=article, version=version, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Version %(old)d is restored as version %(new)d.")
            % {"old": version.number, "new": new.number},
        )
    return redirect(article)


@require_POST
@authors_only
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_editable_or_404(Article, request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachment_add(
                article=article, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": attachment.filename})
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(article.get_absolute_url() + "#attachments")


def _visible_attachments(request: HttpRequest):
    return Attachment.objects.filter(article__in=Article.objects.visible_to(request.user))


@require_safe
@any_role
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an attachment to someone who may read its article; 404 for anyone else."""
    attachment = get_object_or_404(_visible_attachments(request), pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


@require_POST
@authors_only
def attachment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(_visible_attachments(request), pk=pk)
    article = get_editable_or_404(Article, request.user, pk=attachment.article_id)
    attachment_delete(attachment=attachment, user=request.user)
    messages.success(request, _("%(name)s is removed.") % {"name": attachment.filename})
    return redirect(article.get_absolute_url() + "#attachments")


@require_safe
@secretariat_only
def review_queue(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "knowledge/review_queue.html", {"articles": selectors.review_queue()}
    )


@require_safe
@secretariat_only
def stale_list(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "knowledge/stale.html", {"articles": selectors.stale_articles()}
    )
