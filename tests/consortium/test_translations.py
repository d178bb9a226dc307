"""The Danish catalogue: complete, without unused entries, and free of the known copy defects.

`makemessages` runs over a copy of the source files into an empty catalogue in a temporary
directory (the real `django.po` is never rewritten here); the messages it finds are compared with
`locale/da/LC_MESSAGES/django.po`. Every Danish text of the catalogue is then checked for the
defects a reviewer found before (double full stops after "kr.", English words, the terms
`docs/glossary.md` rules out). allauth's own catalogue is vendored and not checked; the texts of
it that the portal words itself are listed in `accounts/allauth_texts.py` and checked here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
GLOSSARY = ROOT / "docs" / "glossary.md"
# What makemessages reads: the project's own Python and templates, not tests or vendored code.
SKIP = {".venv", "node_modules", ".data", "staticfiles", ".git", "test-artifacts", "media"}
SKIP |= {"bench", "tests", "locale", "__pycache__"}
SUFFIXES = {".py", ".html", ".txt"}

# Placeholders as gettext writes them: %(name)s, %(n)d, %s, %d, {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# Placeholders that hold an amount of money: in Danish they end in "kr.", so no "." may follow.
MONEY = re.compile(r"%\((?:amount|value|total|sum|budget|cap|fee|price|spend|savings?)\)s\.")
ENGLISH = re.compile(
    r"\b(?:Email|Edit|Save|Cancel|Delete|Submit|Search|Settings|Username|Please|"
    r"Successfully|Sign in|Sign out|Log out|the|of|with|and)\b"
)
PATTERNS = [
    (re.compile(r"(?<!\.)\.\.(?!\.)"), "double full stop"),
    (re.compile(r"\.\.\."), "three full stops: write …"),
    (re.compile(r"kr\. ?\."), "a full stop after kr."),
    (re.compile(r" [.,;:!?](?=\s|$)"), "space before punctuation"),
    (re.compile(r"\S {2,}\S"), "double space"),
    (re.compile(r"[“”]"), "English quotation marks: write »…«"),
    (re.compile(r"(?<=[a-zæøå,] )E-mail"), "E-mail inside a sentence: write e-mail"),
    (re.compile(r"\b\w+ér\b"), "imperative with accent: write Rediger, Kontroller"),
    (re.compile(r"\bf\.eks\."), "f.eks.: write fx"),
]


def forbidden_terms(glossary: str) -> list[str]:
    """The words in backticks in the column "Brug ikke" of the glossary's term tables."""
    terms: list[str] = []
    for line in glossary.splitlines():
        cells = line.strip().strip("|").split("|")
        if line.startswith("|") and len(cells) == 4 and not set(cells[0]) <= set("- "):
            terms += re.findall(r"`([^`]+)`", cells[3])
    return terms


def _term_pattern(term: str) -> re.Pattern[str]:
    if term.endswith("*"):
        return re.compile(r"(?<!\w)" + re.escape(term[:-1]) + r"\w*", re.IGNORECASE)
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def copy_defects(msgid: str, msgstr: str, forbidden: list[str]) -> list[str]:
    """What is wrong with one Danish text (msgstr) of the English text msgid; [] when nothing."""
    found = [reason for pattern, reason in PATTERNS if pattern.search(msgstr)]
    words = re.sub(r"<[^>]*>", " ", PLACEHOLDER.sub(" ", msgstr))  # what a reader sees
    if MONEY.search(msgstr):
        found.append("a full stop after an amount in kr.")
    if english := ENGLISH.findall(words):
        found.append(f"English words: {', '.join(english)}")
    found += [
        f"glossary says not {term!r}" for term in forbidden if _term_pattern(term).search(words)
    ]
    if sorted(set(PLACEHOLDER.findall(msgstr))) != sorted(set(PLACEHOLDER.findall(msgid))):
        found.append("placeholders differ from the English")
    return found


def entry_defects(entry: polib.POEntry, forbidden: list[str]) -> list[str]:
    if not entry.msgid_plural:
        return copy_defects(entry.msgid, entry.msgstr, forbidden)
    found = []
    for index, text in sorted(entry.msgstr_plural.items()):
        english = entry.msgid if index == 0 else entry.msgid_plural
        problems = copy_defects(english, text, forbidden)
        if index == 0:  # the singular may leave the count out ("Filens eneste linje")
            problems = [p for p in problems if p != "placeholders differ from the English"]
        found += problems
    return found


def catalogue_gaps(
    source: polib.POFile, catalogue: polib.POFile
) -> tuple[list[str], list[str], list[str]]:
    """(untranslated or fuzzy, unused, obsolete) msgids of the catalogue against the source."""
    wanted = {(e.msgctxt, e.msgid): e for e in source if not e.obsolete and e.msgid}
    have = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete and e.msgid}
    untranslated = [
        key[1]
        for key, entry in wanted.items()
        if key not in have
        or not have[key].translated()
        or have[key].fuzzy
        or have[key].msgid_plural != entry.msgid_plural
    ]
    unused = [key[1] for key in have if key not in wanted]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]
    return untranslated, unused, obsolete


def _copy_sources(target: Path) -> None:
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP and not d.startswith(".")]
        here = Path(folder)
        for name in files:
            if Path(name).suffix in SUFFIXES:
                destination = target / (here / name).relative_to(ROOT)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, destination)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory: pytest.TempPathFactory) -> polib.POFile:
    """Every message makemessages finds in the project's source, as a fresh catalogue."""
    copy = tmp_path_factory.mktemp("messages")
    _copy_sources(copy)
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "da", "--no-location", "-v", "0"],
        cwd=copy, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(copy / "locale" / "da" / "LC_MESSAGES" / "django.po"))


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (installed by make test)"
)
def test_every_message_is_translated_and_every_translation_used(
    source_messages: polib.POFile,
) -> None:
    untranslated, unused, obsolete = catalogue_gaps(source_messages, polib.pofile(str(CATALOGUE)))
    assert len(source_messages) > 1000  # makemessages really read the source
    assert not untranslated, f"Untranslated or fuzzy (run makemessages -l da): {untranslated}"
    assert not unused, f"In django.po but no longer in the source: {unused}"
    assert not obsolete, f"Obsolete #~ entries (makemessages --no-obsolete): {obsolete}"


def test_danish_texts_have_none_of_the_known_defects() -> None:
    forbidden = forbidden_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert {"pulj*", "volumener", "Email", "aftaleoverholdelse"} <= set(forbidden)
    problems = {
        entry.msgid: found
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete and (found := entry_defects(entry, forbidden))
    }
    assert not problems, "\n".join(f"{msgid!r}: {found}" for msgid, found in problems.items())


@pytest.mark.parametrize(
    ("msgid", "msgstr", "reason"),
    [
        ("Estimated: %(value)s. Threshold", "Anslået: %(value)s. Tærskel", "amount in kr."),
        ("Verified", "Bekræftet .", "space before punctuation"),
        ("Signed in as %(name)s.", "Loggede succesfuldt ind med %(name)s.", "succesfuldt"),
        ("Edit %(title)s", "Redigér %(title)s", "accent"),
        ("Email", "Email", "English words"),
        ("Pool the volumes", "Pulj volumenerne", "'pulj*'"),
        ("Name, e-mail", "Navn, E-mail", "E-mail inside"),
        ("See the file.", "Se filen..", "double full stop"),
        ("%(count)s lines", "%(n)s linjer", "placeholders"),
        ("A “quote”", "Et “citat”", "quotation marks"),
    ],
)
def test_the_check_finds_each_known_defect(msgid: str, msgstr: str, reason: str) -> None:
    forbidden = forbidden_terms(GLOSSARY.read_text(encoding="utf-8"))
    found = copy_defects(msgid, msgstr, forbidden)
    assert any(reason in problem for problem in found), found


def test_the_check_passes_good_danish() -> None:
    forbidden = forbidden_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert copy_defects("Threshold: %(amount)s", "Tærskelværdi: %(amount)s", forbidden) == []
    assert copy_defects("Sign in as %(name)s.", "Du er logget ind som %(name)s.", forbidden) == []


def test_the_comparison_finds_untranslated_unused_and_obsolete() -> None:
    source, catalogue = polib.POFile(), polib.POFile()
    source.append(polib.POEntry(msgid="Save"))
    source.append(polib.POEntry(msgid="Edit"))
    source.append(polib.POEntry(msgid="%(n)s line", msgid_plural="%(n)s lines"))
    catalogue.append(polib.POEntry(msgid="Save", msgstr="Gem"))
    catalogue.append(polib.POEntry(msgid="Edit", msgstr="Redigér", flags=["fuzzy"]))
    catalogue.append(polib.POEntry(msgid="%(n)s line", msgstr="%(n)s linjer"))  # not plural
    catalogue.append(polib.POEntry(msgid="Gone", msgstr="Væk"))
    catalogue.append(polib.POEntry(msgid="Older", msgstr="Ældre", obsolete=True))
    untranslated, unused, obsolete = catalogue_gaps(source, catalogue)
    assert untranslated == ["Edit", "%(n)s line"]
    assert unused == ["Gone"]
    assert obsolete == ["Older"]


def test_compiled_catalogue_is_used() -> None:
    from django.utils import translation

    with translation.override("da"):
        assert translation.gettext("Sign out") == "Log af"
        assert translation.gettext("Successfully signed in as %(name)s.") == (
            "Du er logget ind som %(name)s."
        )
