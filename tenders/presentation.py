"""Turning a stored pooling result into what people look at: chart geometry and a spreadsheet."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consortium import xlsx
from consortium.formatting import format_money

CHART_WIDTH = 720
LABEL_WIDTH = 170
VALUE_WIDTH = 150
BAR_HEIGHT = 22
GAP = 10


def pooling_chart(result: dict[str, Any]) -> dict[str, Any]:
    """Horizontal bars: each lot's and the total estimated value, with the threshold as a line."""
    rows = [
        (_("Lot %(number)s") % {"number": lot["number"]}, Decimal(lot["estimated_value"]), False)
        for lot in result["lots"]
    ]
    rows.append((_("Total"), Decimal(result["estimated_value"]), True))
    threshold = result.get("threshold")
    limit = Decimal(threshold["amount_dkk"]) if threshold else None
    scale_max = max([v for _l, v, _t in rows] + ([limit] if limit else []) + [Decimal(1)])
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, (label, value, is_total) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label,
                "value": format_money(value, 0),
                "x": LABEL_WIDTH,
                "y": y,
                "width": round(float(value / scale_max) * span, 1),
                "text_y": y + BAR_HEIGHT * 0.7,
                "is_total": is_total,
            }
        )
    height = GAP + len(rows) * (BAR_HEIGHT + GAP) + 24
    line = None
    if limit:
        x = LABEL_WIDTH + round(float(limit / scale_max) * span, 1)
        line = {
            "x": x,
            "text_y": height - 6,
            "label": _("Threshold %(amount)s") % {"amount": format_money(limit, 0)},
        }
    return {
        "width": CHART_WIDTH,
        "height": height,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "threshold": line,
        "axis_y": height - 22,
        "value_x": CHART_WIDTH - VALUE_WIDTH + 8,
        "label_x": LABEL_WIDTH - 8,
    }


def date_text(value: Any, *, with_time: bool = False) -> str:
    """A date (and time) as the active language writes it: 21.11.2026 (12:00) in Danish."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = (
            datetime.datetime.fromisoformat(value)
            if with_time
            else datetime.date.fromisoformat(value[:10])
        )
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if not with_time:
            value = value.date()
    return date_format(value, "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT")


def _threshold_labels() -> dict[tuple[str, str], str]:
    return {
        ("supplies_services", "sub_central"): _(
            "Supplies and services, sub-central contracting authorities"
        ),
        ("supplies_services", "central"): _(
            "Supplies and services, central government authorities"
        ),
        ("works", ""): _("Works (every contracting authority)"),
        ("social", ""): _("Social and other specific services (every contracting authority)"),
    }


def threshold_basis(result: dict[str, Any]) -> dict[str, Any]:
    """Which threshold a stored verdict measures against, in words, and the small-lots limit.

    Supplies and services have one value for central government and one for sub-central
    authorities; works and social services have one value for every contracting authority.
    """
    from .pooling import THRESHOLD_KIND_FOR_CONTRACT

    kind = result.get("threshold_kind") or THRESHOLD_KIND_FOR_CONTRACT.get(
        result.get("contract_kind", ""), "supplies_services"
    )
    level = result.get("authority_level") or "sub_central"
    labels = _threshold_labels()
    label = labels.get((kind, level if kind == "supplies_services" else ""), kind)
    small = result.get("small_lot_limit")
    return {
        "kind": kind,
        "label": label,
        "on": date_text(result.get("threshold_on") or result.get("on")),
        "small_lot_amount": Decimal(small["amount_dkk"]) if small else None,
        "small_lot_provisional": bool(small and small["provisional"]),
        "small_lot_lots": [
            lot["number"] for lot in result.get("lots", []) if lot.get("below_small_lot_limit")
        ],
        # Which lots may be exempted within the 20 % cap (None: no EU procedure, or no limit).
        "small_lots": _small_lots(result.get("small_lots")),
    }


def _small_lots(small: dict[str, Any] | None) -> dict[str, Any] | None:
    if not small:
        return None
    return {
        **small,
        "cap": Decimal(small["cap_dkk"]),
        "exempt_sum": Decimal(small["exempt_total"]),
        "exempt_text": ", ".join(str(n) for n in small["exempt"]),
        "over_cap_text": ", ".join(str(n) for n in small["over_cap"]),
    }


def pooling_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The members of a result with their volumes as a list in lot order (for tables)."""
    return [
        {**m, "cells": [m["volumes"][str(lot["id"])] for lot in result["lots"]]}
        for m in result["members"]
    ]


def pooling_xlsx(tender: Any, run: Any) -> bytes:
    """The pooling as a workbook: volumes per member and lot, and the verdict.

    Amounts keep their øre in the cell and show whole kroner, as the tender's page does."""
    r = run.result
    book = xlsx.Book()
    ws = book.sheet(_("Volumes"))
    ws.title(f"{tender.reference} {tender.title}")
    ws.append([_("Computed"), run.computed_at])
    ws.blank()
    lots = r["lots"]
    columns = [xlsx.Column(_("Member"), width=28)]
    columns += [
        xlsx.Column(
            _("Lot %(number)s (DKK/year)") % {"number": lot["number"]}, xlsx.WHOLE_KRONER, 20
        )
        for lot in lots
    ]
    columns += [
        xlsx.Column(_("Total per year"), xlsx.WHOLE_KRONER, 20),
        xlsx.Column(_("Historical spend, 12 months"), xlsx.WHOLE_KRONER, 20),
    ]
    ws.header(columns)
    for m in r["members"]:
        row: list[Any] = [m["name"]]
        row += [Decimal(m["volumes"][str(lot["id"])]) for lot in lots]
        row += [Decimal(m["annual_total"])]
        row += [Decimal(m["historical_spend"]) if m["historical_spend"] else None]
        ws.append(row)
    totals: list[Any] = [_("Total")] + [Decimal(lot["annual_total"]) for lot in lots]
    totals += [Decimal(r["annual_total"])]
    totals += [Decimal(r["historical_spend_total"]) if r["historical_spend_total"] else None]
    ws.append(totals, bold=True)

    verdict = book.sheet(_("Verdict"))
    threshold = r["threshold"]
    verdict.append(
        [_("Term (years)"), " + ".join(str(y) for y in [r["term_years"], *r["option_years"]])]
    )
    verdict.append(
        [
            _("Estimated value over the term"),
            xlsx.Cell(Decimal(r["estimated_value"]), xlsx.WHOLE_KRONER),
        ]
    )
    basis = threshold_basis(r)
    verdict.append([_("Threshold that applies"), basis["label"]])
    verdict.append([_("Thresholds in force on"), basis["on"]])
    if basis["small_lot_amount"] is not None:
        verdict.append(
            [_("Small-lots limit (DKK)"), xlsx.Cell(basis["small_lot_amount"], xlsx.WHOLE_KRONER)]
        )
        if basis["small_lot_lots"]:
            verdict.append(
                [
                    _("Lots below the small-lots limit"),
                    ", ".join(str(n) for n in basis["small_lot_lots"]),
                ]
            )
    if basis["small_lots"]:
        verdict.append(
            [
                _("Lots the secretariat may exempt"),
                basis["small_lots"]["exempt_text"] or _("none"),
            ]
        )
        verdict.append([_("Rule"), basis["small_lots"]["rule"]])
    if threshold:
        verdict.append(
            [_("Threshold (DKK)"), xlsx.Cell(Decimal(threshold["amount_dkk"]), xlsx.WHOLE_KRONER)]
        )
        verdict.append([_("Source"), threshold["source"]])
        if threshold["provisional"]:
            verdict.append(
                [
                    _("Provisional"),
                    _(
                        "Converted from EUR %(eur)s at %(rate)s: the official DKK value is not entered."
                    )
                    % {"eur": threshold["amount_eur"], "rate": threshold["rate"]},
                ]
            )
        verdict.append(
            [
                _("EU procedure required"),
                _("Yes") if r["eu_procedure_required"] else _("No"),
            ]
        )
    else:
        verdict.append([_("Threshold (DKK)"), _("No threshold in force")])
    verdict.widths([34, 60])
    return book.to_bytes()


def money_text(value: Any) -> str:
    return format_money(value)
