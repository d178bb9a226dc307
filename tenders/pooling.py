"""Pooling and the threshold verdict: pure computations, data in and result out.

Nothing here touches the database; `services.tender_pool_volumes` loads the data, calls
`compute_pooling` and stores what it returns. The result is JSON (money as decimal strings) so it
can be stored as it was computed and shown, exported or printed later without recomputing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from consortium.formatting import format_weight

# Provisional EUR→DKK conversion used only while the official DKK thresholds of a period are not
# entered: the krone's central rate against the euro in ERM II (Danmarks Nationalbank). The
# official DKK values are set by the Commission from a 24-month average rate and differ slightly,
# which is why every verdict that uses this rate says it is provisional.
PROVISIONAL_EUR_DKK_RATE = Decimal("7.46038")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Which threshold kind a contract kind is measured against.
THRESHOLD_KIND_FOR_CONTRACT = {
    "supplies": "supplies_services",
    "services": "supplies_services",
    "works": "works",
    "social": "social",
}

# The small-lots exemption (delydelsesreglen; directive art. 5(10), udbudsloven § 8, stk. 2): a lot
# below EUR 80,000 (supplies and services) or EUR 1,000,000 (works) may be awarded without the
# EU procedure, as long as the lots so awarded add up to at most 20 % of the value of all lots.
SMALL_LOT_KIND_FOR_CONTRACT = {"works": "small_lot_works"}  # every other kind: "small_lot"
SMALL_LOT_SHARE = Decimal("0.20")
SMALL_LOT_RULE = "Udbudsloven § 8, stk. 2; direktiv 2014/24/EU art. 5, stk. 10"


@dataclass(frozen=True)
class ThresholdRow:
    kind: str
    level: str  # "" when the value applies to every contracting authority
    currency: str
    amount: Decimal
    valid_from: datetime.date
    valid_until: datetime.date | None
    source: str

    def in_force(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True)
class ThresholdValue:
    """The threshold that applies, in DKK; `provisional` when converted from EUR by us."""

    kind: str
    level: str
    amount_dkk: Decimal
    provisional: bool
    source: str
    amount_eur: Decimal | None = None
    rate: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "amount_dkk": str(self.amount_dkk),
            "provisional": self.provisional,
            "source": self.source,
            "amount_eur": None if self.amount_eur is None else str(self.amount_eur),
            "rate": None if self.rate is None else str(self.rate),
        }


def pick_threshold(
    rows: Iterable[ThresholdRow],
    *,
    kind: str,
    level: str,
    on: datetime.date,
    rate: Decimal = PROVISIONAL_EUR_DKK_RATE,
) -> ThresholdValue | None:
    """The DKK threshold of `kind` for `level` in force on `on`, converting EUR if we must.

    A row for the exact level wins over a row that applies to all levels. An official DKK value
    wins; without one the EUR value in force is converted at `rate` (whole kroner) and marked
    provisional. None when no value of either currency is in force.
    """
    candidates = [r for r in rows if r.kind == kind and r.level in (level, "") and r.in_force(on)]

    def best(currency: str) -> ThresholdRow | None:
        found = [r for r in candidates if r.currency == currency]
        found.sort(key=lambda r: (r.level == level, r.valid_from), reverse=True)
        return found[0] if found else None

    dkk = best("DKK")
    if dkk is not None:
        return ThresholdValue(kind, dkk.level, dkk.amount, False, dkk.source)
    eur = best("EUR")
    if eur is None:
        return None
    converted = (eur.amount * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return ThresholdValue(
        kind, eur.level, converted, True, eur.source, amount_eur=eur.amount, rate=rate
    )


def eu_procedure_required(value: Decimal, threshold: ThresholdValue | None) -> bool | None:
    """Whether the estimated value reaches the threshold (equal counts: directive art. 4)."""
    if threshold is None:
        return None
    return value >= threshold.amount_dkk


@dataclass(frozen=True)
class LotInput:
    id: int
    number: int
    title: str


@dataclass(frozen=True)
class MemberInput:
    id: int
    name: str
    answer: str  # "participate", "decline" or "pending"


@dataclass(frozen=True)
class Declaration:
    member_id: int
    lot_id: int
    annual_volume: Decimal
    quantity: Decimal | None = None


@dataclass
class PoolingInput:
    lots: Sequence[LotInput]
    members: Sequence[MemberInput]
    declarations: Sequence[Declaration]
    # Historical spend in the tender's categories over the last 12 months, per member; a member
    # without spend data is absent (not zero).
    spend: Mapping[int, Decimal]
    term_years: int
    option_years: Sequence[int]
    contract_kind: str
    authority_level: str
    thresholds: Sequence[ThresholdRow]
    on: datetime.date
    spend_period: tuple[datetime.date, datetime.date] | None = None
    rate: Decimal = PROVISIONAL_EUR_DKK_RATE
    extra: dict[str, Any] = field(default_factory=dict)
    # The day whose thresholds apply (the planned publication); `on` when not given.
    threshold_on: datetime.date | None = None

    @property
    def threshold_day(self) -> datetime.date:
        return self.threshold_on or self.on


def applicable_thresholds(
    data: PoolingInput,
) -> tuple[str, ThresholdValue | None, ThresholdValue | None]:
    """The threshold kind of the contract, its value and the small-lots limit on the day."""
    kind = THRESHOLD_KIND_FOR_CONTRACT.get(data.contract_kind, "supplies_services")
    on = data.threshold_day
    threshold = pick_threshold(
        data.thresholds, kind=kind, level=data.authority_level, on=on, rate=data.rate
    )
    small_lot = pick_threshold(
        data.thresholds,
        kind=SMALL_LOT_KIND_FOR_CONTRACT.get(data.contract_kind, "small_lot"),
        level=data.authority_level,
        on=on,
        rate=data.rate,
    )
    return kind, threshold, small_lot


def inputs_digest(data: PoolingInput) -> str:
    """SHA-256 of everything a pooling result depends on except the historical spend.

    Two poolings with the same digest have the same declared figures and the same verdict. The
    spend is left out on purpose: reading it is the expensive part, and a new spend import
    would otherwise make every tender's pooling stale.
    """
    _kind, threshold, small_lot = applicable_thresholds(data)
    payload = {
        "lots": sorted([lot.id, lot.number, lot.title] for lot in data.lots),
        "members": sorted([m.id, m.name, m.answer] for m in data.members),
        "declarations": sorted(
            [d.member_id, d.lot_id, str(d.annual_volume), str(d.quantity)]
            for d in data.declarations
        ),
        "term_years": data.term_years,
        "option_years": list(data.option_years),
        "contract_kind": data.contract_kind,
        "authority_level": data.authority_level,
        "threshold": threshold.as_json() if threshold else None,
        "small_lot": small_lot.as_json() if small_lot else None,
        "extra": data.extra,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def small_lot_exemptions(
    lots: Sequence[tuple[int, Decimal]], limit: Decimal, total: Decimal
) -> dict[str, Any]:
    """Which lots (number, estimated value) may be exempted under the small-lots rule.

    A lot qualifies when its value is below `limit`; together the exempted lots may come to at
    most 20 % of `total`, the value of all lots. Lots are picked greedily, smallest first (ties by
    lot number): that exempts as many lots as the cap allows, and once one lot does not fit no
    larger one does. Lots without a value are left out (nothing to exempt). Another combination
    of qualifying lots within the cap is just as lawful; this is the one the portal proposes.
    """
    cap = (total * SMALL_LOT_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)
    below = sorted(
        ((value, number) for number, value in lots if ZERO < value < limit),
        key=lambda pair: (pair[0], pair[1]),
    )
    exempt: list[int] = []
    used = ZERO
    for value, number in below:
        if used + value > cap:
            break
        exempt.append(number)
        used += value
    return {
        "rule": SMALL_LOT_RULE,
        "limit_dkk": _money(limit),
        "share": str(SMALL_LOT_SHARE),
        "cap_dkk": _money(cap),
        "below_limit": sorted(number for _value, number in below),
        "exempt": sorted(exempt),
        "exempt_total": _money(used),
        "over_cap": sorted(number for _value, number in below if number not in exempt),
    }


def percent_text(value: Decimal) -> str:
    """A weight as people write it: 100, 90 or 33,33 (in the active language)."""
    return format_weight(value)


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def compute_pooling(data: PoolingInput) -> dict[str, Any]:
    """Add up the participants' declarations per lot and member, and give the verdict.

    Only members that answered *participate* are pooled; declarations of others are ignored.
    The estimated contract value is the declared annual volume times the whole term including
    options (directive art. 5(1): the total amount payable, including any options and renewals),
    summed over all lots (art. 5(8)).
    """
    total_years = data.term_years + sum(data.option_years)
    participants = [m for m in data.members if m.answer == "participate"]
    participant_ids = {m.id for m in participants}
    lot_ids = {lot.id for lot in data.lots}

    by_member_lot: dict[tuple[int, int], Declaration] = {}
    for d in data.declarations:
        if d.member_id in participant_ids and d.lot_id in lot_ids:
            by_member_lot[(d.member_id, d.lot_id)] = d

    members_out = []
    for m in participants:
        volumes = {}
        quantities = {}
        for lot in data.lots:
            d = by_member_lot.get((m.id, lot.id))
            volumes[str(lot.id)] = _money(d.annual_volume if d else ZERO)
            quantities[str(lot.id)] = None if d is None or d.quantity is None else str(d.quantity)
        annual = sum((Decimal(v) for v in volumes.values()), ZERO)
        spend = data.spend.get(m.id)
        members_out.append(
            {
                "id": m.id,
                "name": m.name,
                "volumes": volumes,
                "quantities": quantities,
                "annual_total": _money(annual),
                "historical_spend": None if spend is None else _money(spend),
            }
        )

    kind, threshold, small_lot = applicable_thresholds(data)

    lots_out = []
    for lot in data.lots:
        decls = [
            by_member_lot[(m.id, lot.id)] for m in participants if (m.id, lot.id) in by_member_lot
        ]
        annual = sum((d.annual_volume for d in decls), ZERO)
        quantities = [d.quantity for d in decls if d.quantity is not None]
        value = annual * total_years
        lots_out.append(
            {
                "id": lot.id,
                "number": lot.number,
                "title": lot.title,
                "annual_total": _money(annual),
                "quantity_total": str(sum(quantities, Decimal(0))) if quantities else None,
                "estimated_value": _money(value),
                "below_small_lot_limit": (
                    None if small_lot is None else bool(value < small_lot.amount_dkk)
                ),
            }
        )

    annual_total = sum((Decimal(lot["annual_total"]) for lot in lots_out), ZERO)
    estimated_value = annual_total * total_years
    spend_values = [s for s in (data.spend.get(m.id) for m in participants) if s is not None]
    eu_required = eu_procedure_required(estimated_value, threshold)
    # The exemption only matters when the lots together need an EU procedure.
    small_lots = (
        small_lot_exemptions(
            [(lot["number"], Decimal(lot["estimated_value"])) for lot in lots_out],
            small_lot.amount_dkk,
            estimated_value,
        )
        if small_lot is not None and eu_required
        else None
    )
    exempt = set(small_lots["exempt"]) if small_lots else set()
    for lot in lots_out:
        lot["small_lot_exempt"] = lot["number"] in exempt
    return {
        "on": data.on.isoformat(),
        "term_years": data.term_years,
        "option_years": list(data.option_years),
        "total_years": total_years,
        "contract_kind": data.contract_kind,
        "authority_level": data.authority_level,
        # Which threshold the verdict measures against, and on which day's values.
        "threshold_kind": kind,
        "threshold_on": data.threshold_day.isoformat(),
        "counts": {
            "participating": len(participants),
            "declined": sum(1 for m in data.members if m.answer == "decline"),
            "pending": sum(1 for m in data.members if m.answer == "pending"),
        },
        "lots": lots_out,
        "members": members_out,
        "annual_total": _money(annual_total),
        "historical_spend_total": _money(sum(spend_values, ZERO)) if spend_values else None,
        "spend_period": (
            [data.spend_period[0].isoformat(), data.spend_period[1].isoformat()]
            if data.spend_period
            else None
        ),
        "estimated_value": _money(estimated_value),
        "threshold": threshold.as_json() if threshold else None,
        "small_lot_limit": small_lot.as_json() if small_lot else None,
        "small_lots": small_lots,
        "eu_procedure_required": eu_required,
        # Whether the verdict rests on a converted threshold (the small-lots limit says its own).
        "provisional": bool(threshold and threshold.provisional),
    }
