"""Pool a tender's volumes from the command line and print the result."""

from __future__ import annotations

import json

import pghistory
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from consortium.formatting import format_money
from tenders.models import Tender
from tenders.presentation import date_text, threshold_basis
from tenders.services import tender_pool_volumes


class Command(BaseCommand):
    help = "Pool the declared volumes of the tender REFERENCE, store the result and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the tender's reference, e.g. 2026-014")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: object, reference: str, json: bool = False, **options: object) -> None:
        tender = Tender.objects.filter(reference=reference).first()
        if tender is None:
            raise CommandError(f"No tender with reference {reference!r}.")
        with pghistory.context(source="pool_volumes"):
            run = tender_pool_volumes(tender=tender, user=None)
        with translation.override("da"):
            basis = threshold_basis(run.result)
            result = {
                "reference": tender.reference,
                "computed_at": run.computed_at.isoformat(),
                **run.result,
                # In words, for people reading the JSON: which threshold the verdict uses.
                "threshold_applies": basis["label"],
                "small_lot_limit_dkk": (
                    None if basis["small_lot_amount"] is None else str(basis["small_lot_amount"])
                ),
            }
            if json:
                self.stdout.write(_dumps(result))
                return
            self.stdout.write(render_text(tender, result))


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def render_text(tender: Tender, r: dict) -> str:
    """The pooling as a plain table: members × lots, totals, value and verdict."""
    lots = r["lots"]
    width = max([len(_("Member")), *(len(m["name"]) for m in r["members"])]) + 2
    col = 20

    def money(value: object) -> str:
        return (format_money(value) if value else "—").rjust(col)

    header = _("Member").ljust(width)
    header += "".join((_("Lot %(number)s") % {"number": lot["number"]}).rjust(col) for lot in lots)
    header += _("Total per year").rjust(col) + _("Spend, 12 months").rjust(col)
    lines = [
        f"{tender.reference} {tender.title}",
        _("Computed %(at)s") % {"at": date_text(r["computed_at"], with_time=True)},
        "",
        header,
    ]
    for m in r["members"]:
        row = m["name"].ljust(width) + "".join(money(m["volumes"][str(lot["id"])]) for lot in lots)
        lines.append(row + money(m["annual_total"]) + money(m["historical_spend"]))
    total = _("Total").ljust(width) + "".join(money(lot["annual_total"]) for lot in lots)
    lines += [total + money(r["annual_total"]) + money(r["historical_spend_total"]), ""]
    term = " + ".join(str(y) for y in [r["term_years"], *r["option_years"]])
    lines.append(
        _("Estimated contract value (%(term)s years): %(value)s")
        % {"term": term, "value": format_money(r["estimated_value"])}
    )
    basis = threshold_basis(r)
    lines.append(
        _("Threshold that applies: %(label)s (values in force on %(on)s)")
        % {"label": basis["label"], "on": basis["on"]}
    )
    if basis["small_lot_amount"] is not None:
        mark = _(" (PROVISIONAL: converted from EUR)") if basis["small_lot_provisional"] else ""
        below = ", ".join(str(n) for n in basis["small_lot_lots"]) or _("none")
        lines.append(
            _("Small-lots limit: %(amount)s%(mark)s — lots below it: %(lots)s")
            % {"amount": format_money(basis["small_lot_amount"]), "mark": mark, "lots": below}
        )
    t = r["threshold"]
    if t is None:
        lines.append(
            _("Threshold: none in force — cannot say whether an EU procedure is required.")
        )
    else:
        mark = _(" (PROVISIONAL: converted from EUR)") if t["provisional"] else ""
        lines.append(
            _("Threshold: %(amount)s%(mark)s — %(source)s")
            % {"amount": format_money(t["amount_dkk"]), "mark": mark, "source": t["source"]}
        )
        verdict = (
            _("EU procedure required")
            if r["eu_procedure_required"]
            else _("Below the EU threshold")
        )
        lines.append(_("Verdict: %(verdict)s%(mark)s") % {"verdict": verdict, "mark": mark})
    return "\n".join(lines) + "\n"
