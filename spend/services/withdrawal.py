"""Withdrawing a standing import: its lines go unless another standing import holds them."""

from __future__ import annotations

import pghistory
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User

from .. import hooks
from ..models import SpendImport
from .writing import lock_member


class ImportNotWithdrawable(Exception):
    """Only an import that stands (imported, or unchanged) can be withdrawn."""


def spend_import_withdraw(*, spend_import: SpendImport, user: User | None) -> SpendImport:
    """Take a standing import back: remove the lines it brought that no other standing import holds.

    A line the import brought that another standing import also holds passes to the earliest
    such import instead; lines it only held (another import brought them) stay with theirs. All
    in one transaction under the member's lock; the after-import hooks then recompute over the
    invoice dates of the lines removed.

    The import returned carries `lines_withdrawn` (lines deleted) and, not stored,
    `lines_passed_on` (lines it brought that stay with another standing import), so that what the
    page says is what happened.
    """
    with (
        transaction.atomic(),
        pghistory.context(user=user.pk if user else None, action="spend_import_withdraw"),
    ):
        lock_member(spend_import.member_id)
        spend_import = SpendImport.objects.select_for_update().get(pk=spend_import.pk)
        if not spend_import.is_standing:
            raise ImportNotWithdrawable(spend_import.status)
        with connection.cursor() as cursor:
            # A line is found by (id, invoice date), the key of the partitioned lines, so each
            # lookup reads the line's year only.
            cursor.execute(
                """
                WITH heirs AS (
                    SELECT DISTINCT ON (h.line_id) h.line_id, h.line_date, h.spend_import_id
                    FROM spend_spendlineimport h
                    JOIN spend_spendline l ON l.id = h.line_id AND l.invoice_date = h.line_date
                    WHERE l.spend_import_id = %(import)s
                    ORDER BY h.line_id, h.spend_import_id
                ), moved AS (
                    UPDATE spend_spendline l SET spend_import_id = heirs.spend_import_id
                    FROM heirs WHERE l.id = heirs.line_id AND l.invoice_date = heirs.line_date
                    RETURNING l.id, l.invoice_date, l.spend_import_id
                )
                DELETE FROM spend_spendlineimport h USING moved
                WHERE h.line_id = moved.id AND h.line_date = moved.invoice_date
                  AND h.spend_import_id = moved.spend_import_id
                """,
                {"import": spend_import.pk},
            )
            passed_on = max(cursor.rowcount, 0)
            cursor.execute(
                """
                WITH gone AS (
                    DELETE FROM spend_spendline WHERE spend_import_id = %s RETURNING invoice_date
                )
                SELECT count(*), min(invoice_date), max(invoice_date) FROM gone
                """,
                [spend_import.pk],
            )
            removed, first, last = cursor.fetchone()
            cursor.execute(
                "DELETE FROM spend_spendlineimport WHERE spend_import_id = %s", [spend_import.pk]
            )
        spend_import.status = SpendImport.Status.WITHDRAWN
        spend_import.withdrawn_at = timezone.now()
        spend_import.withdrawn_by = user
        spend_import.lines_withdrawn = removed
        spend_import.lines_passed_on = passed_on
        spend_import.full_clean()
        spend_import.save()
        if removed:
            member_id = spend_import.member_id
            transaction.on_commit(lambda: hooks.run_after_import(member_id, first, last))
    return spend_import
