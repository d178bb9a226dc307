"""The rules behind the insight figures, as pure functions and constants with their sources.

**Volume kept** (agreement × bound member × calendar year)

* *declared* — the member's annual volume in the joint tender: its volume declaration on the
  agreement's lot (on every lot of the tender when the agreement names no lot), from a
  participation that joined; for an agreement registered without a joint tender in the portal,
  the declaration the secretariat entered (`EnteredDeclaration`). For a year the agreement is in
  force only in part, pro rata by days: declared annual × days in force in the year ÷ days in the year, rounded to øre. Days in force run
  from the start to the current end (the day before a termination) and, in the running year, up
  to and including today: the year so far is held against the year so far.
* *bought* — the member's spend on the agreement in the year: the sum of the stored
  `ComplianceFigure.supplier_spend` (lines with the agreement's suppliers in its categories, or
  without a category, dated while it was in force — exactly "spend on the agreement").
* *ratio* — bought ÷ declared (none when nothing was declared for the year).
* *flag* — "low" when the ratio is below the secretariat's threshold (70 % by default), "high"
  when it exceeds 1 + the secretariat's margin (20 % by default: more than 120 %).

**Framework maximum** (udbudsloven § 93; directive 2014/24/EU art. 33 and recital 61): a framework
agreement must state the estimated quantity and maximum value of what it covers, and it must not
be used beyond that maximum — once reached, the agreement has no further effect (EU Court,
C-216/17 *Antitrust and Coopservice*, 19.12.2018; C-23/20 *Simonsen & Weel*,
17.6.2021). Consumption = every bound member's spend on the agreement over its
whole life ÷ the maximum: a warning from 80 %, an error from 100 % (reached: no further call-off
fits) and above it (exceeded).

**Off-contract spend** (money left on the table): a member's invoice line is *covered* by an
agreement binding the member, in force on the line's date, whose categories include the line's
CPV code. A covered line whose supplier is on none of the agreements covering it is off-contract.
A line covered by two or more agreements counts once, under the agreement whose category is the
most specific (the longest significant CPV prefix), then the lowest agreement id. Lines without a
category are never off-contract (they cannot be placed in a category). The missed savings are the
off-contract spend × that agreement's savings rate, rounded to øre per member × agreement ×
supplier × year; every total adds these up. The stored rows name the ten largest suppliers of each
member × agreement × year and sum the rest in one row, and keep each member's ten largest
suppliers over all its agreements (the suppliers to talk to).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")

# Framework maximum: udbudsloven § 93, stk. 1 and directive 2014/24/EU art. 33(1) with the
# readings of C-216/17 and C-23/20 (see the module text). Shares of the maximum.
FRAMEWORK_WARNING_AT = Decimal("0.80")
FRAMEWORK_LIMIT = Decimal("1.00")
FRAMEWORK_SOURCE = (
    "Udbudsloven § 93; direktiv 2014/24/EU art. 33; EU-Domstolen C-216/17 Antitrust og "
    "Coopservice og C-23/20 Simonsen & Weel"
)


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"  # 80 % or more of the maximum
    REACHED = "reached"  # exactly the maximum: nothing more may be bought
    EXCEEDED = "exceeded"  # beyond the maximum: the agreement has been used unlawfully


class Flag(StrEnum):
    NONE = ""
    LOW = "low"
    HIGH = "high"


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def days_in_force(year: int, start: datetime.date, end: datetime.date, today: datetime.date) -> int:
    """Days of `year` within start..end (inclusive) and not after today."""
    first = max(start, datetime.date(year, 1, 1))
    last = min(end, datetime.date(year, 12, 31), today)
    return max(0, (last - first).days + 1)


def pro_rata(declared_annual: Decimal, in_force: int, year_days: int) -> Decimal:
    return (declared_annual * in_force / year_days).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(bought: Decimal, declared: Decimal) -> Decimal | None:
    if not declared:
        return None
    return bought / declared


def flag(kept: Decimal | None, *, low_threshold: Decimal, high_margin: Decimal) -> Flag:
    if kept is None:
        return Flag.NONE
    if kept < low_threshold:
        return Flag.LOW
    if kept > 1 + high_margin:
        return Flag.HIGH
    return Flag.NONE


def consumption_level(consumed: Decimal, maximum: Decimal | None) -> Level | None:
    """How far a framework agreement has used its maximum value (None: no maximum known)."""
    if not maximum:
        return None
    share = consumed / maximum
    if share > FRAMEWORK_LIMIT:
        return Level.EXCEEDED
    if share == FRAMEWORK_LIMIT:
        return Level.REACHED
    if share >= FRAMEWORK_WARNING_AT:
        return Level.WARNING
    return Level.OK


def missed_savings(off_contract: Decimal, savings_rate: Decimal) -> Decimal:
    return (off_contract * savings_rate).quantize(CENT, rounding=ROUND_HALF_UP)
