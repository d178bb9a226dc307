"""Hostile input the portal may keep, because it is ordinary text to it: stored, then shown inert.

Not refusals (they are not counted in the corpus): Markdown and HTML with scripts in articles and
comments render without executable markup; SQL-looking search strings are answered normally and
show nothing of another member; path parts and over-long names in an upload are dropped by
Django's parser before the portal sees them, and the file is stored under the member's folder.
"""

from __future__ import annotations

import html
import os
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from knowledge.models import Article
from spend.models import SpendImport
from tests.api.conftest import api_client_for
from tests.conftest import Cast, client_for

from .files import CSV
from .test_hostile import multipart

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[klik](javascript:alert(3))",
    '<a href="jAvAsCrIpT&colon;alert(4)">x</a>',
    '<a href=" javascript:alert(5)">x</a>',
    "<svg><style><img src=x onerror=alert(6)></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=alert(7)>"></noscript>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(8)></style></mglyph></table>",
    '<iframe srcdoc="<script>alert(9)</script>"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '![x](x" onerror="alert(10))',
    "<details open ontoggle=alert(11)>x</details>",
    '<form action="javascript:alert(12)"><button formaction="javascript:alert(13)">x</button></form>',
    "<object data=javascript:alert(14)></object><embed src=javascript:alert(15)>",
    "<<script>script>alert(16)<</script>/script>",
    "<base href=javascript:alert(17)//>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(18)">',
    "[a](vbscript:msgbox(19))",
    "<div style=\"background:url('javascript:alert(20)')\">x</div>",
]
URL_ATTRS = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
STATIC = settings.STATIC_URL


class Executable(HTMLParser):
    """Collects what a browser could run in a page: scripts other than the portal's own static
    files, event handler attributes, script URLs, frames, objects and refreshes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith(STATIC):
            self.found.append(f"<script {values}>")
        if tag in {"iframe", "object", "embed", "base", "frame"}:
            self.found.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            plain = "".join(html.unescape(value or "").split()).lower()
            if name in URL_ATTRS | {"style"} and any(s in plain for s in BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value!r}>")


def executable(page: str) -> list[str]:
    parser = Executable()
    parser.feed(page)
    return parser.found


def test_the_checker_sees_executable_markup() -> None:
    assert executable('<p onclick="x()">') and executable('<a href="java\tscript:x">')
    assert executable("<script>x()</script>") and not executable(f'<script src="{STATIC}a.js">')


def test_scripts_in_articles_and_comments_are_stored_inert(cast: Cast) -> None:
    client = client_for(cast.officer)
    payload = "\n\n".join(XSS)
    response = client.post(
        reverse("knowledge:new"),
        {
            "title": XSS[1],
            "kind": "guide",
            "summary": XSS[0],
            "body": payload,
            "owner": cast.officer.pk,
            "review_date": "2027-06-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    article = Article.objects.get()
    for body in XSS:
        response = client.post(reverse("knowledge:comment", args=[article.pk]), {"body": body})
        assert response.status_code == 302
    pages = {
        "article": client.get(article.get_absolute_url()),
        "search": client.get(reverse("knowledge:search"), {"q": "alert"}),
        "home": client.get(reverse("knowledge:home")),
        "preview": client.post(reverse("knowledge:preview"), {"body": payload}, headers={"HX-Request": "true"}),
    }  # fmt: skip
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert executable(page.content.decode()) == [], name
    # The text is kept, shown as text: the reader sees what was written.
    assert "alert(1)" in pages["article"].content.decode()


SQL = [
    "' OR 1=1 --",
    "'; DROP TABLE knowledge_article; --",
    "%' UNION SELECT password, email FROM accounts_user --",
    "') OR ('1'='1",
    "1; SELECT pg_sleep(5)",
    "\\",
    "%",
    "_",
    "& | ! :* <-> ()",
    "Aarhus' kladde",
    "\x00",
    "ø" * 500,
]
LEAKS = ("Traceback", "syntax error", "psycopg", "ProgrammingError", "Aarhus' kladde", "Hemmelig")


@pytest.mark.parametrize("query", SQL)
def test_sql_looking_searches_are_answered_without_error_or_leak(cast: Cast, query: str) -> None:
    from knowledge.services import article_create

    article_create(user=cast.aarhus_officer, title="Aarhus' kladde", kind="guide", body="Hemmelig")
    officer, admin = client_for(cast.officer), client_for(cast.admin)
    pages = [
        officer.get(reverse("knowledge:search"), {"q": query}),
        officer.get(reverse("members:directory"), {"q": query}),
        admin.get(reverse("accounts:user_list"), {"q": query}),
        admin.get(reverse("spend:supplier_list"), {"q": query}),
    ]
    api = api_client_for(cast.officer)
    answers = [
        api.get("/api/v1/knowledge", {"q": query}),
        api.get("/api/v1/tenders", {"cpv": query}),
        api.get("/api/v1/spend/summary", {"date_from": query}),
    ]
    for response in pages:
        # A NUL byte is refused by the form (400), everything else answered as a search.
        assert response.status_code in (200, 400), response.request["PATH_INFO"]
        text = response.content.decode()
        assert not [leak for leak in LEAKS if leak in text.replace(html.escape(query), "")]
    for response in answers:
        assert response.status_code in (200, 422), response.content[:300]
        text = response.content.decode()
        assert not [leak for leak in LEAKS if leak in text.replace(query, "")]


@pytest.mark.parametrize(
    "name, stored",
    [("..\\..\\..\\udtraek.csv", "udtraek.csv"), ("a" * 300 + ".csv", "a" * 251 + ".csv")],
)
def test_path_parts_and_long_names_never_reach_the_disk(cast: Cast, name: str, stored: str) -> None:
    """Django's parser keeps only the last path part and cuts a name to 255 characters, so the
    portal cannot tell these from an ordinary name: the file is kept under the member's folder."""
    client = client_for(cast.officer)
    body, content_type = multipart({}, name, CSV)
    response = client.generic("POST", reverse("spend:import_new"), body, content_type)
    assert response.status_code == 302
    spend_import = SpendImport.objects.get()
    assert spend_import.original_name == stored
    path = os.path.realpath(spend_import.file.path)
    assert path.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert f"{os.sep}{cast.odense.pk}{os.sep}" in path


def test_an_anonymous_visitor_cannot_search(cast: Cast) -> None:
    response = Client().get(reverse("knowledge:search"), {"q": "' OR 1=1 --"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
