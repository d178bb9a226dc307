"""Tables in PDFs: a caption never ends a page without its table, and the total comes once."""

from __future__ import annotations

import io

import pypdf
from django.template import engines

from consortium.pdf import html_to_pdf
from reports.tables import Column, Table

PAGE = """{% extends "pdf/base.html" %}
{% block content %}<div style="height: {{ filler }}mm"></div>
{% include "reports/_table.html" with pdf=True %}{% endblock %}"""


def _table() -> Table:
    table = Table(
        "agreements",
        "Aftaler der skal genudbydes",
        [Column("agreement", "Aftale"), Column("amount", "Beløb", "kr")],
    )
    table.rows = [{"agreement": f"Aftale {n}", "amount": n * 1000} for n in range(1, 41)]
    table.total = {"agreement": "I alt", "amount": sum(r["amount"] for r in table.rows)}
    return table


def _pages(filler: int) -> list[list[str]]:
    html = engines["django"].from_string(PAGE).render({"table": _table(), "filler": filler})
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(html)))
    return [[line.strip() for line in p.extract_text().splitlines()] for p in reader.pages]


def test_caption_stays_with_its_table_and_total_is_not_repeated() -> None:
    # Push the table down the first page a little at a time: wherever it lands, the caption
    # is followed by the table's header on the same page.
    for filler in range(200, 246, 3):
        pages = _pages(filler)
        for lines in pages:
            if "Aftaler der skal genudbydes" in lines:
                after = lines[lines.index("Aftaler der skal genudbydes") + 1 :]
                assert after and after[0].startswith("Aftale"), (filler, lines[-4:])
        totals = sum(1 for lines in pages for line in lines if line.startswith("I alt"))
        assert totals == 1, filler
