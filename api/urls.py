from __future__ import annotations

from django.urls import include, path

from . import views
from .api import api_v1
from .language import in_callers_language

# Every API view (endpoints, schema, docs) answers in the caller's language (api/language.py).
api_patterns, api_app_name, api_namespace = api_v1.urls
for api_pattern in api_patterns:
    api_pattern.callback = in_callers_language(api_pattern.callback)

token_patterns = (
    [
        path("", views.token_list, name="list"),
        path("new/", views.token_new, name="new"),
        path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    ],
    "api_tokens",
)

urlpatterns = [
    path("api/v1/", (api_patterns, api_app_name, api_namespace)),
    path("api-tokens/", include(token_patterns)),
]
