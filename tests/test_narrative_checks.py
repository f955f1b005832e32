"""Narrative checks on rendered seed documents and the Putuo corpus PDF: the document's own slips are
found, with the numbers involved; rounding, partial lists and new units (prior year 0) are not errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlens.check.findings import CellRef, Finding, TextRef
from budgetlens.check.narrative_checks import claims, read_narrative
from budgetlens.check.narrative_links import build_index
from budgetlens.check.view import table_views
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.testing.render import load_spec, render, seed_specs
from conftest import VARIANTS, corpus_pdf

T6 = "一般公共预算财政拨款基本支出决算表"
HONGSHAN = "hongshan-2022-final"


def narrative(result: Result) -> list[Finding]:
    return [f for f in result.findings if f.check.startswith("narrative.")]


def brief(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted((f.check, f.severity, f.expected, f.actual) for f in findings)


def texts(finding: Finding) -> list[TextRef]:
    return [c for c in finding.cells if isinstance(c, TextRef)]


def has_seed(name: str) -> bool:
    return any(p.stem == name for p in seed_specs())


@pytest.mark.parametrize("variant", VARIANTS)
def test_jianghan_narrative(rendered, variant: str) -> None:
    pdf, _ = rendered[("jianghan-2020-final", variant)]
    found = narrative(read_document(pdf))
    # 政府采购支出总额10.12，其中：服务支出10.12，授予中小企业合同金额10.12 reads as a list inside the list
    assert brief(found) == [
        ("narrative.restated", "warning", "-212.28", "-212.30"),
        ("narrative.table", "warning", "199.38", "199.36"),
    ]
    restated = next(f for f in found if f.check == "narrative.restated")
    assert "财政拨款收、支总计" in restated.message and "717.07" in restated.message
    assert {t.section for t in texts(restated)} == {
        "财政拨款收入支出决算总体情况说明",
        "收入支出决算总体情况说明",
        "一般公共预算财政拨款支出决算情况说明",
    }
    staff = next(f for f in found if f.check == "narrative.table")
    assert "199.36" in staff.message and "199.38" in staff.message and staff.source == "document"
    assert [c.value for c in texts(staff)] == ["199.36万元"]
    assert [(c.table, c.row, c.column, c.value) for c in staff.cells if isinstance(c, CellRef)] == [
        (T6, "人员经费合计", "人员经费.决算数", "199.38")
    ]
    assert texts(staff)[0].page == 26 and all(c.box for c in staff.cells)


def test_narrative_sections_need_the_model_only_for_what_is_not_read(rendered) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = read_document(pdf)
    needing = {s.name: s.needs_model for s in result.sections if s.kind == "narrative" and s.needs_model}
    # 13.5% / 10.7% / 10% of residents' science literacy: no amount the reader can place
    assert needing == {"预算绩效情况说明": "1 sentence with numbers the narrative reader could not place"}


def test_links_name_the_cells_or_are_recorded_unlinked(rendered) -> None:
    pdf, _ = rendered[("jianghan-2020-final", "lines")]
    result = read_document(pdf)
    index = build_index(table_views(result), final=True)
    found = {(c.subject, c.value, c.budget): c for c in claims(read_narrative(result), index)}
    staff = found[("人员经费", "199.36", False)]
    assert [(c.view.name, c.line.key, c.column) for c in staff.cells] == [
        (T6, "人员经费合计", "人员经费.决算数")
    ]
    science = found[("科学技术(类)支出", "399.22", False)]
    assert {c.value for c in science.cells} == {"399.22"} and len(science.cells) >= 4
    assert found[("机关运行经费支出", "18.38", False)].cells == []  # no such cell in these tables
    assert found[("科学技术支出", "466.80", True)].cells == []  # no 年初预算 column to compare with


@pytest.mark.parametrize("seed", ["wuchang-2025-budget", "qingshan-2023-budget"])
def test_budget_documents(rendered, seed: str) -> None:
    pdf, _ = rendered[(seed, "lines")]
    found = narrative(read_document(pdf))
    if seed == "wuchang-2025-budget":
        # 住房公积金: 比2024年预算减少1.15，下降6.04% — 1.15 / (17.91 + 1.15) = 6.03%
        assert brief(found) == [("narrative.change", "warning", "-6.03%", "-6.04%")]
    else:
        assert found == []


@pytest.mark.skipif(not has_seed(HONGSHAN), reason="Hongshan seed not bundled yet")
def test_hongshan_rates_missing_number_and_zero_budgets(rendered) -> None:
    pdf, _ = rendered[(HONGSHAN, "lines")]
    found = narrative(read_document(pdf))
    assert not [f for f in found if f.severity == "error"]
    rates = {f.actual: f for f in found if f.check == "narrative.execution"}
    assert (rates["77.4%"].severity, rates["77.4%"].expected) == ("warning", "77.3%")  # 16.24 / 21
    assert (rates["88.8%"].severity, rates["88.8%"].expected) == ("info", "88.9%")  # 1.6 / 1.8, truncated
    assert "truncation" in rates["88.8%"].message
    (missing,) = [f for f in found if f.check == "narrative.missing_number"]
    assert missing.severity == "warning" and "支出决算为万元" in texts(missing)[0].text
    zero = [f for f in found if f.check == "narrative.zero_denominator" and f.actual == "100.0%"]
    assert len(zero) == 3 and all(f.severity == "info" for f in zero)  # 年初预算为0万元 … 完成100.0%
    # 42.5 / 42.5, 8 / 8, 5.96 / 5.96: the rate printed is the actual amount over itself
    assert all("(the actual amount itself)" in f.message for f in zero)


def test_putuo_narrative() -> None:
    """Each of these was checked by hand against the PDF's text (pages 17, 18, 21)."""
    found = narrative(read_document(corpus_pdf("putuo-social-work-2024-final.pdf")))
    undefined = "undefined (denominator 0 or not printed)"
    assert brief(found) == [
        # 住房保障支出（类）29.42 / 307.82 = 9.5575%, printed 9.55%: truncated
        ("narrative.share", "info", "9.56%", "9.55%"),
        # a unit founded in 2024: 增加307.82万元 (three totals) and 机关运行经费 增加10.23万元, 增长100.00%
        *[("narrative.zero_denominator", "info", undefined, "100.00%")] * 4,
        # 一般公共预算财政拨款支出年初预算为0万元 … 完成年初预算的95.89% (= 307.82 / 321.02, 全年预算)
        ("narrative.zero_denominator", "info", undefined, "95.89%"),
    ]
    budget = next(f for f in found if f.actual == "95.89%")
    assert "307.82 / 321.02 (全年预算)" in budget.message
    assert [(t.section, t.page) for t in texts(budget)] == [("一般公共预算财政拨款支出决算情况说明", 18)]
    growth = [f for f in found if f.actual == "100.00%"]
    assert sorted(f.message.split(":")[1].split(" rate")[0].strip() for f in growth) == [
        "一般公共预算财政拨款支出",
        "收入支出总计",
        "机关运行经费支出",
        "财政拨款收入支出总计",
    ]


def test_putuo_item_paths_link_through_codes() -> None:
    result = read_document(corpus_pdf("putuo-social-work-2024-final.pdf"))
    index = build_index(table_views(result), final=True)
    by_subject = {c.subject: c for c in claims(read_narrative(result), index) if not c.budget}
    run = by_subject["一般公共服务支出（类）社会工作事务（款）行政运行（项）"]
    assert {(c.view.name, c.line.key, c.value) for c in run.cells} == {
        ("收入决算表", "2013901", "51.32"),
        ("支出决算表", "2013901", "51.32"),
        ("一般公共预算财政拨款支出决算表", "2013901", "51.32"),
    }


def _mutated(tmp_path: Path, old: str, new: str) -> list[Finding]:
    spec = load_spec(next(p for p in seed_specs() if p.stem == "jianghan-2020-final"))
    block = next(b for b in spec.blocks if b.type == "paragraph" and old in b.text)
    block.text = block.text.replace(old, new)
    pdf, _ = render(spec, tmp_path)
    return narrative(read_document(pdf))


def test_a_changed_narrative_number_is_caught(tmp_path: Path) -> None:
    found = _mutated(tmp_path, "基本支出 217.74 万元，占本年支出", "基本支出 227.74 万元，占本年支出")
    share = next(f for f in found if f.check == "narrative.share")
    assert (share.severity, share.expected, share.actual) == ("error", "45.1%", "43.1%")  # 227.74/504.77
    parts = next(f for f in found if f.check == "narrative.list" and f.actual == "504.77")
    assert parts.severity == "error" and "227.74 + 287.03 = 514.77" in parts.message
    table = next(f for f in found if f.check == "narrative.table" and f.actual == "227.74")
    assert table.severity == "warning" and table.expected == "217.74"


def test_a_changed_completion_rate_is_caught(tmp_path: Path) -> None:
    found = _mutated(tmp_path, "完成年初预算的 85.5%", "完成年初预算的 75.5%")
    rate = next(f for f in found if f.check == "narrative.execution")
    assert (rate.severity, rate.expected, rate.actual) == ("error", "85.5%", "75.5%")  # 399.22 / 466.80
