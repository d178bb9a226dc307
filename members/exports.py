"""The fee overview as a spreadsheet for the secretariat."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import FeeTable

MONEY = '#,##0.00 "kr."'


def fee_overview_xlsx(table: FeeTable) -> bytes:
    """One row per member (population, base part, population part, fee) and a total row."""
    fee_model = table.fee_model
    book = Workbook()
    sheet = book.active
    sheet.title = _("Fees %(year)s") % {"year": fee_model.year}
    sheet.append([_("Fees %(year)s") % {"year": fee_model.year}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Budget"), fee_model.budget])
    sheet.append([_("Base share"), fee_model.base_share])
    sheet.append([_("Minimum fee"), fee_model.minimum_fee])
    sheet.append([_("Population year"), fee_model.population_year])
    if table.outdated:
        sheet.append([_("Outdated: calculate the fees again before using them.")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="B00020")
    sheet.append([])
    header = [
        _("Member"),
        _("Municipality codes"),
        _("Population"),
        _("Population share"),
        _("Base part"),
        _("Population part"),
        _("Fee"),
        _("At minimum"),
    ]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    total_population = table.total_population or 1
    for fee in table.fees:
        # Municipalities come prefetched with the table (members.selectors.fee_table).
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
    first, last = header_row + 1, sheet.max_row
    sheet.append(
        [_("Total"), "", f"=SUM(C{first}:C{last})", f"=SUM(D{first}:D{last})",
         f"=SUM(E{first}:E{last})", f"=SUM(F{first}:F{last})", f"=SUM(G{first}:G{last})"]
    )  # fmt: skip
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row):
        row[2].number_format = "#,##0"
        row[3].number_format = "0.00%"
        for cell in row[4:7]:
            cell.number_format = MONEY
    sheet["B2"].number_format = MONEY
    sheet["B3"].number_format = "0.00%"
    sheet["B4"].number_format = MONEY
    for column, width in zip("ABCDEFGH", (24, 18, 14, 14, 16, 18, 16, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
