"""The portal's REST API, version 1 (django-ninja): `/api/v1/`, docs at `/api/v1/docs`."""

from __future__ import annotations

from typing import Any

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.operation import Operation

from .auth import ApiThrottle, PortalSessionAuth, TokenAuth
from .docs import PortalSwagger
from .errors import install_error_handlers
from .rendering import JSONRenderer
from .routers import area_modules

DESCRIPTION = _("""
Read the consortium's members, tenders, agreements and published knowledge articles, your own
member's spend, compliance figures and volume declarations; declare volumes and upload spend
files. Tenders are also published as open data
(OCDS 1.1) at `/api/v1/ocds/releases.json`.

**Authentication:** create a personal API token in the portal (*API-nøgler*) and send it as
`Authorization: Bearer 12by_…`. A token acts as you: it sees exactly what you see in the portal.
A read-only token cannot write.

**Errors** always have the body `{"detail": "…", "code": "…"}` (422 adds `errors`). Match on
`code`, which never changes; `detail` is for people: English, or Danish with
`Accept-Language: da` (signed in to the portal: the portal's language).
**CPV labels** (`label` next to each CPV `code`) come in the same language: the official English
label by default, the official Danish one with `Accept-Language: da`.
**Lists** take `limit` (1–500, default 100) and `offset` and answer `{"items": [...], "count": N}`.
""")

# Swagger UI's scripts and stylesheet come from this site (ninja's static files), which the
# site-wide policy already allows; the UI also sets inline style attributes, which only this page
# may use. Scripts stay restricted to this site.
_DOCS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


# The areas' tags as the docs show them, in the reader's language (the tags stay English in code).
TAG_LABELS = {
    "agreements": _("agreements"),
    "compliance": _("compliance"),
    "volume declarations": _("volume declarations"),
    "jobs": _("jobs"),
    "knowledge": _("knowledge"),
    "members": _("members"),
    "open data (OCDS)": _("open data (OCDS)"),
    "spend": _("spend"),
    "tenders": _("tenders"),
}


class PortalAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # "tender_list" rather than "api_routers_tenders_tender_list": what clients generate from.
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["info"]["description"] = str(self.description)  # in the caller's language
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["tags"] = [str(TAG_LABELS.get(t, t)) for t in operation.get("tags", [])]
        return schema


api_v1 = PortalAPI(
    title="12-by Indkøbsportal API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    renderer=JSONRenderer(),
    auth=[TokenAuth(), PortalSessionAuth()],
    throttle=[ApiThrottle()],
    docs=PortalSwagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=csp_override(_DOCS_CSP),
)
install_error_handlers(api_v1)

for module in area_modules():
    api_v1.add_router(module.PREFIX, module.router)
