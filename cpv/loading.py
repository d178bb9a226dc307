"""Load the CPV list from the files kept in `cpv/data/` (see `cpv/data/SOURCES.md`).

`cpv2008_structure.csv` gives each code's check digit, parent, level and kind;
`cpv2008_labels.csv` its official English and Danish label from the Publications Office.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
STRUCTURE_PATH = DATA_DIR / "cpv2008_structure.csv"
LABELS_PATH = DATA_DIR / "cpv2008_labels.csv"


def read_structure() -> list[dict[str, str]]:
    """Rows of `code,code8,parent,level,type`, parents before their children."""
    with STRUCTURE_PATH.open(encoding="utf-8", newline="") as fh:
        return sorted(csv.DictReader(fh), key=lambda r: int(r["level"]))


def read_labels() -> dict[str, tuple[str, str]]:
    """code8 → (English label, Danish label)."""
    with LABELS_PATH.open(encoding="utf-8", newline="") as fh:
        return {r["code8"]: (r["label_en"], r["label_da"]) for r in csv.DictReader(fh)}


def load_cpv(model: Any) -> int:
    """Insert every code missing from the table (parents first). Returns the number added."""
    rows, labels = read_structure(), read_labels()
    unlabelled = sorted(r["code8"] for r in rows if r["code8"] not in labels)
    if unlabelled:
        raise ValueError(f"CPV codes without an official label: {unlabelled}")
    existing = set(model.objects.values_list("code", flat=True))
    new = [
        model(
            code=r["code"],
            code8=r["code8"],
            parent_id=r["parent"] or None,
            level=int(r["level"]),
            kind=r["type"],
            label_en=labels[r["code8"]][0],
            label_da=labels[r["code8"]][1],
        )
        for r in rows
        if r["code"] not in existing
    ]
    model.objects.bulk_create(new, batch_size=2000)
    return len(new)


def update_cpv_labels(model: Any) -> int:
    """Give every stored code its official labels, in place. Returns the number of codes changed.

    Only the two label columns are written, so the codes that tenders, agreements, spend lines
    and articles point to stay as they are. A stored code the official list lacks keeps its
    labels: it is never deleted, since rows may refer to it.
    """
    labels = read_labels()
    changed = []
    for cpv in model.objects.only("code", "code8", "label_en", "label_da"):
        official = labels.get(cpv.code8)
        if official is not None and (cpv.label_en, cpv.label_da) != official:
            cpv.label_en, cpv.label_da = official
            changed.append(cpv)
    model.objects.bulk_update(changed, ["label_en", "label_da"], batch_size=1000)
    return len(changed)
