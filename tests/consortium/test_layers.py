"""The import layers of .importlinter hold, and they catch an import that goes upwards.

`lint-imports` reads the source, not the running project, so the broken cases copy the product
packages into a temporary folder, add one wrong import there and check that the contracts name it.
"""

from __future__ import annotations

import configparser
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import consortium

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = ROOT / ".importlinter"


def _root_packages() -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    return parser["importlinter"]["root_packages"].split()


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(cwd / ".importlinter")],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_product_code_keeps_its_layers() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_module_of_the_project_package_has_a_layer() -> None:
    """A new module in consortium/ must be placed: shared library (imports no app) or project."""
    layers = configparser.ConfigParser()
    layers.read(CONFIG)
    named = {
        name.strip().strip("()")
        for line in layers["importlinter:contract:layers"]["layers"].splitlines()
        for name in line.replace("|", ":").split(":")
    }
    # Its migrations, as every app's, import Django alone and are not checked.
    modules = {
        f"consortium.{m.name}"
        for m in pkgutil.iter_modules(consortium.__path__)
        if m.name != "migrations"
    }
    assert modules - named == set()


def _copy_of_the_product(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns("migrations", "__pycache__", "data", "static", "schema")
    for package in _root_packages():
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    shutil.copy(CONFIG, copy / ".importlinter")
    return copy


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # A lower domain app never reads a higher one: members knows nothing of tenders.
        (
            "members/upward.py",
            "from tenders.models import Tender",
            "members is not allowed to import tenders",
        ),
        # Agreements come out of tenders; the API publishes them, never the other way round.
        (
            "agreements/upward.py",
            "from api.ocds import dates",
            "agreements is not allowed to import api",
        ),
        # The shared library imports no app.
        (
            "consortium/xlsx.py",
            "from accounts.models import User",
            "consortium.xlsx is not allowed to import accounts",
        ),
        # No app imports the project level (URLs, start pages).
        (
            "reports/upward.py",
            "from consortium import views",
            "reports is not allowed to import consortium.views",
        ),
        # Knowledge, although above spend, reads no spend.
        ("knowledge/upward.py", "import spend.models", "knowledge is not allowed to import spend"),
    ],
)
def test_an_upward_import_breaks_the_contracts(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    copy = _copy_of_the_product(tmp_path)
    assert _lint_imports(copy).returncode == 0  # the copy itself is clean

    target = copy / module
    text = target.read_text(encoding="utf-8") if target.exists() else '"""Wrong on purpose."""\n'
    target.write_text(text + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in " ".join(result.stdout.split())
    wrong = module.removesuffix(".py").replace("/", ".")
    assert f"{wrong} ->" in result.stdout
