"""Volume kept, framework consumption and money left on the table (insight/), as Tables.

Read only from the stored insight figures (`insight.selectors`). A member's tables are for its own
users and the secretariat (callers check); the consortium tables are for the secretariat and the
board. What the board reads follows accounts/access.py: per-member aggregates (numbers, never a
member's words), and supplier rows only for suppliers that at least `min_group(user)` members
bought from off-contract; the rest is one row "Other suppliers".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import split_small_groups
from insight import rules, selectors
from members.models import Member

from ..tables import Column, Table, share
from ._base import _memoised

ZERO = Decimal("0.00")

FLAG_LABELS = {
    rules.Flag.NONE: "",
    rules.Flag.LOW: gettext_lazy("Below the threshold"),
    rules.Flag.HIGH: gettext_lazy("Above the declaration"),
}
LEVEL_LABELS = {
    rules.Level.OK: gettext_lazy("Within the maximum"),
    rules.Level.WARNING: gettext_lazy("Warning: at least 80 per cent used"),
    rules.Level.REACHED: gettext_lazy("Maximum reached"),
    rules.Level.EXCEEDED: gettext_lazy("Maximum exceeded"),
}


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS.get(rules.Flag(flag), ""))


def level_label(level: str | None) -> str:
    return str(LEVEL_LABELS[rules.Level(level)]) if level else _("No maximum registered")


@_memoised
def volume_kept_table(
    year: int, member: Member | None = None, agreement_id: int | None = None
) -> Table:
    """Per agreement (× member unless one member's): declared, bought, kept and the flag."""
    rows = selectors.volume_kept(
        year, member_id=member.pk if member else None, agreement_id=agreement_id
    )
    limits = selectors.thresholds()
    columns = [Column("agreement", _("Agreement"))]
    if member is None:
        columns.append(Column("member", _("Member")))
    columns += [
        Column("declared", _("Declared volume"), "kr"),
        Column("spend", _("Bought on the agreement"), "kr"),
        Column("ratio", _("Volume kept"), "percent"),
        Column("flag", _("Flag")),
    ]
    table = Table(
        "volume-kept",
        _("Volume kept %(year)s") % {"year": year},
        columns,
        note=_(
            "The declared annual volume from the joint tender, pro rata for the days the agreement "
            "was in force in the year (this year: up to today). Flagged below %(low)s of the "
            "declaration or above it by more than %(high)s."
        )
        % {
            "low": f"{rules_percent(limits.low_threshold)}",
            "high": f"{rules_percent(limits.high_margin)}",
        },
    )
    declared = spend = kept_spend = ZERO
    for r in rows:
        if not r["declared"] and not r["spend"]:
            continue
        table.rows.append(
            {
                "agreement_id": r["agreement_id"],
                "member_id": r["member_id"],
                "agreement": f"{r['agreement']} {r['title']}",
                "member": r["member"],
                "declared": r["declared"],
                "spend": r["spend"],
                "ratio": r["ratio"],
                "flag": flag_label(r["flag"]),
                "flag_code": str(r["flag"]),
            }
        )
        declared += r["declared"]
        spend += r["spend"]
        if r["declared"]:
            kept_spend += r["spend"]
    # The total's ratio counts the agreements with a declaration only (as the peer comparison's
    # `member_year_metrics`): what was bought where nothing was declared keeps no word.
    table.total = {
        "agreement": _("Total"),
        "declared": declared,
        "spend": spend,
        "ratio": share(kept_spend, declared),
        "kept_spend": kept_spend,
    }
    return table


def rules_percent(value: Decimal) -> str:
    from consortium.formatting import format_percent

    return format_percent(value)


@_memoised
def framework_consumption_table(
    agreement_ids: tuple[int, ...] | None = None, min_members: int = 1
) -> Table:
    """Each framework agreement's maximum and how much of it is used. For the board
    (`min_members` > 1) the amount bought and the share are left blank where fewer members
    bought on the agreement: they would be those members' own figures; the status stays."""
    rows = selectors.framework_consumption(list(agreement_ids) if agreement_ids else None)
    table = Table(
        "framework-consumption",
        _("Consumption of the framework maximum"),
        [
            Column("agreement", _("Agreement")),
            Column("maximum", _("Maximum value"), "kr"),
            Column("consumed", _("Bought over the agreement's life"), "kr"),
            Column("share", _("Used"), "percent"),
            Column("level", _("Status")),
        ],
        note=_(
            "A framework agreement must not be used beyond its maximum value (udbudsloven § 93; "
            "directive 2014/24/EU art. 33; EU Court C-216/17 and C-23/20). Warning from 80 %, "
            "error from 100 %. The maximum is the one the secretariat entered, else the pooled "
            "estimate of the joint tender."
        ),
    )
    blanked = 0
    for r in rows:
        few = 0 < r["members"] < min_members
        blanked += few
        table.rows.append(
            {
                "agreement_id": r["agreement_id"],
                "agreement": f"{r['agreement']} {r['title']}",
                "maximum": r["maximum"],
                "consumed": None if few else r["consumed"],
                "share": None if few else r["share"],
                "level": level_label(r["level"]),
                "level_code": str(r["level"] or ""),
                "source": r["source"],
            }
        )
    if blanked:
        table.note += " " + _(
            "Left blank where fewer than %(count)s members bought on the agreement."
        ) % {"count": min_members}
    return table


@_memoised
def off_contract_table(year: int, member: Member) -> Table:
    """One member's off-contract spend per agreement and supplier, with the missed savings."""
    table = Table(
        "off-contract",
        _("Spend outside the agreements %(year)s") % {"year": year},
        [
            Column("agreement", _("Agreement")),
            Column("supplier", _("Supplier")),
            Column("cvr", _("CVR")),
            Column("amount", _("Spend outside the agreement"), "kr"),
            Column("missed", _("Missed savings"), "kr"),
        ],
        note=_(
            "Spend in the categories of an agreement binding the member, with a supplier that is "
            "not on it, while it was in force. A line covered by several agreements counts once, "
            "under the one with the most specific category. Missed savings: the spend × the "
            "agreement's savings rate."
        ),
    )
    amount = missed = ZERO
    for r in selectors.off_contract_by_agreement_supplier(year, member_id=member.pk):
        table.rows.append(
            {
                "agreement_id": r["agreement_id"],
                "supplier_id": r["supplier_id"],
                "agreement": f"{r['agreement']} {r['title']}",
                "supplier": r["supplier"]
                or _("Other suppliers (%(count)s)") % {"count": r["suppliers"]},
                "cvr": r["cvr"],
                "amount": r["amount"],
                "missed": r["missed"],
            }
        )
        amount += r["amount"]
        missed += r["missed"]
    table.total = {"agreement": _("Total"), "amount": amount, "missed": missed}
    return table


@_memoised
def off_contract_suppliers_table(
    year: int, member: Member | None = None, min_members: int = 1, limit: int = 10
) -> Table:
    """The suppliers to talk to: most off-contract spend first (one member's or everyone's).

    For the consortium, suppliers that fewer than `min_members` members bought from are folded
    into one row (accounts.access.split_small_groups)."""
    table = Table(
        "off-contract-suppliers",
        _("Top %(n)s suppliers outside the agreements %(year)s") % {"n": limit, "year": year},
        [
            Column("supplier", _("Supplier")),
            Column("cvr", _("CVR")),
            Column("amount", _("Spend outside the agreements"), "kr"),
            Column("missed", _("Missed savings"), "kr"),
        ],
    )
    rows = selectors.off_contract_by_supplier(year, member_id=member.pk if member else None)
    shown, small = split_small_groups(rows, members=lambda r: r["members"], min_members=min_members)
    for r in shown[:limit]:
        table.rows.append(
            {
                "supplier_id": r["supplier_id"],
                "supplier": r["supplier"],
                "cvr": r["cvr"],
                "amount": r["amount"],
                "missed": r["missed"],
            }
        )
    if small and member is None and min_members > 1:
        table.rows.append(
            {
                "supplier_id": None,
                "supplier": _("Other suppliers (fewer than %(count)s members)")
                % {"count": min_members},
                "cvr": "",
                "amount": sum((r["amount"] for r in small), ZERO),
                "missed": sum((r["missed"] for r in small), ZERO),
            }
        )
        table.note = _(
            "Suppliers bought from by fewer than %(n)s members are shown together as one row."
        ) % {"n": min_members}
    return table


@_memoised
def insight_by_member_table(year: int) -> Table:
    """Every member's volume kept and off-contract spend (secretariat and board: numbers only)."""
    table = Table(
        "insight-by-member",
        _("Volume kept and spend outside the agreements by member %(year)s") % {"year": year},
        [
            Column("member", _("Member")),
            Column("declared", _("Declared volume"), "kr"),
            Column("bought", _("Bought on the agreements"), "kr"),
            Column("kept", _("Volume kept"), "percent"),
            Column("off_contract", _("Spend outside the agreements"), "kr"),
            Column("off_share", _("Share outside"), "percent"),
            Column("missed", _("Missed savings"), "kr"),
        ],
    )
    totals: dict[str, Any] = {
        "declared": ZERO,
        "bought": ZERO,
        "off_contract": ZERO,
        "missed": ZERO,
    }
    for r in selectors.off_contract_by_member(year):
        table.rows.append(
            {
                "member_id": r["member_id"],
                "member": r["member"],
                "declared": r["declared"],
                "bought": r["bought"],
                "kept": r["volume_kept_ratio"],
                "off_contract": r["off_contract_dkk"],
                "off_share": r["off_contract_share"],
                "missed": r["missed_savings_dkk"],
            }
        )
        for key, source in (
            ("declared", "declared"), ("bought", "bought"),
            ("off_contract", "off_contract_dkk"), ("missed", "missed_savings_dkk"),
        ):  # fmt: skip
            totals[key] += r[source]
    table.total = {
        "member": _("Total"),
        **totals,
        "off_share": share(totals["off_contract"], totals["off_contract"] + totals["bought"]),
    }
    return table


def member_insight_summary(year: int, member: Member) -> dict[str, Any]:
    """The member's own headline: declared, bought, kept, off-contract and what it cost."""
    kept = volume_kept_table(year, member)
    off = off_contract_table(year, member)
    return {
        "year": year,
        "declared": kept.total["declared"],
        "bought": kept.total["kept_spend"],
        "kept": kept.total["ratio"],
        "off_contract": off.total["amount"],
        "missed": off.total["missed"],
    }
