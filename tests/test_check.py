"""The checker on rendered seed documents: every real inconsistency of DOMAIN.md is found with the
right severity and cells; rounding is not an error; a changed number is caught where it was changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlens.check.findings import CellRef, Finding
from budgetlens.cli import main
from budgetlens.pipeline import read_document
from budgetlens.testing.render import load_spec, render, seed_specs
from conftest import VARIANTS, corpus_pdf

T2, T3, T5, T6 = (
    "收入决算表",
    "支出决算表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
)
JIANGHAN = "武汉市江汉区科学技术协会"


def cells(finding: Finding) -> set[tuple[str, str, str, str]]:
    return {(c.table, c.row, c.column, c.value) for c in finding.cells if isinstance(c, CellRef)}


def only(findings: list[Finding], check: str, **where: str) -> Finding:
    hits = [f for f in findings if f.check == check and all(v in f.message for v in where.values())]
    assert len(hits) == 1, [f.message for f in findings if f.check == check]
    return hits[0]


def table_findings(findings: list[Finding]) -> list[Finding]:
    """What the tables' identities say (not the narrative's, nor what was left unread)."""
    return [
        f
        for f in findings
        if f.kind != "narrative" and f.check != "percent.narrative" and not f.check.startswith("unread.")
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_jianghan_inconsistencies_found(rendered, variant: str) -> None:
    pdf, _ = rendered[("jianghan-2020-final", variant)]
    findings = table_findings(read_document(pdf).findings)

    staff = only(findings, "sum.rows", table=T6, row="人员经费合计")
    assert (staff.severity, staff.expected, staff.actual) == ("error", "199.36", "199.38")
    assert {(T6, "301", "人员经费.决算数", "143.62"), (T6, "303", "人员经费.决算数", "55.74")} <= cells(staff)
    assert all(c.page > 0 and c.box for c in staff.cells)

    retired = only(findings, "cross_table.T2-T3.codes", row="2080501")
    assert retired.severity == "warning"
    assert {(T2, "2080501", "本年收入合计", "42.36"), (T3, "2080501", "本年支出合计", "42.35")} == cells(
        retired
    )

    name = only(findings, "consistency.subject_name", code="2210202")
    assert name.severity == "warning"
    assert {(c.table, c.value) for c in name.cells if isinstance(c, CellRef)} == {
        (T2, "房租补贴"),
        (T3, "提租补贴"),
        (T5, "提租补贴"),
    }

    slips = [f for f in findings if f.check == "consistency.department"]
    # the 绩效 form's 单位名称 field (江川区…, its name wrapped over two lines) pairs with its name
    # only where rules part them: without rules its columns come from the figures under it, which
    # put label and name in one column (the captions' slips are found in every rendering)
    in_form = ["江川区科学技术协会"] if variant in ("lines", "rects", "rotated") else []
    assert sorted(f.actual for f in slips) == sorted(["江北区科学技术协会", "江海区科学技术协会", *in_form])
    assert all(f.severity == "warning" and f.expected == "江汉区科学技术协会" for f in slips)

    # The only errors: 199.38 itself, and T5 基本支出 217.74 against T6's 199.38 + 18.38 that it causes.
    errors = [f for f in findings if f.severity == "error"]
    assert sorted(f.check for f in errors) == ["cross_table.T5-T6", "sum.rows"]
    echo = only(errors, "cross_table.T5-T6")
    assert (T6, "人员经费合计", "人员经费.决算数", "199.38") in cells(echo)


@pytest.mark.parametrize("variant", VARIANTS)
def test_wuchang_shares_and_rounding(rendered, variant: str) -> None:
    pdf, _ = rendered[("wuchang-2025-budget", variant)]
    findings = table_findings(read_document(pdf).findings)
    shares = {f.actual: f for f in findings if f.check == "percent.share"}
    assert {k: f.severity for k, f in shares.items()} == {"26": "error", "69": "error", "5": "info"}
    assert ("整体支出绩效目标表", "人员类项目支出", "当年金额", "210.44") in cells(shares["26"])
    assert shares["26"].expected == "30" and shares["69"].expected == "64"
    # 表5-1 139.60 + 41.03 = 180.63 printed 180.64: rounding, not a finding at all
    assert not [f for f in findings if any(c.value == "180.64" for c in f.cells)]
    assert [f for f in findings if f.severity == "error"] == [shares["26"], shares["69"]]


def test_putuo_tables_agree() -> None:
    """Putuo's nine tables satisfy every identity: its hand-made key was checked against 339 of them."""
    result = read_document(corpus_pdf("putuo-social-work-2024-final.pdf"))
    assert table_findings(result.findings) == []


def _mutated(tmp_path: Path, table: str, code: str, column: int, value: str) -> list[Finding]:
    spec = load_spec(next(p for p in seed_specs() if p.stem == "jianghan-2020-final"))
    block = next(b.table for b in spec.blocks if b.table is not None and b.table.table == table)
    row = next(r for r in block.rows if r[0] == code)
    row[column] = value
    pdf, _ = render(spec, tmp_path)
    return read_document(pdf).findings


def test_a_changed_number_is_caught_where_it_was_changed(tmp_path: Path) -> None:
    findings = _mutated(tmp_path, T3, "2060101", 3, "128.23")  # 基本支出 of 行政运行, was 120.23
    mutated = (T3, "2060101", "基本支出", "128.23")
    caught = [f for f in findings if f.severity == "error" and mutated in cells(f)]
    checks = {f.check for f in caught}
    assert {"sum.note", "sum.codes"} <= checks  # 1栏各行=(2+3+…)栏各行, and 20601 = Σ 20601xx
    row_sum = next(f for f in caught if f.check == "sum.note")
    assert (row_sum.expected, row_sum.actual) == ("128.23", "120.23")


def test_check_reruns_on_a_saved_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = Path(__file__).parent.parent / "examples" / "jianghan-2020-final.pdf"
    assert main(["extract", str(pdf), "-o", str(tmp_path), "-q"]) == 0
    saved = tmp_path / "jianghan-2020-final.json"
    before = (tmp_path / "jianghan-2020-final.findings.jsonl").read_text(encoding="utf-8")
    assert main(["check", str(saved)]) == 0
    assert (tmp_path / "jianghan-2020-final.findings.jsonl").read_text(encoding="utf-8") == before
    assert "2 errors" in capsys.readouterr().out.splitlines()[0]

    data = json.loads(saved.read_text(encoding="utf-8"))
    fact = next(
        f for f in data["facts"] if (f["table"], f["row"], f["column"]) == (T3, "2060101", "基本支出")
    )
    fact["value"] = "121.23"  # as a reviewer's correction would
    saved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(saved), "--fail-on", "error"]) == 3
    lines = (tmp_path / "jianghan-2020-final.findings.jsonl").read_text(encoding="utf-8").splitlines()
    rechecked = [json.loads(x) for x in lines]
    assert any(
        {
            "entity": JIANGHAN,
            "table": T3,
            "row": "2060101",
            "column": "基本支出",
            "value": "121.23",
            "page": fact["page"],
        }  # fmt: skip
        in f["cells"]
        for f in rechecked
        if f["severity"] == "error"
    )
    assert set(rechecked[0]) == {"doc", "id", "check", "severity", "kind", "message", "cells", "expected",
                                 "actual", "tolerance", "source", "status", "review"}  # fmt: skip


def test_check_refuses_what_is_not_a_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    assert "not a budgetlens result" in capsys.readouterr().err


def test_fund_flow_without_a_printed_formula(tmp_path: Path) -> None:
    """年末 = 年初 + 本年收入 − 本年支出 is read from the headers when the note does not print it."""
    spec = load_spec(next(p for p in seed_specs() if p.stem == "jianghan-2020-final"))
    fund = next(
        b.table
        for b in spec.blocks
        if b.table is not None and b.table.table and "政府性基金" in b.table.table
    )
    fund.notes, fund.statement = [], None
    fund.rows = [["", "合 计", "10.00", "5.00", "8.00", "3.00", "5.00", "9.00"]]  # 10 + 5 − 8 = 7, not 9
    pdf, _ = render(spec, tmp_path)
    flow = only(read_document(pdf).findings, "sum.columns", why="年末 = 年初")
    assert (flow.severity, flow.expected, flow.actual) == ("error", "7.00", "9.00")
