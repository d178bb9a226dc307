"""The API documentation page: Swagger UI in the portal's language, with a switch to the other.

The page is Danish (the portal's language) unless `?lang=en` asks for English, and `<html lang>`
says which; the OpenAPI document it shows is fetched in the same language, so the API's own
description reads in it too (Swagger UI's few fixed labels, such as "Parameters", stay English).
Operations are not deep-linked: a deep link puts a link inside each operation's expand button,
which assistive technology cannot reach (WCAG 4.1.2).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from ninja.openapi.docs import Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI


class PortalSwagger(Swagger):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # Chosen by api.language.api_language: `?lang=`, else the portal's language.
        language = translation.get_language() or settings.LANGUAGE_CODE
        other = "en" if language == "da" else "da"
        swagger_settings = {
            **self.settings,
            "deepLinking": False,
            "url": f"{self.get_openapi_url(api, kwargs)}?lang={language}",
        }
        return render(
            request,
            self.template,
            {
                "swagger_settings": json.dumps(swagger_settings, indent=1),
                "api": api,
                "add_csrf": _csrf_needed(api),
                "docs_language": language,
                "other_language": other,
            },
        )
