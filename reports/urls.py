from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:slug>.xlsx", views.table_export, name="table_export"),
    path("packs/", views.pack_list, name="pack_list"),
    path("packs/generate/", views.pack_generate, name="pack_generate"),
    path("packs/<int:pk>/", views.pack_download, name="pack_download"),
    path("scorecard/<int:member_pk>/", views.scorecard, name="scorecard"),
    path("scorecard/<int:member_pk>/pdf/", views.scorecard_pdf, name="scorecard_pdf"),
]
