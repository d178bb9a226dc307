"""No script can get into an article through its Markdown."""

from __future__ import annotations

import pytest

from knowledge.rendering import render_markdown


def test_markdown_is_rendered() -> None:
    html = render_markdown(
        "## Trin\n\n- **Behov**\n- [Udbudsloven](https://www.retsinformation.dk)"
    )
    assert "<h2>Trin</h2>" in html
    assert "<strong>Behov</strong>" in html
    assert 'href="https://www.retsinformation.dk"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Tekst <script src='https://evil.test/x.js'></script>",
        "<img src=x onerror=alert(1)>",
        '<a href="#" onclick="alert(1)">klik</a>',
        "<p onmouseover='alert(1)'>hover</p>",
        "[klik](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">klik</a>',
        '<a href="java&#x09;script:alert(1)">klik</a>',
        "<iframe src='https://evil.test'></iframe>",
        "<svg onload=alert(1)></svg>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<style>body{display:none}</style>",
        '<form action="https://evil.test"><button>Send</button></form>',
    ],
)
def test_scripts_event_handlers_and_javascript_links_are_removed(source: str) -> None:
    html = render_markdown(source).lower()
    for bad in ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:",
                "<iframe", "<svg", "style=", "<style", "<form", "alert(1)</script"):  # fmt: skip
        assert bad not in html, (source, html)


def test_text_of_removed_tags_is_kept_but_script_content_is_not() -> None:
    html = render_markdown("<span>Synlig</span><script>skjult()</script>")
    assert "Synlig" in html
    assert "skjult" not in html


@pytest.mark.parametrize(
    "source", ["# Overskrift", "Overskrift\n==========", "<h1>Overskrift</h1>"]
)
def test_level_one_headings_become_level_two(source: str) -> None:
    # The page's <h1> is the article title; the text's headings sit below it, and keep their text.
    html = render_markdown(source)
    assert html.strip() == "<h2>Overskrift</h2>"


def test_headings_below_level_one_keep_their_level() -> None:
    html = render_markdown("# Et\n\n## To\n\n### Tre")
    assert html.split() == ["<h2>Et</h2>", "<h2>To</h2>", "<h3>Tre</h3>"]
