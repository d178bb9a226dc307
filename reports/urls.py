from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:slug>.xlsx", views.table_export, name="table_export"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("packs/", views.pack_list, name="pack_list"),
    path("packs/generate/", views.pack_generate, name="pack_generate"),
    path("packs/<int:pk>/", views.pack_download, name="pack_download"),
    path("scorecard/<int:member_pk>/", views.scorecard, name="scorecard"),
    path("scorecard/<int:member_pk>/pdf/", views.scorecard_pdf, name="scorecard_pdf"),
    path(
        "scorecard/<int:member_pk>/export/<slug:slug>.xlsx",
        views.scorecard_export,
        name="scorecard_export",
    ),
]
