from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from members import urls as members_urls
from tenders.urls import timeline_urlpatterns

from . import views

# The member page reads tenders and agreements as well as members, so it is served from here;
# it keeps its name in the members namespace (`members:detail`).
members_patterns = [
    path("members/<int:pk>/", views.member_detail, name="detail"),
    *members_urls.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("start/secretariat/", views.start_secretariat, name="start_secretariat"),
    path("start/member/", views.start_member, name="start_member"),
    path("start/board/", views.start_board, name="start_board"),
    path("start/no-role/", views.no_role, name="no_role"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("jobs/", include("jobs.urls")),
    path("audit/", include("audit.urls")),
    path("", include((members_patterns, members_urls.app_name))),
    path("tenders/", include((timeline_urlpatterns, "tender_timeline"))),
    path("", include("api.urls")),  # /api/v1/ and the token pages under /api-tokens/
    path("reports/", include("reports.urls")),
    path("insight/", include("reports.insight_urls")),
    path("agreements/", include("agreements.urls")),
    path("climate/", include("reports.climate_urls")),
    path("tenders/", include("notices.urls")),
    path("tenders/", include("tenders.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("spend/", include("spend.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler404 = "consortium.views.page_not_found"
handler500 = "consortium.views.server_error"

admin.site.site_header = "12-by Indkøbsportal — teknisk administration"

admin.site.site_title = "12-by Indkøbsportal"
