from django.urls import path

from . import views

app_name = "spend"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/upload/", views.import_new, name="import_new"),
    path("imports/mapping/", views.mapping_edit, name="mapping"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/preview/", views.import_preview_fragment, name="import_preview"),
    path("imports/<int:pk>/start/", views.import_start, name="import_start"),
    path("imports/<int:pk>/withdraw/", views.import_withdraw, name="import_withdraw"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/<str:cvr>/", views.supplier_detail, name="supplier_detail"),
]
