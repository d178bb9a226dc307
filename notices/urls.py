from __future__ import annotations

from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("<str:reference>/notices/", views.notice_list, name="list"),
    path("<str:reference>/notices/new/", views.notice_generate_view, name="generate"),
    path("<str:reference>/notices/received/", views.received_tenders, name="received"),
    path("<str:reference>/notices/suppliers/", views.supplier_details, name="suppliers"),
    path("<str:reference>/notices/<int:pk>/", views.notice_detail, name="detail"),
    path("<str:reference>/notices/<int:pk>/xml/", views.notice_download, name="download"),
]
