"""Spreadsheet columns of the compliance exports (written by the shared `consortium.xlsx`)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def outside_note(rows: list[dict], *, min_members: int) -> str:
    """What the outside-agreement table leaves out: the suppliers in its folded last row."""
    folded = next((r for r in rows if r.get("supplier_id") is None), None)
    if folded is None:
        return ""
    return ngettext(
        "%(count)s supplier that fewer than %(min)s members bought from is in the last row, "
        "so that no member's own spend can be read from the table.",
        "%(count)s suppliers that fewer than %(min)s members bought from are added up in the "
        "last row, so that no member's own spend can be read from the table.",
        folded["suppliers"],
    ) % {"count": folded["suppliers"], "min": min_members}
