"""Load the CPV list from the CSV kept in the repository."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

CSV_PATH = Path(__file__).resolve().parent / "data" / "cpv2008_en_da.csv"


def load_cpv(model: Any) -> int:
    """Insert every code missing from the table (parents first). Returns the number added."""
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["level"]))
    existing = set(model.objects.values_list("code", flat=True))
    new = [
        model(
            code=r["code"],
            code8=r["code8"],
            parent_id=r["parent"] or None,
            level=int(r["level"]),
            kind=r["type"],
            label_en=r["label_en"],
            label_da=r["label_da"] or r["label_en"],
        )
        for r in rows
        if r["code"] not in existing
    ]
    model.objects.bulk_create(new, batch_size=2000)
    return len(new)
