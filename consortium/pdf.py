"""Render a Django template to PDF with WeasyPrint — the one way the portal makes PDFs.

Templates extend `pdf/base.html` (A4, running header and footer with page numbers, Danish
typography). Static files (logo, print CSS) are read from the finders, never over HTTP, so
rendering works in a worker without a web server.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_SCHEME = "portal-static:"


def _url_fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
    """Serve `portal-static:path` from the static finders; refuse every other URL."""
    from weasyprint.urls import URLFetcherResponse

    if not url.startswith(STATIC_SCHEME):
        raise ValueError(f"PDF rendering may not fetch {url!r}")
    path = finders.find(url.removeprefix(STATIC_SCHEME).lstrip("/"))
    if not path:
        raise ValueError(f"No static file {url!r}")
    mime_type, _ = mimetypes.guess_type(str(path))
    with open(path, "rb") as fh:
        body = fh.read()
    return URLFetcherResponse(url, body, headers={"Content-Type": mime_type or ""})


def render_html(template_name: str, context: dict[str, Any], *, language: str = "da") -> str:
    """The HTML a PDF is made from (in `language`, Danish unless asked otherwise)."""
    with translation.override(language):
        return render_to_string(template_name, context)


def html_to_pdf(html: str) -> bytes:
    """Typeset HTML built by `render_html` as PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs time web processes don't need

    return HTML(string=html, url_fetcher=_url_fetcher, base_url=STATIC_SCHEME).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "da") -> bytes:
    """Render `template_name` with `context` to PDF bytes."""
    return html_to_pdf(render_html(template_name, context, language=language))
