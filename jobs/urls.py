from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("selfcheck/", views.job_selfcheck, name="selfcheck"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/rerun/", views.job_rerun_view, name="rerun"),
]
