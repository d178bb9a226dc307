"""Side-by-side comparison of two versions of a text, line by line, changes marked inside lines."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "equal", "replace", "delete", "insert"
    old_number: int | None
    old_html: SafeString
    new_number: int | None
    new_html: SafeString


def _inline(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Mark the words that differ between two changed lines with <del> and <ins>."""
    old_words, new_words = old.split(" "), new.split(" ")
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a = escape(" ".join(old_words[i1:i2]))
        b = escape(" ".join(new_words[j1:j2]))
        if tag == "equal":
            left.append(a)
            right.append(b)
        else:
            if a:
                left.append(f"<del>{a}</del>")
            if b:
                right.append(f"<ins>{b}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308 — escaped above


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """Rows for a two-column table: the old text on the left, the new on the right."""
    old_lines = (old_text or "").splitlines()
    new_lines = (new_text or "").splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                text = escape(old_lines[i1 + k])
                rows.append(DiffRow("equal", i1 + k + 1, text, j1 + k + 1, text))
            continue
        length = max(i2 - i1, j2 - j1)
        for k in range(length):
            i, j = i1 + k, j1 + k
            old = old_lines[i] if i < i2 else None
            new = new_lines[j] if j < j2 else None
            if old is not None and new is not None:
                left, right = _inline(old, new)
                rows.append(DiffRow("replace", i + 1, left, j + 1, right))
            elif old is not None:
                rows.append(DiffRow("delete", i + 1, escape(old), None, mark_safe("")))
            else:
                rows.append(DiffRow("insert", None, mark_safe(""), j + 1, escape(new or "")))
    return rows


def has_changes(rows: list[DiffRow]) -> bool:
    return any(row.kind != "equal" for row in rows)
