"""Spreadsheet columns of the compliance exports (written by the shared `consortium.xlsx`)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from consortium.xlsx import MONEY, MONTH, PERCENT, TEXT, Column


def compliance_columns(*, per_member: bool) -> list[Column]:
    with translation.override("da"):
        columns = [
            Column(_("Agreement number"), TEXT, 14),
            Column(_("Agreement"), TEXT, 40),
        ]
        if per_member:
            columns.append(Column(_("Member"), TEXT, 20))
        columns += [
            Column(_("Month"), MONTH, 10),
            Column(_("Spend in the categories (DKK)"), MONEY, 22),
            Column(_("Spend with the agreement's suppliers (DKK)"), MONEY, 22),
            Column(_("Compliance"), PERCENT, 12),
            Column(_("Realised savings (DKK)"), MONEY, 20),
        ]
    return columns


def outside_columns() -> list[Column]:
    with translation.override("da"):
        return [
            Column(_("CVR number"), TEXT, 12),
            Column(_("Supplier"), TEXT, 40),
            Column(_("Spend (DKK)"), MONEY, 20),
        ]
