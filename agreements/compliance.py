"""Agreement compliance and realised savings as pure functions: data in, figures out.

For an agreement, a bound member and a month within the agreement's period:

* *category spend* — the member's spend on lines in the agreement's categories (a line's CPV code
  lies in the subtree of one of the agreement's CPV codes), plus lines without a category from
  the agreement's suppliers (ERP lines often carry no category; a line with an agreement supplier
  is in the agreement's area);
* *supplier spend* — the part of the category spend with the agreement's suppliers;
* *compliance* (aftaleoverholdelse) — supplier spend ÷ category spend (none when nothing was spent);
* *realised savings* — supplier spend × the agreed savings rate (1 − agreement price level ÷
  baseline price level), rounded to øre per month.

Lines from members not bound by the agreement, or dated outside its period (start ≤ date ≤ current
end), do not count. `agreements.services.compliance_recompute` computes the same in one SQL
statement; the tests hold both to the same hand computation.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class AgreementTerms:
    agreement_id: int
    start: datetime.date
    end: datetime.date
    members: frozenset[int]
    category_prefixes: frozenset[str]  # CPV significant digits: "30192000" → "30192"
    suppliers: frozenset[int]
    savings_rate: Decimal


@dataclass(frozen=True)
class Line:
    member_id: int
    supplier_id: int
    cpv_code8: str | None  # the line's CPV code without check digit, or None
    invoice_date: datetime.date
    amount: Decimal


@dataclass
class Figure:
    category_spend: Decimal = Decimal("0.00")
    supplier_spend: Decimal = Decimal("0.00")
    savings: Decimal = Decimal("0.00")

    @property
    def compliance(self) -> Decimal | None:
        return compliance_share(self.supplier_spend, self.category_spend)


Key = tuple[int, int, datetime.date]  # agreement, member, first day of month


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def compliance_share(supplier_spend: Decimal, category_spend: Decimal) -> Decimal | None:
    """Supplier spend ÷ category spend, or None when nothing was spent in the categories."""
    if not category_spend:
        return None
    return supplier_spend / category_spend


def realised_savings(supplier_spend: Decimal, savings_rate: Decimal) -> Decimal:
    return (supplier_spend * savings_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def savings_rate(baseline_price_level: Decimal, agreement_price_level: Decimal) -> Decimal:
    """The agreed savings rate: 100 → 92 is 0,08."""
    return 1 - agreement_price_level / baseline_price_level


def in_categories(cpv_code8: str | None, prefixes: frozenset[str]) -> bool:
    return cpv_code8 is not None and any(cpv_code8.startswith(p) for p in prefixes)


def compute_compliance(
    lines: Iterable[Line], agreements: Iterable[AgreementTerms]
) -> dict[Key, Figure]:
    """Figures per agreement × member × month, for the months in which the member spent."""
    terms = list(agreements)
    figures: dict[Key, Figure] = defaultdict(Figure)
    for line in lines:
        for agreement in terms:
            if line.member_id not in agreement.members:
                continue
            if not agreement.start <= line.invoice_date <= agreement.end:
                continue
            with_supplier = line.supplier_id in agreement.suppliers
            if in_categories(line.cpv_code8, agreement.category_prefixes) or (
                line.cpv_code8 is None and with_supplier
            ):
                figure = figures[
                    (agreement.agreement_id, line.member_id, month_of(line.invoice_date))
                ]
                figure.category_spend += line.amount
                if with_supplier:
                    figure.supplier_spend += line.amount
    rates = {a.agreement_id: a.savings_rate for a in terms}
    for (agreement_id, _member, _month), figure in figures.items():
        figure.savings = realised_savings(figure.supplier_spend, rates[agreement_id])
    return dict(figures)
