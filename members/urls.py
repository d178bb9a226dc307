from django.urls import path

from . import views
from .fees import views as views_fees

app_name = "members"

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/new/", views.member_new, name="member_new"),
    path("members/import/", views.municipality_import, name="import"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("members/<int:pk>/commitments/new/", views.commitment_new, name="commitment_new"),
    path("members/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("members/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("members/commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path(
        "members/commitments/<int:pk>/document/",
        views.commitment_document,
        name="commitment_document",
    ),
    path("members/municipalities/", views.municipality_list, name="municipality_list"),
    path("members/municipalities/new/", views.municipality_new, name="municipality_new"),
    path("members/population/<int:pk>/edit/", views.population_edit, name="population_edit"),
    path(
        "members/municipalities/<str:code>/edit/",
        views.municipality_edit,
        name="municipality_edit",
    ),
    path("fees/", views_fees.fee_model_list, name="fee_models"),
    path("fees/new/", views_fees.fee_model_form, name="fee_model_new"),
    path("fees/<int:year>/", views_fees.fee_model_detail, name="fee_model"),
    path("fees/<int:year>/edit/", views_fees.fee_model_form, name="fee_model_edit"),
    path("fees/<int:year>/calculate/", views_fees.fee_model_calculate, name="fee_calculate"),
    path("fees/<int:year>/statements/", views_fees.fee_statements_start, name="fee_statements"),
    path("fees/<int:year>/overview.xlsx", views_fees.fee_overview, name="fee_overview"),
    path("fees/statements/<int:pk>.pdf", views_fees.fee_statement_pdf, name="fee_statement_pdf"),
]
