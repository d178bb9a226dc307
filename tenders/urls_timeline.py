"""URLs of tender timelines, the pipeline, calendar feeds and tender documents.

Included under tenders/ before the tender pages' own URLs, so that the fixed words (plan,
calendar, documents, document-templates) are never read as a tender reference.
"""

from django.urls import path

from . import views_documents, views_timeline

app_name = "tender_timeline"

urlpatterns = [
    path("plan/", views_timeline.pipeline, name="pipeline"),
    path("calendar/", views_timeline.calendar_page, name="calendar"),
    path("calendar/new-address/", views_timeline.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views_timeline.calendar_feed, name="calendar_feed"),
    path("document-templates/", views_documents.template_list, name="template_list"),
    path("document-templates/<str:kind>/", views_documents.template_edit, name="template_edit"),
    path(
        "documents/<int:pk>/download/", views_documents.document_download, name="document_download"
    ),
    path("<str:reference>/timeline/", views_timeline.timeline_page, name="timeline"),
    path("<str:reference>/documents/", views_documents.documents_page, name="documents"),
    path(
        "<str:reference>/documents/render/",
        views_documents.documents_render,
        name="documents_render",
    ),
]
