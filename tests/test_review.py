"""Review as a person does it: in a pseudo-terminal (pexpect), and in batch with --apply.

The document is the bundled example as read without a model, and its replayed model run (cassettes/
example, scripted answers), whose two flagged cells a person settles with the shipped review file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from budgetlens.cli import main
from budgetlens.errors import BadInput
from budgetlens.output import read_result
from budgetlens.result import Result
from budgetlens.review import Decision, apply, open_items
from budgetlens.review.decisions import CellKey

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "jianghan-2020-final.pdf"
RETITLED = REPO / "examples" / "jianghan-2020-final-retitled.pdf"
BASIC = "一般公共预算财政拨款基本支出决算表"
JIANGHAN = "武汉市江汉区科学技术协会"


@pytest.fixture
def extracted(tmp_path: Path) -> Path:
    assert main(["extract", str(EXAMPLE), "-o", str(tmp_path), "-q"]) == 0
    return tmp_path / "jianghan-2020-final.json"


def review(path: Path) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "budgetlens", "review", str(path)],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )


def answer(term: pexpect.spawn, heading: str, keys: str) -> None:
    """Skip items until the one whose heading names the check `heading`, then type `keys` there."""
    while True:
        term.expect(r"── [a-z]+ · (\S+) ")
        shown = term.match.group(1)
        term.expect("> ")
        term.sendline(keys if shown == heading else "s")
        if shown == heading:
            return


def test_review_in_a_terminal_saves_every_decision_and_resumes(extracted: Path) -> None:
    term = review(extracted)
    answer(term, "cross_table.T5-T6", "d")  # 217.74 ≠ 199.38 + 18.38: the document's own
    answer(term, "sum.rows", "c 2 143.64")  # 301 typed anew: 199.38 = 143.64 + 55.74 now
    term.expect("resolved: .*人员经费合计")
    term.expect("> ")
    term.sendline("q")
    term.expect("2 decisions saved in")
    term.expect(pexpect.EOF)

    saved = json.loads((extracted.parent / "jianghan-2020-final.review.json").read_text(encoding="utf-8"))
    decisions = [(d["action"], d["item"].split(":")[0], d["value"]) for d in saved["decisions"]]
    assert decisions == [("document_error", "cross_table.T5-T6", None), ("correct", "sum.rows", "143.64")]
    assert saved["decisions"][1]["cell"] == {
        "entity": JIANGHAN,
        "table": BASIC,
        "row": "301",
        "column": "人员经费.决算数",
        "page": 18,
    }

    term = review(extracted)  # resume: what was decided or resolved is not asked again
    term.expect(r"── [a-z]+ · (\S+) .* (\d+) open ──")
    assert term.match.group(1) not in ("cross_table.T5-T6", "sum.rows")
    term.expect("> ")
    term.sendline("s")
    answer(term, "cross_table.T2-T3.codes", "c 1 43.36")  # a wrong value: 表2's sums now fail
    term.expect("new error: .*收入决算表")
    term.expect("> ")
    term.sendline("q")
    term.expect("4 decisions saved in")  # the two skips are saved too
    term.expect(pexpect.EOF)

    reviewed = read_result(extracted.with_name("jianghan-2020-final.reviewed.json"))
    fixed = {f.row: f for f in reviewed.facts if f.review == "corrected"}
    assert (fixed["301"].value, fixed["301"].previous, fixed["301"].extractor) == (
        "143.64",
        "143.62",
        "reviewed",
    )
    assert (fixed["2080501"].value, fixed["2080501"].previous) == ("43.36", "42.36")
    # two cells typed anew, three read right by the document-error mark on T5-T6
    assert reviewed.summary.reviewed_cells == 5 == sum(f.review is not None for f in reviewed.facts)
    assert not [f for f in reviewed.findings if f.check == "sum.rows" and f.actual == "199.38"]
    t5t6 = next(f for f in reviewed.findings if f.check == "cross_table.T5-T6")
    assert (t5t6.review, t5t6.status, t5t6.source) == ("document_error", "confirmed", "document")
    raised = [f for f in reviewed.findings if f.severity == "error" and "2080501" in {c.row for c in f.cells}]
    assert raised
    # the reviewed findings are what the checker says of the reviewed result, and the files agree
    assert main(["check", str(extracted.with_name("jianghan-2020-final.reviewed.json")), "-q"]) == 0
    rechecked = read_result(extracted.with_name("jianghan-2020-final.reviewed.json"))
    assert [f.id for f in rechecked.findings] == [f.id for f in reviewed.findings]
    lines = extracted.with_name("jianghan-2020-final.reviewed.findings.jsonl").read_text(encoding="utf-8")
    assert [json.loads(x)["id"] for x in lines.splitlines()] == [f.id for f in reviewed.findings]
    facts = extracted.with_name("jianghan-2020-final.reviewed.facts.jsonl").read_text(encoding="utf-8")
    line = {
        "doc": read_result(extracted).document.doc,
        "entity": JIANGHAN,
        "table": BASIC,
        "row": "301",
        "column": "人员经费.决算数",
        "value": "143.64",
        "unit": "万元",
        "bound": "",
        "page": 18,
    }
    assert line in [json.loads(x) for x in facts.splitlines()]
    # the extraction's own outputs are untouched: decisions are applied to them afresh each time
    assert (
        next(f for f in read_result(extracted).facts if f.table == BASIC and f.row == "301").value == "143.62"
    )


def test_back_shows_the_item_before_and_a_decision_can_be_changed(extracted: Path) -> None:
    term = review(extracted)
    answer(term, "cross_table.T5-T6", "a")
    answer(term, "sum.rows", "b")
    term.expect("── error · cross_table.T5-T6 .* decided: accepted")
    term.expect("> ")
    term.sendline("d")
    answer(term, "sum.rows", "q")
    term.expect(pexpect.EOF)
    result = read_result(extracted.with_name("jianghan-2020-final.reviewed.json"))
    assert next(f for f in result.findings if f.check == "cross_table.T5-T6").review == "document_error"


def test_review_needs_a_terminal_unless_applying(extracted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(extracted)]) == 2  # pytest's stdin is not a terminal
    assert "--apply" in capsys.readouterr().err


def decision(
    result: Result, check: str, action: str, row: str | None = None, value: str | None = None
) -> Decision:
    finding = next(f for f in result.findings if f.check == check and f.severity != "info")
    cell = None
    if row is not None:
        fact = next(f for f in result.facts if f.row == row and f.table == BASIC)
        cell = CellKey(entity=fact.entity, table=fact.table, row=fact.row, column=fact.column, page=fact.page)
    return Decision(item=finding.id, action=action, cell=cell, value=value)  # type: ignore[arg-type]


def test_latest_decision_wins_and_typing_the_value_read_takes_a_correction_back(extracted: Path) -> None:
    base = read_result(extracted)
    fix = decision(base, "sum.rows", "correct", "人员经费合计", "199.36")
    fixed = apply(base, [fix]).result
    assert not [f for f in fixed.findings if f.check in ("sum.rows", "cross_table.T5-T6")]
    back = apply(base, [fix, fix.model_copy(update={"value": "199.38"})])
    total = next(f for f in back.result.facts if f.row == "人员经费合计")
    assert (total.value, total.extractor, total.review, total.previous) == (
        "199.38",
        "grid",
        "accepted",
        None,
    )
    assert {f.check for f in back.result.findings} >= {"sum.rows", "cross_table.T5-T6"}
    # a verdict on a finding the correction resolved no longer applies: reported, not applied
    stale = apply(base, [decision(base, "sum.rows", "accept"), fix])
    assert [d.action for d in stale.stale] == ["accept"]
    with pytest.raises(BadInput, match="not a number"):
        apply(base, [fix.model_copy(update={"value": "19g.36"})])


def test_bundled_example_reviewed_leaves_no_open_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The replayed model run leaves two cells flagged; the shipped review settles every item."""
    replay = ["--replay", str(REPO / "cassettes" / "example")]
    assert main(["extract", str(RETITLED), "-o", str(tmp_path), "-q", *replay]) == 0
    out = tmp_path / f"{RETITLED.stem}.json"
    before = read_result(out)
    assert before.summary.flagged_cells == 2 and len(before.flags) == 2

    shipped = RETITLED.with_suffix(".review.json")
    assert main(["review", str(out), "--apply", str(shipped)]) == 0
    printed = capsys.readouterr().out
    assert "flagged_cells=0 open_items=0" in printed

    after = read_result(tmp_path / f"{RETITLED.stem}.reviewed.json")
    assert after.flags == [] and after.summary.flagged_cells == 0 and not open_items(after)
    assert not [f for f in after.findings if f.status == "flagged"]
    assert after.summary.reviewed_cells == sum(f.review is not None for f in after.facts) > 0
    slip = next(f for f in after.findings if f.check == "sum.rows")
    assert (slip.status, slip.source, slip.review) == ("confirmed", "document", "document_error")
    total = next(f for f in after.facts if f.table == BASIC and f.row == "人员经费合计")
    assert (total.value, total.status, total.review) == ("199.38", "confirmed", "accepted")


def test_a_lone_cell_is_corrected_with_its_value_alone(extracted: Path, tmp_path: Path) -> None:
    """`c 199.36` on an item with one cell (the narrative's 人员经费 against 表6's total)."""
    from budgetlens.review.decisions import ReviewFile
    from budgetlens.review.session import Session

    base = read_result(extracted)
    shown: list[str] = []
    typed: list[str] = []

    def keys(prompt: str) -> str:
        heading = next(line for line in reversed(shown) if line.startswith("── "))
        typed.append(
            "q"
            if typed and typed[-1].startswith("c")
            else "c 199.36"
            if "narrative.table" in heading
            else "s"
        )
        return typed[-1]

    path = tmp_path / "r.review.json"
    session = Session(
        base, ReviewFile(document_sha256=base.document.sha256), path, lambda r: None, keys, shown.append
    )
    session.run()
    saved = ReviewFile.model_validate_json(path.read_text(encoding="utf-8")).decisions
    fixed = next(d for d in saved if d.action == "correct")
    assert fixed.item.startswith("narrative.table") and fixed.value == "199.36"
    assert fixed.cell is not None and fixed.cell.row == "人员经费合计"
    assert any(line.startswith("  resolved: ") for line in shown)
