from django.urls import path

from . import views, views_deadlines, views_lots

app_name = "tenders"

urlpatterns = [
    path("", views.tender_list, name="list"),
    path("mine/", views.my_tenders, name="my"),
    path("new/", views.tender_form, name="create"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("deadlines/", views_deadlines.calculator, name="deadlines"),
    path("<str:reference>/", views.tender_detail, name="detail"),
    path("<str:reference>/edit/", views.tender_form, name="edit"),
    path("<str:reference>/criteria/", views.criteria_form, name="criteria"),
    path("<str:reference>/lots/new/", views_lots.lot_form, name="lot_create"),
    path("<str:reference>/lots/<int:number>/", views_lots.lot_form, name="lot_edit"),
    path("<str:reference>/lots/<int:number>/delete/", views_lots.lot_delete, name="lot_delete"),
    path("<str:reference>/transition/", views.tender_transition_view, name="transition"),
    path("<str:reference>/pool/", views.tender_pool, name="pool"),
    path("<str:reference>/pooling/status/", views.pooling_status, name="pooling_status"),
    path("<str:reference>/pooling/live/", views.live_pooling, name="live"),
    path("<str:reference>/pooling/export.xlsx", views.pooling_export, name="export"),
    path("<str:reference>/answers/<slug:member>/", views.participation_edit, name="participation"),
    path(
        "<str:reference>/answers/<slug:member>/reopen/",
        views.participation_reopen,
        name="reopen",
    ),
]
