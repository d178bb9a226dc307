from __future__ import annotations

import datetime
import io

from spend.importing import ImportLimits
from spend.models import SpendImport
from spend.services import spend_import_create, spend_import_run

TODAY = datetime.date(2026, 11, 22)


def run_import(
    member,
    data: bytes,
    name: str = "udtraek.csv",
    *,
    user=None,
    limits: ImportLimits | None = None,
    **options,
) -> SpendImport:
    """Upload and import a file through the services, as the web and the command do."""
    spend_import = spend_import_create(
        member=member, user=user, file=io.BytesIO(data), name=name, **options
    )
    return spend_import_run(spend_import_id=spend_import.pk, today=TODAY, limits=limits)
