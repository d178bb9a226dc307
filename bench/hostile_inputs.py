"""Run the hostile corpus (tests/security) and print how many hostile requests were refused and
how many rows they wrote.

The test module writes a JSON summary (case, status, rows written, tuples written) when
HOSTILE_SUMMARY names a file; this script points it at a temporary file, runs the corpus with
pytest in this process, and counts from the summary what actually happened. A case counts as
refused only if its test passed (right status, Danish message, nothing written).

    .venv/bin/python bench/hostile_inputs.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Outcomes:
    """Collects which corpus cases passed (a pytest plugin)."""

    def __init__(self) -> None:
        self.passed: set[str] = set()
        self.failed: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if "test_hostile_request_is_refused[" not in report.nodeid:
            return
        case = report.nodeid.split("[", 1)[1][:-1]
        if report.when == "call" and report.passed:
            self.passed.add(case)
        elif report.failed:
            self.failed.add(case)


def main() -> int:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        summary_path = Path(tmp) / "summary.json"
        os.environ["HOSTILE_SUMMARY"] = str(summary_path)
        outcomes = Outcomes()
        code = pytest.main(
            [
                "tests/security/test_hostile.py",
                "-n",
                "0",
                "-q",
                "-p",
                "no:randomly",
                f"--basetemp={tmp}/pytest",
            ],
            plugins=[outcomes],
        )
        summary = json.loads(summary_path.read_text()) if summary_path.exists() else []
    refused = [row for row in summary if row["case"] in outcomes.passed]
    rows_written = sum(row["rows_written"] + row["tuples_written"] for row in summary)
    print(f"cases run: {len(summary)}, failed: {len(outcomes.failed)}")
    for case in sorted(outcomes.failed):
        print(f"  not refused properly: {case}")
    print(f"figure: hostile_inputs_refused {len(refused)}")
    print(f"figure: rows_written_by_hostile_inputs {rows_written}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
