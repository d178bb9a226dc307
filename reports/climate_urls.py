from django.urls import path

from . import climate_views as views

app_name = "climate"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("factors/", views.factors, name="factors"),
    path("factors/new/", views.factor_version_new, name="factor_version_new"),
    path("members/<int:member_pk>/", views.member, name="member"),
    path("members/<int:member_pk>/metered/", views.metered, name="metered"),
    path("members/<int:member_pk>/export.xlsx", views.member_export, name="member_export"),
]
