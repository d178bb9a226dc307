"""The fee split: the secretariat budget divided into member fees, exact to the øre.

Pure functions, no database: data in, result out. Error messages are translated where they are
raised (gettext), so they reach the user in the active language.

The rule
--------
* A share of the budget (the *base share*, e.g. 30 %) is split equally between the paying members.
* The rest is split in proportion to each member's population.
* With a *minimum fee*, a member whose fee would fall below it pays the minimum; the difference is
  taken from the other members' population parts, in proportion to their population. Members
  are moved to the minimum one round at a time until no remaining member falls below it.

Exact to the øre
----------------
The ideal fees are computed as exact fractions (no floating point, no intermediate rounding).
Each fee is then rounded *down* to whole øre, and the øre left over — fewer than there are
members — are handed out one each by the **largest remainder method** (Hamilton): to the members
whose ideal fee lost the most in rounding down; ties go to the larger population, then to the
lower key (kommunekode). The fees therefore always add up to exactly the budget, no fee is
more than one øre from its ideal value, and a member held at the minimum keeps exactly the
minimum (its ideal fee is already whole øre, so it never needs a leftover øre).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

ORE = Decimal("0.01")


class FeeError(ValueError):
    """The split cannot be made with these inputs (the message, in the active language, says why).

    `code` names the reason, so callers can word it for their context without matching text.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Payer:
    key: str  # stable tie-breaker, e.g. the lowest kommunekode of the member
    name: str
    population: int


@dataclass(frozen=True)
class FeeLine:
    key: str
    name: str
    population: int
    base: Decimal  # the equal part, rounded to the øre
    population_part: Decimal  # fee − base: the population part including any minimum adjustment
    fee: Decimal
    at_minimum: bool
    ideal: Fraction  # the exact fee before rounding, for tests and explanations


@dataclass(frozen=True)
class FeeSplit:
    budget: Decimal
    base_share: Decimal
    minimum: Decimal | None
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.fee for line in self.lines), Decimal("0.00"))

    @property
    def total_population(self) -> int:
        return sum(line.population for line in self.lines)


def _to_ore(amount: Decimal) -> int:
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise FeeError(
            _("%(amount)s is not a whole number of øre.") % {"amount": amount}, "not_whole_ore"
        )
    return int(ore)


def _ideal_fees(
    budget: Fraction, base_share: Fraction, minimum: Fraction | None, payers: Sequence[Payer]
) -> tuple[list[Fraction], set[int]]:
    n = len(payers)
    base = budget * base_share / n
    population_pool = budget - base * n
    at_minimum: set[int] = set()
    while True:
        rest = [i for i in range(n) if i not in at_minimum]
        rest_population = sum(payers[i].population for i in rest)
        pool = population_pool - sum((minimum - base for _ in at_minimum), Fraction(0))  # type: ignore[operator]
        fees: list[Fraction] = []
        for i, payer in enumerate(payers):
            if i in at_minimum:
                fees.append(minimum)  # type: ignore[arg-type]
            elif rest_population:
                fees.append(base + pool * payer.population / rest_population)
            else:
                fees.append(base + pool / len(rest))
        below = {i for i in rest if minimum is not None and fees[i] < minimum}
        if not below:
            return fees, at_minimum
        at_minimum |= below


def fee_split(
    *,
    budget: Decimal,
    base_share: Decimal,
    payers: Sequence[Payer],
    minimum: Decimal | None = None,
) -> FeeSplit:
    """Split `budget` into fees that add up to it exactly (see the module docstring)."""
    if not payers:
        raise FeeError(_("There are no paying members."), "no_payers")
    if budget < 0:
        raise FeeError(_("The budget cannot be negative."), "negative_budget")
    if not (Decimal(0) <= base_share <= Decimal(1)):
        raise FeeError(_("The base share must be between 0 and 1."), "base_share")
    if any(p.population < 0 for p in payers):
        raise FeeError(_("A population cannot be negative."), "negative_population")
    budget_ore = _to_ore(budget)
    minimum_ore = _to_ore(minimum) if minimum is not None else None
    if minimum_ore is not None and minimum_ore * len(payers) > budget_ore:
        raise FeeError(
            _("The minimum fee times the number of members exceeds the budget."),
            "minimum_too_high",
        )

    ideal, at_minimum = _ideal_fees(
        Fraction(budget_ore),
        Fraction(base_share),
        Fraction(minimum_ore) if minimum_ore is not None else None,
        payers,
    )
    floors = [int(f) for f in ideal]  # ideal fees are non-negative: int() rounds down
    leftover = budget_ore - sum(floors)
    order = sorted(
        range(len(payers)),
        key=lambda i: (-(ideal[i] - floors[i]), -payers[i].population, payers[i].key),
    )
    for i in order[:leftover]:
        floors[i] += 1

    base_ore = Fraction(budget_ore) * Fraction(base_share) / len(payers)
    base = (Decimal(base_ore.numerator) / Decimal(base_ore.denominator) / 100).quantize(ORE)
    lines = []
    for i, payer in enumerate(payers):
        fee = Decimal(floors[i]) / 100
        fee = fee.quantize(ORE)
        lines.append(
            FeeLine(
                key=payer.key,
                name=payer.name,
                population=payer.population,
                base=base,
                population_part=fee - base,
                fee=fee,
                at_minimum=i in at_minimum,
                ideal=ideal[i] / 100,
            )
        )
    return FeeSplit(budget=budget, base_share=base_share, minimum=minimum, lines=tuple(lines))
