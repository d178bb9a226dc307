from __future__ import annotations

import io

import pypdf
import pytest

from consortium.pdf import _url_fetcher, render_pdf


def test_pdf_has_danish_text_and_page_numbers() -> None:
    data = render_pdf("pdf/base.html", {"title": "Kontingent for Sønderborg – æøå"})
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Kontingent for Sønderborg – æøå" in text
    assert "Side 1 af 1" in text


def test_pdf_rendering_fetches_nothing_but_static_files() -> None:
    with pytest.raises(ValueError, match="may not fetch"):
        _url_fetcher("file:///etc/passwd")
    with pytest.raises(ValueError, match="may not fetch"):
        _url_fetcher("http://example.com/x.png")
    assert _url_fetcher("portal-static:pdf/print.css").status == 200
