"""Side-by-side comparison: pure, no database."""

from __future__ import annotations

from knowledge.diff import diff_rows, has_changes


def test_unchanged_text_has_no_changes() -> None:
    rows = diff_rows("a\nb", "a\nb")
    assert not has_changes(rows)
    assert [r.kind for r in rows] == ["equal", "equal"]


def test_changed_line_marks_only_the_changed_words() -> None:
    rows = diff_rows("Frist for tilbud er 30 dage\nSlut", "Frist for tilbud er 35 dage\nSlut")
    changed = rows[0]
    assert changed.kind == "replace"
    assert changed.old_html == "Frist for tilbud er <del>30</del> dage"
    assert changed.new_html == "Frist for tilbud er <ins>35</ins> dage"
    assert rows[1].kind == "equal"


def test_inserted_and_deleted_lines_sit_on_their_own_side() -> None:
    rows = diff_rows("a\nb\nc", "a\nc\nd")
    kinds = [(r.kind, r.old_number, r.new_number) for r in rows]
    assert ("delete", 2, None) in kinds
    assert ("insert", None, 3) in kinds


def test_html_in_versions_is_escaped() -> None:
    rows = diff_rows("<b>x</b>", "<script>alert(1)</script>")
    assert "<script>" not in rows[0].new_html
    assert "&lt;script&gt;" in rows[0].new_html
