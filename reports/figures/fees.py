"""Member fees per budget year."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from consortium.formatting import format_money
from members.models import Fee, FeeModel

from ..periods import Period
from ..tables import Column, Table
from ._base import _memoised


@_memoised
def fees_table(period: Period) -> Table:
    fee_model = FeeModel.objects.filter(year=period.year).first()
    table = Table(
        "fees",
        _("Member fees %(year)s") % {"year": period.year},
        [
            Column("member", _("Member")),
            Column("population", _("Population"), "number"),
            Column("base", _("Base part"), "kr"),
            Column("population_part", _("Population part"), "kr"),
            Column("amount", _("Fee"), "kr"),
        ],
        note=(
            _("The fees add up to the secretariat's budget of %(budget)s to the øre.")
            % {"budget": format_money(fee_model.budget)}
            if fee_model
            else _("No fee model for the year yet.")
        ),
    )
    if fee_model is None:
        return table
    for fee in (
        Fee.objects.filter(fee_model=fee_model)
        .select_related("member__organisation")
        .order_by("member__organisation__name")
    ):
        table.rows.append(
            {
                "member": fee.member.name,
                "population": fee.population,
                "base": fee.base,
                "population_part": fee.population_part,
                "amount": fee.amount,
            }
        )
    table.total = {
        "member": _("Total"),
        "population": sum(r["population"] for r in table.rows),
        "base": sum((r["base"] for r in table.rows), Decimal(0)),
        "population_part": sum((r["population_part"] for r in table.rows), Decimal(0)),
        "amount": sum((r["amount"] for r in table.rows), Decimal(0)),
    }
    return table
