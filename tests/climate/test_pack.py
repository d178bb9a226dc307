"""The board pack's climate section: the consortium's figures, the caveats and the licence, and
no figure one or two members alone make up."""

from __future__ import annotations

import pytest

from climate.services import recompute
from reports.packs import build_pack_html
from reports.periods import parse_period

pytestmark = pytest.mark.django_db


def test_pack_has_the_climate_section_with_caveats_and_licence(world) -> None:
    recompute()
    html = build_pack_html(parse_period("2026"), version=None).html
    assert "Indkøbenes klimaaftryk" in html
    assert "Klimaaftryk pr. medlem" in html
    assert "CC BY-SA 4.0" in html and "EXIOBASE" in html
    assert "hvor aftrykket ligger" in html  # the caveat in plain Danish
    # Per-member totals are the board's to read; suppliers of one member are not.
    assert "Odense" in html
    assert "Madhuset ApS" not in html
    assert "Øvrige (under 3 medlemmer hver)" in html
