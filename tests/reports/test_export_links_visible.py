"""Every table's spreadsheet link is on the page itself, not inside a closed table."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for

from .conftest import make_tender

pytestmark = pytest.mark.django_db


def export_links_inside_details(html: str) -> tuple[int, list[str]]:
    """(number of XLSX links, those inside a <details>) of a page."""
    links, hidden = 0, []
    for match in re.finditer(r'<a href="([^"]+\.xlsx[^"]*)"', html):
        links += 1
        before = html[: match.start()]
        if before.count("<details") > before.count("</details>"):
            hidden.append(match.group(1))
    return links, hidden


def test_dashboard_and_start_pages_show_their_xlsx_links_without_opening_a_table(data) -> None:
    make_tender(data, 3)
    pages = [
        (data.staff, reverse("reports:dashboard")),
        (data.staff, reverse("start_secretariat")),
        (data.board_member, reverse("start_board")),
        (data.board_member, reverse("reports:dashboard")),
    ]
    for user, url in pages:
        links, hidden = export_links_inside_details(client_for(user).get(url).content.decode())
        assert links >= 1, url
        assert hidden == [], f"{url}: {hidden}"
