from __future__ import annotations

from django.urls import path

from . import views, views_edit

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views_edit.agreement_form, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views_edit.agreement_form, name="edit"),
    path("<int:pk>/suppliers/", views_edit.suppliers_form, name="suppliers"),
    path("<int:pk>/terminate/", views_edit.terminate, name="terminate"),
    path("<int:pk>/successor/", views_edit.successor, name="successor"),
    path("<int:pk>/export.xlsx", views.export_agreement, name="export_agreement"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    path("<int:pk>/options/<int:option_pk>/use/", views.option_use, name="option_use"),
    path("renewals/", views.renewals, name="renewals"),
    path("compliance/", views.compliance_overview, name="compliance"),
    path("compliance/export.xlsx", views.export_compliance, name="export_compliance"),
    path("compliance/members/<int:member_pk>/", views.member_compliance, name="member"),
    path(
        "compliance/members/<int:member_pk>/export.xlsx",
        views.export_member,
        name="export_member",
    ),
    path("compliance/outside/", views.outside_suppliers, name="outside"),
    path("compliance/outside/export.xlsx", views.export_outside, name="export_outside"),
    path("compliance/recompute/", views.recompute, name="recompute"),
]
