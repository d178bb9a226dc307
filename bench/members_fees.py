"""Time the fee split (98 payers, pure Decimal/Fraction arithmetic) and one fee statement PDF.

Needs no database: the statement is rendered from unsaved model objects.
Run as `.venv/bin/python bench/members_fees.py`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import django

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)

from django.utils import timezone  # noqa: E402

from accounts.models import Organisation  # noqa: E402
from consortium.pdf import render_pdf  # noqa: E402
from members.fees import Payer, fee_split  # noqa: E402
from members.models import Fee, FeeModel, Member  # noqa: E402


def main() -> None:
    payers = [
        Payer(key=f"{101 + i:03d}", name=f"Kommune {i}", population=20_000 + 7_919 * i)
        for i in range(98)
    ]
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        split = fee_split(
            budget=Decimal("9850000.00"), base_share=Decimal("0.25"), payers=payers,
            minimum=Decimal("60000.00"),
        )  # fmt: skip
    split_ms = (time.perf_counter() - start) / rounds * 1000
    assert split.total == Decimal("9850000.00")

    fee_model = FeeModel(year=2026, budget=Decimal("9850000.00"), base_share=Decimal("0.25"),
                         minimum_fee=Decimal("400000.00"), population_year=2026)  # fmt: skip
    member = Member(organisation=Organisation(name="Sønderborg", slug="soenderborg"))
    fee = Fee(fee_model=fee_model, member=member, population=73_000, base=Decimal("175892.86"),
              population_part=Decimal("344486.81"), amount=Decimal("520379.67"))  # fmt: skip
    context = {
        "title": "Kontingentopgørelse 2026 – Sønderborg", "fee": fee, "fee_model": fee_model,
        "member": member, "municipalities": [], "members_count": 14, "total": fee_model.budget,
        "total_population": 1_552_500, "population_share": Decimal("0.047"),
        "issued_on": timezone.localdate(),
    }  # fmt: skip
    render_pdf("members/pdf/fee_statement.html", context)  # warm up fonts and templates
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        render_pdf("members/pdf/fee_statement.html", context)
    pdf_ms = (time.perf_counter() - start) / rounds * 1000

    print(f"figure: fee_split_98_members {split_ms:.2f} ms")
    print(f"figure: fee_statement_pdf_render {pdf_ms:.0f} ms")


if __name__ == "__main__":
    main()
