"""The validator against the SDK's own examples, and notices built from the portal's data."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.utils.translation import override

from notices.builder import build_notice
from notices.fields import explain
from notices.models import Notice
from notices.sample import sample_data
from notices.validation import SDK_DIR, validate
from tenders.models import Tender

EXAMPLES = SDK_DIR / "examples" / "notices"
REPORTS = json.loads((SDK_DIR / "examples" / "sdk_reports.json").read_text())
# Rules newer than the shipped reports (SDK 1.15.0): the "mandatory attribute" rules and the
# large-enterprise statistic an award notice with statistics must give.
NEWER_RULE = "BR-BT-13713-0123"


def _newer_than_report(rule_id: str, name: str) -> bool:
    if rule_id.endswith("-Scheme_MA") and name.startswith("INVALID_"):
        return True
    if rule_id == NEWER_RULE and "can_24" in name:
        return True
    return rule_id == "BR-BT-00137-0215" and name == "INVALID_can_24_stage-1.xml"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.xml")), ids=lambda p: p.name)
def test_sdk_examples_agree_with_the_sdk_reports(path: Path) -> None:
    report = validate(path.read_bytes())
    assert not report.xsd_errors
    got = Counter((f.rule_id, f.role) for f in report.findings)
    want = Counter((rule, role) for rule, role, _location in REPORTS[path.name])
    assert not want - got, "a rule the SDK reports was missed"
    extra = got - want
    assert all(_newer_than_report(rule, path.name) for rule, _role in extra), extra


def test_subtype_29_examples_that_trip_the_newer_rule() -> None:
    tripped = sorted(
        path.name
        for path in EXAMPLES.glob("can_24_*.xml")
        if any(f.rule_id == NEWER_RULE for f in validate(path.read_bytes()).findings)
    )
    assert tripped == [
        "can_24_FRA_comments.xml", "can_24_LSBU.xml", "can_24_UKRI.xml",
        "can_24_maximal.xml", "can_24_minimal.xml",
    ]  # fmt: skip


@pytest.mark.parametrize("subtype", ["4", "16", "29"])
def test_joint_notice_passes_xsd_and_rules(subtype: str) -> None:
    report = validate(build_notice(sample_data(subtype, lots=3, buyers=3)))
    assert report.xsd_errors == []
    assert report.findings == []


def test_twenty_lot_notice_validates_within_two_seconds() -> None:
    xml = build_notice(sample_data("16", lots=20))
    validate(xml)  # the rules are loaded once per process
    report = validate(xml)
    assert report.valid
    assert report.seconds <= 2


def _explained(data: dict) -> list:
    xml = build_notice(data)
    report = validate(xml)
    notice = Notice(
        tender=Tender(reference=data["reference"]), kind=data["kind"], xml=xml.decode(),
        data_snapshot=data, validation=report.as_json(),
    )  # fmt: skip
    with override("da"):
        return [e for e in explain(notice) if e.is_error]


def test_missing_legal_type_names_the_municipality_field() -> None:
    data = sample_data("16")
    data["buyers"][1]["legal_type"] = ""
    errors = _explained(data)
    assert [(e.rule_id, e.field_id) for e in errors] == [
        ("BR-BT-00011-0022", "BT-11-Procedure-Buyer")
    ]
    error = errors[0]
    assert error.sdk_label == "Køberens retlige status"
    assert error.subject == "Kommune 2"
    assert "Køberens retlige status (BT-11-Procedure-Buyer)" in error.message
    assert error.portal_label == "Ordregiverens retlige form"
    assert error.url == "/members/municipalities/402/edit/"
    assert "/" not in error.message.replace("BT-11-Procedure-Buyer", "")


def test_missing_main_cpv_names_the_tender_field() -> None:
    data = sample_data("16")
    data["project"]["main_cpv"] = None
    errors = _explained(data)
    assert {e.field_id for e in errors} >= {"BT-262-Procedure"}
    cpv = next(e for e in errors if e.field_id == "BT-262-Procedure")
    assert cpv.portal_label == "Hoved-CPV-kode"
    assert cpv.url == "/tenders/2026-099/edit/"


def test_missing_bid_deadline_names_the_timeline() -> None:
    data = sample_data("16")
    data["bid_deadline"] = None
    errors = _explained(data)
    deadline = [e for e in errors if e.field_id.startswith("BT-131")]
    assert deadline, errors
    assert deadline[0].portal_label == "Tilbudsfrist"
    assert deadline[0].url == "/tenders/2026-099/timeline/"
