"""Pages of tender documents: versions per kind, rendering, downloads and the template texts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import SECRETARIAT_ROLES, any_role, has_role, secretariat_only

from ..documents import DEFAULT_TEXTS, document_template_for, documents_state
from ..models import DocumentKind, DocumentTemplate, Tender, TenderDocument
from ..services import document_template_update, documents_render_enqueue
from ..workflow import may_download


def released_documents(tender: Tender) -> list[TenderDocument]:
    """The latest version of each kind of document, in the order the kinds are listed."""
    latest: dict[str, TenderDocument] = {}
    for document in (
        TenderDocument.objects.filter(tender=tender)
        .defer("data_snapshot")
        .order_by("kind", "-version")
    ):
        latest.setdefault(document.kind, document)
    return [latest[kind] for kind in DocumentKind.values if kind in latest]


@require_safe
@any_role
def documents_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The tender's documents: latest version of each kind, whether it is current, history."""
    tender = get_object_or_404(Tender, reference=reference)
    states = documents_state(tender)
    history = (
        TenderDocument.objects.filter(tender=tender)
        .defer("data_snapshot")
        .select_related("rendered_by")
        .order_by("kind", "-version")
    )
    context = {
        "tender": tender,
        "states": states,
        "ready": all(s.current for s in states),
        "history": history,
        "may_download": may_download(request.user, tender),
        "may_render": has_role(request.user, SECRETARIAT_ROLES),
    }
    return TemplateResponse(request, "tenders/documents/documents.html", context)


@require_POST
@secretariat_only
def documents_render(request: HttpRequest, reference: str) -> HttpResponse:
    """Start rendering every document from the tender's current data; go to the job page."""
    tender = get_object_or_404(Tender, reference=reference)
    job = documents_render_enqueue(tender=tender, user=request.user)
    return redirect(job)


@require_safe
@any_role
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TenderDocument.objects.select_related("tender"), pk=pk)
    if not may_download(request.user, document.tender):
        raise PermissionDenied
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["X-Content-SHA256"] = document.sha256
    return response


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["title", "introduction", "body", "closing"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "closing": forms.Textarea(attrs={"rows": 4}),
        }


@require_safe
@secretariat_only
def template_list(request: HttpRequest) -> HttpResponse:
    templates = [document_template_for(kind) for kind in DocumentKind.values]
    return TemplateResponse(
        request, "tenders/documents/template_list.html", {"templates": templates}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@secretariat_only
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit the texts of one kind of document (plain paragraphs with [udbud], [reference])."""
    if kind not in DEFAULT_TEXTS:
        raise Http404
    template = document_template_for(kind)
    form = DocumentTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        document_template_update(template=template, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The texts have been saved. Render the documents again to use them."),
        )
        return redirect("tender_timeline:template_list")
    return TemplateResponse(
        request,
        "tenders/documents/template_edit.html",
        {"form": form, "template": template},
        status=400 if form.errors else 200,
    )
