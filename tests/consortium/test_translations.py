"""Every user-facing string the code and templates contain has a Danish translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = (".venv", "node_modules", ".data", "staticfiles", ".git", "test-artifacts", "media", "bench")


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (installed by make test)"
)
def test_danish_catalogue_is_complete(tmp_path: Path) -> None:
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*SKIP, "__pycache__"), symlinks=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "--ignore=tests/*", "-v", "0"],
        cwd=copy, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "consortium.settings", "PORTAL_ENV_FILE": str(ROOT / ".env")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    catalogue = polib.pofile(str(copy / "locale" / "da" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"Untranslated (run makemessages -l da and translate): {missing}"
    assert not fuzzy, f"Fuzzy translations to check: {fuzzy}"


def test_compiled_catalogue_is_used() -> None:
    from django.utils import translation

    with translation.override("da"):
        assert translation.gettext("Sign out") == "Log af"
