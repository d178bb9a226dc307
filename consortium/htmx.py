"""One way to answer htmx requests with a fragment and ordinary requests with the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers


def page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    """Render `template#partial` for htmx, the whole `template` otherwise; vary on HX-Request."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    response = TemplateResponse(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
