"""Re-extraction without a model: cells of failing checks read again from the characters inside
their ruled rectangles (budgetlens.reextract.words), on rendered seeds and on a printing defect."""

from __future__ import annotations

from pathlib import Path

from budgetlens.load import load_pdf
from budgetlens.load.clip import enclosing
from budgetlens.pipeline import read_document
from budgetlens.testing.defects import joined_across_rule

BASIC = "一般公共预算财政拨款基本支出决算表"


def test_a_second_reading_confirms_the_documents_own_slip(rendered: dict) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = read_document(pdf)
    total = next(f for f in result.facts if f.table == BASIC and f.row == "人员经费合计")
    assert (total.value, total.status, total.extractor) == ("199.38", "confirmed", "grid")
    slip = next(f for f in result.findings if f.check == "sum.rows" and f.actual == "199.38")
    assert slip.source == "document"
    asked = [f for f in result.facts if f.status is not None]
    assert asked and all(f.status == "confirmed" for f in asked)  # clean print: every reading agrees
    assert result.summary.reextracted_cells == len(asked) and result.summary.flagged_cells == 0


def test_numbers_printed_together_across_a_rule_are_read_apart(rendered: dict, tmp_path: Path) -> None:
    """Two numbers set flush across a ruling line are one word to PyMuPDF ('399.22120.23'): the first
    reading already cuts the word at the rule (load), so each cell keeps its own number."""
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    clean = read_document(pdf)
    left, right = [f for f in clean.facts if f.table == "支出决算表" and f.row == "206"][:2]
    rule = enclosing(load_pdf(pdf).pages[left.page - 1], left.box)[2]
    joined = joined_across_rule(pdf, tmp_path / "joined.pdf", left.page, (left.text, left.box),
                                (right.text, right.box), rule)  # fmt: skip
    page = load_pdf(joined).pages[left.page - 1]
    assert {left.text, right.text} <= {w.text for w in page.words}
    result = read_document(joined)
    facts = {(f.table, f.row, f.column): f for f in result.facts}
    for before in (left, right):
        after = facts[(before.table, before.row, before.column)]
        assert (after.value, after.extractor) == (before.value, "grid")
    assert not [f for f in result.findings if f.check == "extraction.number"]
    same = {(f.table, f.row, f.column, f.value) for f in clean.facts}
    assert {(f.table, f.row, f.column, f.value) for f in result.facts} == same
