"""Markdown to HTML that is safe to show: rendered by `markdown`, then sanitised by `nh3`.

Authors write Markdown and may paste raw HTML; whatever they write, the stored HTML keeps only an
allow-list of tags and attributes, links only to http(s) and mailto, and no scripts, event
handlers, styles or frames. The page's <h1> is the article's title, so the text's level-one
headings (Markdown `# …`, `===` or raw `<h1>`) become <h2>; lower levels keep theirs.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "ins", "li", "ol", "p", "pre", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML."""
    html = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        # Dropped tags lose their content too where it is code, not text.
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
    )
    # <h1> must survive sanitising to be demoted after it. nh3 writes every allowed tag in one
    # canonical form (h1 may keep no attributes) and escapes "<" in text, so these exact strings
    # can only be the tags themselves.
    return clean.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
