"""URLs of the tender pages, in two namespaces, both under tenders/.

`timeline_urlpatterns` (namespace `tender_timeline`: timelines, the pipeline, calendar feeds and
tender documents) is included before `urlpatterns` (namespace `tenders`), so that the fixed words
(plan, calendar, documents, document-templates) are never read as a tender reference.
"""

from django.urls import path

from .views import (
    corrigenda,
    deadlines,
    documents,
    lots,
    participation,
    pooling,
    tenders,
    timeline,
    transitions,
)

app_name = "tenders"

timeline_urlpatterns = [
    path("plan/", timeline.pipeline, name="pipeline"),
    path("calendar/", timeline.calendar_page, name="calendar"),
    path("calendar/new-address/", timeline.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", timeline.calendar_feed, name="calendar_feed"),
    path("document-templates/", documents.template_list, name="template_list"),
    path("document-templates/<str:kind>/", documents.template_edit, name="template_edit"),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("<str:reference>/timeline/", timeline.timeline_page, name="timeline"),
    path("<str:reference>/documents/", documents.documents_page, name="documents"),
    path(
        "<str:reference>/documents/render/",
        documents.documents_render,
        name="documents_render",
    ),
]

urlpatterns = [
    path("", tenders.tender_list, name="list"),
    path("mine/", tenders.my_tenders, name="my"),
    path("new/", tenders.tender_form, name="create"),
    path("thresholds/", tenders.thresholds, name="thresholds"),
    path("deadlines/", deadlines.calculator, name="deadlines"),
    path("<str:reference>/", tenders.tender_detail, name="detail"),
    path("<str:reference>/edit/", tenders.tender_form, name="edit"),
    path("<str:reference>/criteria/", tenders.criteria_form, name="criteria"),
    path(
        "<str:reference>/corrigenda/new/",
        corrigenda.corrigendum_create,
        name="corrigendum_create",
    ),
    path("<str:reference>/lots/new/", lots.lot_form, name="lot_create"),
    path("<str:reference>/lots/<int:number>/", lots.lot_form, name="lot_edit"),
    path("<str:reference>/lots/<int:number>/delete/", lots.lot_delete, name="lot_delete"),
    path("<str:reference>/transition/", transitions.tender_transition_view, name="transition"),
    path("<str:reference>/pool/", pooling.tender_pool, name="pool"),
    path("<str:reference>/pooling/status/", pooling.pooling_status, name="pooling_status"),
    path("<str:reference>/pooling/live/", pooling.live_pooling, name="live"),
    path("<str:reference>/pooling/export.xlsx", pooling.pooling_export, name="export"),
    path(
        "<str:reference>/answers/<slug:member>/",
        participation.participation_edit,
        name="participation",
    ),
    path(
        "<str:reference>/answers/<slug:member>/reopen/",
        participation.participation_reopen,
        name="reopen",
    ),
]
