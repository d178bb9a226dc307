"""Peers, anonymised: where each member stands among the consortium's members.

Each measure is one value per member for the period (a rate or a figure per inhabitant): agreement
compliance, participation in joint tenders, volume kept and off-contract share (insight, of the
period's year) and the climate footprint per inhabitant (climate, of the period's year). From the
values of the members that have one, `distribution` gives the median and the quartiles and each
member's rank of N. What each reader sees:

* a member's own users: its own value, the distribution and its rank — no other member named
  (`peer_position_table`);
* the secretariat: every member named (`peer_named_table`);
* the board: the distribution (`peer_distribution_table`) and the named table: every measure is
  a per-member rate or total, which PRODUCT.md lets the board read per member (the pack's insight
  and climate sections name the same figures per member).

No distribution is shown from fewer than `accounts.access.board_min_members()` members: with one
or two values a median is a member's own figure. The smallest and largest values are never shown
either, for the same reason.

Quartiles are interpolated linearly between the sorted values (the "inclusive" method of
PostgreSQL's `percentile_cont`, Excel's QUARTILE.INC and Python's `statistics.quantiles(…,
method="inclusive")`), exactly in Decimal. Ranks are competition ranks: equal values share the
best rank among them and the next value skips (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import board_min_members
from agreements.selectors import totals_by_member
from climate.selectors import member_year_climate
from consortium.figure_store import stored
from insight.selectors import member_year_metrics
from members.models import Member

from ..periods import Period
from ..tables import Column, Table
from ._base import DEADLINES_CLOCK, _members, _memoised, one_computation
from .commitment import participation_table
from .compliance import _compliance_figures

Values = dict[int, Decimal]  # member pk -> value


@dataclass(frozen=True)
class Measure:
    slug: str
    label: Any  # a lazy translation
    kind: str  # the Table column kind: "percent" or "number"
    higher_is_better: bool
    values: Callable[[Period], Values]


@dataclass(frozen=True)
class Distribution:
    count: int
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal

    @staticmethod
    def rank(value: Decimal, values: list[Decimal], higher_is_better: bool) -> int:
        """The competition rank of `value` among `values` (1 is best; ties share a rank)."""
        if higher_is_better:
            return 1 + sum(1 for v in values if v > value)
        return 1 + sum(1 for v in values if v < value)


def _quantile(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    position = fraction * (len(ordered) - 1)
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[below]
    return ordered[below] + (ordered[below + 1] - ordered[below]) * (position - below)


def distribution(values: list[Decimal]) -> Distribution | None:
    """Median and quartiles of `values`, or None when fewer than the board's minimum group."""
    if len(values) < max(board_min_members(), 1):
        return None
    ordered = sorted(values)
    return Distribution(
        count=len(ordered),
        lower_quartile=_quantile(ordered, Decimal("0.25")),
        median=_quantile(ordered, Decimal("0.5")),
        upper_quartile=_quantile(ordered, Decimal("0.75")),
    )


# --- the measures ------------------------------------------------------------------------------


def _compliance(period: Period) -> Values:
    rows = totals_by_member(_compliance_figures(period))
    return {r["member_id"]: r["compliance"] for r in rows if r["compliance"] is not None}


def _participation(period: Period) -> Values:
    by_name = {m.name: m.pk for m in _members(period)}
    return {
        by_name[r["member"]]: r["rate"]
        for r in participation_table(period).rows
        if r["rate"] is not None and r["member"] in by_name
    }


def _insight(key: str) -> Callable[[Period], Values]:
    def values(period: Period) -> Values:
        metrics = member_year_metrics(period.year)
        return {pk: m[key] for pk, m in metrics.items() if m.get(key) is not None}

    return values


def _co2e_per_inhabitant(period: Period) -> Values:
    return {
        pk: c["kg_per_inhabitant"]
        for pk, c in member_year_climate(period.year).items()
        if c.get("kg_per_inhabitant") is not None
    }


MEASURES: tuple[Measure, ...] = (
    Measure(
        "compliance",
        gettext_lazy("Agreement compliance"),
        "percent",
        higher_is_better=True,
        values=_compliance,
    ),
    Measure(
        "participation",
        gettext_lazy("Participation rate"),
        "percent",
        higher_is_better=True,
        values=_participation,
    ),
    Measure(
        "volume-kept",
        gettext_lazy("Volume kept"),
        "percent",
        higher_is_better=True,
        values=_insight("volume_kept_ratio"),
    ),
    Measure(
        "off-contract",
        gettext_lazy("Off-contract share"),
        "percent",
        higher_is_better=False,
        values=_insight("off_contract_share"),
    ),
    Measure(
        "co2e-per-inhabitant",
        gettext_lazy("kg CO2e per inhabitant"),
        "number",
        higher_is_better=False,
        values=_co2e_per_inhabitant,
    ),
)


@_memoised
def peer_values(period: Period) -> dict[str, Values]:
    """Every measure's value per member of the period. Computed from every member's rows and
    shown to each member only as a distribution: the database is told (consortium/tenancy.py).
    The same for every caller, so kept once for all of them until the figures change."""
    return _peer_values(period)


@stored(clock=DEADLINES_CLOCK, across_members=True)
def _peer_values(period: Period) -> dict[str, Values]:
    members = {m.pk for m in _members(period)}
    # A computation of its own: the tables read here, memoised in a member's context, would
    # hold only that member's rows.
    with one_computation():
        return {
            m.slug: {pk: v for pk, v in m.values(period).items() if pk in members} for m in MEASURES
        }


def _distributions(period: Period) -> dict[str, Distribution | None]:
    values = peer_values(period)
    return {m.slug: distribution(list(values[m.slug].values())) for m in MEASURES}


def _too_few_note() -> str:
    return _(
        "A measure is compared only when at least %(count)s members have a value for it; "
        "the lowest and highest values are not shown."
    ) % {"count": board_min_members()}


def peer_position_table(member: Member, period: Period) -> Table:
    """The member's own value of each measure against the consortium's distribution, with its
    rank of N. Names no other member."""
    values = peer_values(period)
    distributions = _distributions(period)
    table = Table(
        "member-peers",
        _("Compared with the other members"),
        [
            Column("measure", _("Measure")),
            Column("own", _("Your value"), "row"),
            Column("lower_quartile", _("Lower quartile"), "row"),
            Column("median", _("Median"), "row"),
            Column("upper_quartile", _("Upper quartile"), "row"),
            Column("rank", _("Rank")),
        ],
        note=_(
            "Rank 1 is the best value; members with the same value share a rank. "
            "No other member is named."
        )
        + " "
        + _too_few_note(),
    )
    for m in MEASURES:
        own = values[m.slug].get(member.pk)
        d = distributions[m.slug]
        row: dict[str, Any] = {"slug": m.slug, "measure": str(m.label), "kind": m.kind, "own": own}
        if d is not None:
            row |= {
                "lower_quartile": d.lower_quartile,
                "median": d.median,
                "upper_quartile": d.upper_quartile,
            }
            if own is not None:
                rank = Distribution.rank(own, list(values[m.slug].values()), m.higher_is_better)
                row["rank"] = _("%(rank)s of %(count)s") % {"rank": rank, "count": d.count}
        else:
            row["rank"] = _("Too few members to compare")
        table.rows.append(row)
    return table


@_memoised
def peer_distribution_table(period: Period) -> Table:
    """Each measure's distribution over the members: N, quartiles and median. No member named."""
    distributions = _distributions(period)
    table = Table(
        "peer-distribution",
        _("Distribution among the members"),
        [
            Column("measure", _("Measure")),
            Column("count", _("Members with a value"), "number"),
            Column("lower_quartile", _("Lower quartile"), "row"),
            Column("median", _("Median"), "row"),
            Column("upper_quartile", _("Upper quartile"), "row"),
        ],
        note=_too_few_note(),
    )
    for m in MEASURES:
        d = distributions[m.slug]
        row: dict[str, Any] = {"slug": m.slug, "measure": str(m.label), "kind": m.kind}
        if d is not None:
            row |= {
                "count": d.count,
                "lower_quartile": d.lower_quartile,
                "median": d.median,
                "upper_quartile": d.upper_quartile,
            }
        table.rows.append(row)
    return table


@_memoised
def peer_named_table(period: Period) -> Table:
    """Every member's value of each measure, named (the secretariat's and the board's)."""
    values = peer_values(period)
    table = Table(
        "peers-by-member",
        _("Measures by member"),
        [
            Column("member", _("Member")),
            *(Column(m.slug, str(m.label), m.kind) for m in MEASURES),
        ],
    )
    for member in _members(period):
        table.rows.append(
            {"member": member.name, **{m.slug: values[m.slug].get(member.pk) for m in MEASURES}}
        )
    return table
