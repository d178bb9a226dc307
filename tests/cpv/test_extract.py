"""`extract_cpv_labels` regenerates cpv/data/cpv2008_labels.csv from the eForms SDK's translation
files, and refuses when the SDK's codes are not the vocabulary's."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).resolve().parents[2] / "cpv" / "data"
LABELS = DATA / "cpv2008_labels.csv"


def committed() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_sdk(root: Path, rows: list[dict[str, str]]) -> Path:
    """An SDK folder whose translations hold `rows`, shuffled among other code lists' entries."""
    (root / "translations").mkdir(parents=True)
    for lang in ("en", "da"):
        entries = [
            '<entry key="code|name|accelerated-procedure.true">yes</entry>',
            '<entry key="code|name|nuts.DK011">Byen København</entry>',
            *(
                f"<entry key={quoteattr('code|name|cpv.' + r['code8'])}>"
                f"{escape(r['label_' + lang])}</entry>"
                for r in reversed(rows)
            ),
            '<entry key="code|description|cpv.03000000">not a name</entry>',
        ]
        (root / "translations" / f"code_{lang}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n'
            "<properties>\n<comment>code</comment>\n" + "\n".join(entries) + "\n</properties>\n",
            encoding="utf-8",
        )
    return root


def test_regenerates_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    sdk = write_sdk(tmp_path / "sdk", committed())
    out = tmp_path / "labels.csv"
    call_command("extract_cpv_labels", str(sdk), output=str(out), stdout=io.StringIO())
    assert out.read_bytes() == LABELS.read_bytes()


def test_check_passes_when_the_file_matches_the_sdk(tmp_path: Path) -> None:
    sdk = write_sdk(tmp_path / "sdk", committed())
    call_command("extract_cpv_labels", str(sdk), check=True, stdout=io.StringIO())


def test_check_names_the_codes_whose_labels_differ(tmp_path: Path) -> None:
    rows = committed()
    changed = next(r for r in rows if r["code8"] == "34000000")
    changed["label_da"] = "Forrådnelseshæmmende masker"
    sdk = write_sdk(tmp_path / "sdk", rows)
    with pytest.raises(CommandError, match="34000000"):
        call_command("extract_cpv_labels", str(sdk), check=True)


def test_refuses_an_sdk_whose_codes_differ_from_the_vocabulary(tmp_path: Path) -> None:
    rows = [r for r in committed() if r["code8"] != "03212210"]
    rows.append({"code8": "99999999", "label_en": "New", "label_da": "Ny"})
    sdk = write_sdk(tmp_path / "sdk", rows)
    out = tmp_path / "labels.csv"
    with pytest.raises(CommandError, match=r"03212210.*99999999|99999999.*03212210"):
        call_command("extract_cpv_labels", str(sdk), output=str(out))
    assert not out.exists()


def test_refuses_a_code_without_a_danish_label(tmp_path: Path) -> None:
    sdk = write_sdk(tmp_path / "sdk", committed())
    da = sdk / "translations" / "code_da.xml"
    lines = da.read_text(encoding="utf-8").splitlines(keepends=True)
    da.write_text(
        "".join(x for x in lines if '"code|name|cpv.34000000"' not in x), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="34000000"):
        call_command("extract_cpv_labels", str(sdk), output=str(tmp_path / "labels.csv"))
