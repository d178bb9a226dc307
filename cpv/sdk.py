"""Read the official CPV labels from the eForms SDK and write them as `cpv/data/cpv2008_labels.csv`.

The Publications Office of the EU publishes, in the eForms SDK, a label in every EU language for
each CPV 2008 code: `translations/code_<lang>.xml`, Java properties XML with entries keyed
`code|name|cpv.<8 digits>`. Only the English and Danish names are kept.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from defusedxml import ElementTree

CPV_KEY = "code|name|cpv."
LANGUAGES = ("en", "da")
HEADER = ("code8", "label_en", "label_da")

Labels = dict[str, tuple[str, str]]  # code8 → (English label, Danish label)


class SdkMismatch(ValueError):
    """The SDK's CPV labels do not line up with the vocabulary."""


def _names(path: Path) -> dict[str, str]:
    root = ElementTree.parse(path).getroot()
    return {
        entry.get("key", "").removeprefix(CPV_KEY): (entry.text or "").strip()
        for entry in root.iter("entry")
        if entry.get("key", "").startswith(CPV_KEY)
    }


def read_sdk_labels(sdk_dir: Path) -> Labels:
    """Every CPV code's English and Danish name in the SDK at `sdk_dir`.

    A code named in one language only, or with an empty name, is an error: the vocabulary must
    never show a code without its official label.
    """
    en, da = (_names(sdk_dir / "translations" / f"code_{lang}.xml") for lang in LANGUAGES)
    incomplete = sorted(
        code for code in en.keys() | da.keys() if not en.get(code) or not da.get(code)
    )
    if incomplete:
        raise SdkMismatch(f"CPV codes without both an English and a Danish name: {incomplete}")
    return {code: (en[code], da[code]) for code in sorted(en)}


def compare_codes(labels: Labels, codes: set[str]) -> None:
    """Refuse labels whose code set is not exactly `codes`, naming the codes on either side."""
    missing, extra = sorted(codes - labels.keys()), sorted(labels.keys() - codes)
    if missing or extra:
        raise SdkMismatch(
            f"The SDK's CPV codes differ from cpv/data/cpv2008_structure.csv: "
            f"not in the SDK {missing}, only in the SDK {extra}"
        )


def labels_csv(labels: Labels) -> str:
    """The labels as the CSV text kept in the repository, one row per code in code order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((code, en, da) for code, (en, da) in sorted(labels.items()))
    return out.getvalue()
