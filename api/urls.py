from __future__ import annotations

from django.urls import include, path

from . import views
from .api import api_v1

token_patterns = (
    [
        path("", views.token_list, name="list"),
        path("new/", views.token_new, name="new"),
        path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    ],
    "api_tokens",
)

urlpatterns = [
    path("api/v1/", api_v1.urls),
    path("api-tokens/", include(token_patterns)),
]
