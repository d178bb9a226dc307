"""Storing tender documents: template texts, and each rendering as a numbered version."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from jobs.services import job_enqueue

from ..documents import (
    FILE_STEMS,
    KINDS,
    PDF,
    SPREADSHEET_KINDS,
    XLSX,
    digest,
    document_snapshot,
    document_template_for,
    render_document,
    tender_snapshot,
)
from ..models import (
    DocumentTemplate,
    Tender,
    TenderDocument,
)


@transaction.atomic
def document_template_update(
    *,
    template: DocumentTemplate,
    user: User,
    title: str,
    introduction: str,
    body: str,
    closing: str,
) -> DocumentTemplate:
    """Change a template's texts; documents made from the old texts become outdated."""
    template.title, template.introduction = title, introduction
    template.body, template.closing = body, closing
    template.full_clean()
    template.save()
    return template


def _next_version(tender: Tender, kind: str) -> int:
    latest = TenderDocument.objects.filter(tender=tender, kind=kind).aggregate(v=Max("version"))
    return (latest["v"] or 0) + 1


def tender_document_render(
    *, tender: Tender, kind: str, user: User | None, common: dict[str, Any] | None = None
) -> TenderDocument:
    """Render `kind` from the tender's current data as a new version — or return the latest
    version when it was already made from exactly this data (so running twice changes nothing)."""
    snapshot = document_snapshot(common or tender_snapshot(tender), document_template_for(kind))
    data_digest = digest(snapshot)
    with transaction.atomic():
        # One renderer at a time per tender, so version numbers never collide.
        Tender.objects.select_for_update().filter(pk=tender.pk).first()
        latest = (
            TenderDocument.objects.filter(tender=tender, kind=kind).order_by("-version").first()
        )
        if latest is not None and latest.data_digest == data_digest:
            return latest
        version = _next_version(tender, kind)
        content = render_document(kind, snapshot, version=version)
        spreadsheet = kind in SPREADSHEET_KINDS
        document = TenderDocument(
            tender=tender,
            kind=kind,
            version=version,
            content_type=XLSX if spreadsheet else PDF,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            data_snapshot=snapshot,
            data_digest=data_digest,
            rendered_by=user,
        )
        name = (
            f"{tender.reference}_{FILE_STEMS[kind]}_v{version}.{'xlsx' if spreadsheet else 'pdf'}"
        )
        _remove_orphan(document, name)
        document.file.save(name, ContentFile(content), save=False)
        document.full_clean()
        document.save()
    return document


def _remove_orphan(document: TenderDocument, name: str) -> None:
    """Delete a file left at this version's name by an attempt that died before its record was
    committed (a killed worker): no record names it, and the tender's lock is held, so no other
    renderer can be about to commit it. The new file then takes its name, not a suffixed one."""
    path = document.file.field.generate_filename(document, name)
    storage = document.file.storage
    if storage.exists(path) and not TenderDocument.objects.filter(file=path).exists():
        storage.delete(path)


def tender_documents_render(
    *, tender: Tender, user: User | None, progress: Any = None
) -> list[TenderDocument]:
    """Render every kind of document from the tender's current data (see `tender_document_render`)."""
    common = tender_snapshot(tender)
    documents = []
    for index, kind in enumerate(KINDS):
        if progress:
            progress(index, kind)
        documents.append(tender_document_render(tender=tender, kind=kind, user=user, common=common))
    return documents


def documents_render_enqueue(*, tender: Tender, user: User) -> Any:
    """Start rendering the tender's documents in the background; returns the job."""
    from django.utils.translation import gettext as _

    return job_enqueue(
        task_name="tenders.render_documents",
        kind="tenders.render_documents",
        title=_("Tender documents for %(reference)s") % {"reference": tender.reference},
        user=user,
        task_kwargs={"tender_id": tender.pk},
    )
