"""Reading the stored insight figures. Only stored figures are read here (no spend lines), so a
member's page stays fast; callers check who may see which member's figures (accounts/access.py),
and row-level security holds the same line underneath."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from agreements.models import Agreement
from consortium import tenancy
from tenders.models import PoolingRun

from . import rules
from .models import (
    DEFAULT_HIGH_MARGIN,
    DEFAULT_LOW_THRESHOLD,
    FrameworkMaximum,
    InsightSettings,
    OffContractFigure,
    OffContractSupplierFigure,
    VolumeKeptFigure,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Thresholds:
    low_threshold: Decimal
    high_margin: Decimal


def thresholds() -> Thresholds:
    found = InsightSettings.objects.order_by("pk").values("low_threshold", "high_margin").first()
    if not found:
        return Thresholds(DEFAULT_LOW_THRESHOLD, DEFAULT_HIGH_MARGIN)
    return Thresholds(found["low_threshold"], found["high_margin"])


def volume_kept(
    year: int, *, member_id: int | None = None, agreement_id: int | None = None
) -> list[dict[str, Any]]:
    """Volume kept per agreement × member in `year`: declared, bought, ratio and flag."""
    limits = thresholds()
    figures = VolumeKeptFigure.objects.filter(year=year)
    if member_id is not None:
        figures = figures.filter(member_id=member_id)
    if agreement_id is not None:
        figures = figures.filter(agreement_id=agreement_id)
    rows = []
    for f in figures.values(
        "agreement_id", "agreement__number", "agreement__title", "member_id",
        "member__organisation__name", "declared_annual", "days_in_force", "days_in_year",
        "declared", "spend",
    ).order_by("agreement__number", "member__organisation__name"):  # fmt: skip
        kept = rules.ratio(f["spend"], f["declared"])
        rows.append(
            {
                "agreement_id": f["agreement_id"],
                "agreement": f["agreement__number"],
                "title": f["agreement__title"],
                "member_id": f["member_id"],
                "member": f["member__organisation__name"],
                "declared_annual": f["declared_annual"],
                "days_in_force": f["days_in_force"],
                "days_in_year": f["days_in_year"],
                "declared": f["declared"],
                "spend": f["spend"],
                "ratio": kept,
                "flag": rules.flag(
                    kept, low_threshold=limits.low_threshold, high_margin=limits.high_margin
                ),
            }
        )
    return rows


def volume_kept_years(member_id: int | None = None) -> list[int]:
    figures = VolumeKeptFigure.objects.all()
    if member_id is not None:
        figures = figures.filter(member_id=member_id)
    return sorted(set(figures.values_list("year", flat=True).distinct()), reverse=True)


# --- framework maximum --------------------------------------------------------------------------


def _pooled_maximums(agreements: list[Agreement]) -> dict[int, Decimal]:
    """The originating tender's pooled estimate over the whole term: the lot's, or the tender's
    when the agreement names no lot (the value the EU notice states as the maximum)."""
    tender_ids = {a.tender_id for a in agreements if a.tender_id}
    latest: dict[int, PoolingRun] = {}
    for run in PoolingRun.objects.filter(tender_id__in=tender_ids).order_by("computed_at"):
        latest[run.tender_id] = run
    result: dict[int, Decimal] = {}
    for a in agreements:
        run = latest.get(a.tender_id) if a.tender_id else None
        if run is None:
            continue
        if a.lot_id is None:
            if run.estimated_value:
                result[a.pk] = run.estimated_value
            continue
        for lot in run.result.get("lots", []):
            if str(lot.get("id")) == str(a.lot_id) and lot.get("estimated_value"):
                result[a.pk] = Decimal(str(lot["estimated_value"]))
    return result


def framework_consumption(agreement_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per framework agreement: its maximum value (entered by the secretariat, else the pooled
    estimate), every bound member's spend on it over its life, the share and the level
    (rules.consumption_level). An agreement-level aggregate of every member, which whoever sees
    the agreement may read (the consumption of a shared maximum, not any member's figure)."""
    agreements = list(
        Agreement.objects.filter(kind=Agreement.Kind.FRAMEWORK).order_by("number")
        if agreement_ids is None
        else Agreement.objects.filter(pk__in=agreement_ids, kind=Agreement.Kind.FRAMEWORK).order_by(
            "number"
        )
    )
    entered = {
        m.agreement_id: m
        for m in FrameworkMaximum.objects.filter(agreement__in=[a.pk for a in agreements])
    }
    pooled = _pooled_maximums([a for a in agreements if a.pk not in entered])
    with tenancy.across_members():
        sums = {
            r["agreement_id"]: r
            for r in VolumeKeptFigure.objects.filter(agreement__in=[a.pk for a in agreements])
            .values("agreement_id")
            .annotate(
                total=Sum("spend"),
                buyers=Count("member_id", distinct=True, filter=~Q(spend=0)),
            )
        }
    rows = []
    for a in agreements:
        if a.pk in entered:
            maximum, source = entered[a.pk].maximum_value, "entered"
        elif a.pk in pooled:
            maximum, source = pooled[a.pk], "pooled"
        else:
            maximum, source = None, ""
        spent = (sums.get(a.pk) or {}).get("total") or ZERO
        rows.append(
            {
                "agreement_id": a.pk,
                "agreement": a.number,
                "title": a.title,
                "maximum": maximum,
                "source": source,
                "consumed": spent,
                "share": (spent / maximum) if maximum else None,
                "level": rules.consumption_level(spent, maximum),
                "members": (sums.get(a.pk) or {}).get("buyers") or 0,
            }
        )
    return rows


# --- off-contract spend -------------------------------------------------------------------------


def off_contract_by_supplier(
    year: int, *, member_id: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The suppliers to talk to: off-contract spend and missed savings per supplier over all
    agreements, most first — a member's ten largest, or (member_id None) the consortium's sums
    of each member's ten largest, with how many members have the supplier among them."""
    figures = OffContractSupplierFigure.objects.filter(year=year)
    if member_id is not None:
        figures = figures.filter(member_id=member_id)
    rows = (
        figures.values("supplier_id", "supplier__name", "supplier__cvr")
        .annotate(
            amount_total=Sum("amount"),
            missed_total=Sum("missed_savings"),
            lines_total=Sum("lines"),
            members=Count("member_id", distinct=True),
        )
        .order_by("-amount_total", "supplier__name")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "supplier_id": r["supplier_id"],
            "supplier": r["supplier__name"],
            "cvr": r["supplier__cvr"],
            "amount": r["amount_total"],
            "missed": r["missed_total"],
            "lines": r["lines_total"],
            "members": r["members"],
        }
        for r in rows
    ]


def off_contract_by_agreement_supplier(
    year: int, *, member_id: int | None = None
) -> list[dict[str, Any]]:
    """Off-contract spend and missed savings per agreement and supplier: the ten largest
    suppliers of each agreement by name, the rest in one row (`supplier_id` None) with the number
    of suppliers in it."""
    figures = OffContractFigure.objects.filter(year=year)
    if member_id is not None:
        figures = figures.filter(member_id=member_id)
    rows = (
        figures.values(
            "agreement_id", "agreement__number", "agreement__title", "agreement__savings_rate",
            "supplier_id", "supplier__name", "supplier__cvr",
        )
        .annotate(amount_total=Sum("amount"), missed_total=Sum("missed_savings"),
                  lines_total=Sum("lines"), suppliers_total=Sum("suppliers"),
                  members=Count("member_id", distinct=True))
    )  # fmt: skip
    result = [
        {
            "agreement_id": r["agreement_id"],
            "agreement": r["agreement__number"],
            "title": r["agreement__title"],
            "savings_rate": r["agreement__savings_rate"],
            "supplier_id": r["supplier_id"],
            "supplier": r["supplier__name"],
            "cvr": r["supplier__cvr"] or "",
            "amount": r["amount_total"],
            "missed": r["missed_total"],
            "lines": r["lines_total"],
            "suppliers": r["suppliers_total"],
            "members": r["members"],
        }
        for r in rows
    ]
    # Per agreement the named suppliers, most first, then the row of the others.
    result.sort(
        key=lambda r: (r["agreement"], r["supplier_id"] is None, -r["amount"], r["supplier"] or "")
    )
    return result


def named_suppliers(member_id: int, agreement_id: int, year: int) -> list[int]:
    """The suppliers an agreement's off-contract rows name (the others are in its rest row)."""
    return list(
        OffContractFigure.objects.filter(
            member_id=member_id, agreement_id=agreement_id, year=year, supplier__isnull=False
        ).values_list("supplier_id", flat=True)
    )


def off_contract_by_member(year: int) -> list[dict[str, Any]]:
    """Secretariat: every member's off-contract spend, missed savings and bought volume."""
    metrics = _metrics(year)
    return sorted(metrics.values(), key=lambda r: r["member"])


def _metrics(year: int) -> dict[int, dict[str, Any]]:
    off = {
        r["member_id"]: r
        for r in OffContractFigure.objects.filter(year=year)
        .values("member_id")
        .annotate(amount_total=Sum("amount"), missed_total=Sum("missed_savings"))
    }
    kept = {
        r["member_id"]: r
        for r in VolumeKeptFigure.objects.filter(year=year)
        .values("member_id", "member__organisation__name")
        .annotate(
            declared_total=Sum("declared"),
            bought_total=Sum("spend"),
            kept_total=Sum("spend", filter=Q(declared__gt=0)),
        )
    }
    names = {k: v["member__organisation__name"] for k, v in kept.items()}
    if off:
        from members.models import Member

        for pk, name in Member.objects.filter(pk__in=set(off) - set(names)).values_list(
            "pk", "organisation__name"
        ):
            names[pk] = name
    result: dict[int, dict[str, Any]] = {}
    for member_id in set(off) | set(kept):
        o = off.get(member_id, {})
        k = kept.get(member_id, {})
        amount = o.get("amount_total") or ZERO
        bought = k.get("bought_total") or ZERO
        declared = k.get("declared_total") or ZERO
        kept_spend = k.get("kept_total") or ZERO
        result[member_id] = {
            "member_id": member_id,
            "member": names.get(member_id, ""),
            "declared": declared,
            "bought": bought,
            "volume_kept_ratio": rules.ratio(kept_spend, declared),
            "off_contract_dkk": amount,
            "off_contract_share": (amount / (amount + bought)) if (amount + bought) else None,
            "missed_savings_dkk": o.get("missed_total") or ZERO,
        }
    return result


def member_year_metrics(year: int) -> dict[int, dict[str, Any]]:
    """Per member, for the peer comparison: volume kept (bought ÷ declared, over the agreements
    it declared a volume for), off-contract share (off-contract ÷ (off-contract + bought on agreements)),
    off-contract spend and missed savings. Computed from every member's stored figures, so
    inside `tenancy.across_members()`; the caller shows only what its user may see."""
    with tenancy.across_members():
        metrics = _metrics(year)
    return {
        member_id: {
            "volume_kept_ratio": m["volume_kept_ratio"],
            "off_contract_share": m["off_contract_share"],
            "off_contract_dkk": m["off_contract_dkk"],
            "missed_savings_dkk": m["missed_savings_dkk"],
        }
        for member_id, m in metrics.items()
    }
