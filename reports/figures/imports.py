"""The latest spend imports of all members (secretariat)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from spend.models import SpendImport

from ..periods import Period, current_year_period
from ..tables import Column, Table


def recent_imports_table(period: Period | None = None, limit: int = 15) -> Table:
    """The period's latest spend imports of all members and how they ended (secretariat)."""
    period = period or current_year_period()
    imports = (
        SpendImport.objects.filter(
            created_at__date__gte=period.start, created_at__date__lt=period.end
        )
        .select_related("member__organisation")
        .order_by("-created_at")[:limit]
    )
    table = Table(
        "recent-imports",
        _("Latest spend imports"),
        [
            Column("member", _("Member")),
            Column("file", _("File")),
            Column("uploaded", _("Uploaded"), "date"),
            Column("status", _("Status")),
            Column("new", _("New lines"), "number"),
            Column("errors", _("Errors"), "number"),
        ],
    )
    for i in imports:
        table.rows.append(
            {
                "member": i.member.name,
                "file": i.original_name,
                "uploaded": timezone.localtime(i.created_at).date(),
                "status": i.get_status_display(),
                "new": i.lines_new,
                "errors": i.error_count,
            }
        )
    return table
