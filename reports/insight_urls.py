"""URLs under /insight/: the figure pages (reports/insight_views.py) and the secretariat's
settings (insight/views.py)."""

from django.urls import path

from insight import views as settings_views

from . import insight_views as views

app_name = "insight"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", views.export, name="export"),
    path("money-left/", views.money_left, name="money_left"),
    path("money-left/<int:member_pk>/", views.money_left, name="money_left_member"),
    path("money-left/<int:member_pk>/lines/", views.lines, name="lines"),
    path(
        "money-left/<int:member_pk>/export.xlsx",
        views.money_left_export,
        name="money_left_export",
    ),
    path("agreement/<int:pk>/", views.agreement_fragment, name="agreement"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/maximum/<int:pk>/", settings_views.maximum_page, name="maximum"),
    path(
        "settings/declarations/<int:pk>/",
        settings_views.declarations_page,
        name="declarations",
    ),
]
