"""The fee overview as a spreadsheet for the secretariat (written by `consortium.xlsx`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consortium.xlsx import (
    INTEGER,
    MONEY,
    PERCENT,
    WARNING_COLOUR,
    Book,
    Cell,
    Column,
    Formula,
    money_header,
)

from .selectors import FeeTable


def fee_overview_xlsx(table: FeeTable) -> bytes:
    """One row per member (population, base part, population part, fee) and a total row."""
    fee_model = table.fee_model
    book = Book()
    sheet = book.sheet(_("Fees %(year)s") % {"year": fee_model.year})
    sheet.title(_("Fees %(year)s") % {"year": fee_model.year})
    sheet.append([money_header(_("Budget")), Cell(fee_model.budget, MONEY)])
    sheet.append([_("Base share"), Cell(fee_model.base_share, PERCENT)])
    sheet.append([money_header(_("Minimum fee")), Cell(fee_model.minimum_fee, MONEY)])
    sheet.append([_("Population year"), fee_model.population_year])
    if table.outdated:
        warning = _("Outdated: calculate the fees again before using them.")
        sheet.append([Cell(warning, bold=True, colour=WARNING_COLOUR)])
    sheet.blank()
    sheet.header(
        [
            Column(_("Member"), width=24),
            Column(_("Municipality codes"), width=18),
            Column(_("Population"), INTEGER, 14),
            Column(_("Population share"), PERCENT, 14),
            Column(money_header(_("Base part")), MONEY, 16),
            Column(money_header(_("Population part")), MONEY, 18),
            Column(money_header(_("Fee")), MONEY, 16),
            Column(_("At minimum"), width=12),
        ]
    )
    total_population = table.total_population or 1
    first = sheet.next_row
    for fee in table.fees:
        # Municipalities come prefetched with the table (members.fees.selectors.fee_table).
        codes = ", ".join(sorted(m.code for m in fee.member.municipalities.all()))
        sheet.append(
            [
                fee.member.name,
                codes,
                fee.population,
                fee.population / total_population,
                fee.base,
                fee.population_part,
                fee.amount,
                _("Yes") if fee.at_minimum else "",
            ]
        )
    last = sheet.next_row - 1
    sheet.append(
        [_("Total"), ""] + [Formula(f"=SUM({c}{first}:{c}{last})") for c in "CDEFG"], bold=True
    )
    return book.to_bytes()
