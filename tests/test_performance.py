"""绩效 tables and forms: indicators read as quantities with their bounds and units, forms read block by
block, the formulas their headers print and their scores checked.

A self-evaluation form rendered by the fixture generator (tests/data/selfeval-form.json, with three
slips planted: an execution rate, a score over its weight, and so a 总分 that is not the scores' sum),
and, beside the repository, the wild PDFs: Ningde's form (its own 财政资金小计 slip), Xi'an's 90 pages of
自评表 and Beijing's 绩效目标表.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlens.amounts import Quantity, quantity
from budgetlens.check.formulas import header_formulas
from budgetlens.extract.facts import Fact
from budgetlens.pipeline import read_document
from budgetlens.result import Result
from budgetlens.testing.render import load_spec, render
from budgetlens.testing.spec import HeaderCell
from conftest import DATA, SHARED

WILD = SHARED / "corpus" / "wild"
FORM = "项目支出绩效自评表"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥95%", ("≥", "95", "%")),
        ("≤3843.67万元", ("≤", "3843.67", "万元")),
        ("=24小时", ("=", "24", "小时")),
        ("≧110个", ("≥", "110", "个")),
        ("1.2万人", ("", "1.2", "万人")),
        ("360元/人月", ("", "360", "元/人月")),
        ("275148㎡", ("", "275148", "平方米")),
        ("１００％", ("", "100", "%")),
        ("2,940.05", ("", "2940.05", "")),
        ("按时完成", None),
        ("2021年12月底", None),
        ("2021年", None),
        ("300多人", None),
        ("第3期", None),
        ("127部门整体", None),
    ],
)
def test_a_cell_is_read_as_a_quantity_with_its_bound_and_unit(text: str, expected: tuple | None) -> None:
    assert quantity(text) == (Quantity(*expected) if expected else None)


def test_header_formulas_are_parsed_by_their_marks() -> None:
    paths = ["年初预算数①", "年中调整数②", "小计③=①+②", "全年执行数④", "执行率(%)⑤=④/③", "结余⑥=③-④"]
    found = {(f.target, f.op, f.terms) for f in header_formulas(paths)}
    assert found == {
        ("小计③=①+②", "sum", ((1, "年初预算数①"), (1, "年中调整数②"))),
        ("执行率(%)⑤=④/③", "ratio", ((1, "全年执行数④"), (1, "小计③=①+②"))),
        ("结余⑥=③-④", "sum", ((1, "小计③=①+②"), (-1, "全年执行数④"))),
    }
    lettered = header_formulas(["全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "分值"])
    assert [(f.target, f.op, f.terms) for f in lettered] == [
        ("执行率（B/A）", "ratio", ((1, "全年执行数（B）"), (1, "全年预算数（A）")))
    ]
    assert header_formulas(["金额（万元）", "执行率(%)⑤=④/③"]) == []  # marks this table does not print


# ------------------------------------------------------------------------- the rendered form


def _read_form(tmp_path: Path, change: dict[tuple[int, int], str] | None = None) -> Result:
    spec = load_spec(DATA / "selfeval-form.json")
    form = spec.blocks[0].form
    assert form is not None
    for (r, c), text in (change or {}).items():
        form.rows[r][c] = HeaderCell(text=text)
    pdf, _ = render(spec, tmp_path)
    return read_document(pdf)


def _fact(result: Result, row: str, column: str) -> Fact:
    return next(f for f in result.facts if (f.row, f.column) == (row, column))


def test_a_form_is_read_block_by_block_with_units_and_bounds(tmp_path: Path) -> None:
    result = _read_form(tmp_path)
    assert result.document.doc_kind == "performance" and result.document.department == "芙蓉区科学技术协会"
    assert {f.table for f in result.facts} == {FORM} and {f.entity for f in result.facts} == {
        "芙蓉区科学技术协会"
    }
    got = {(f.row, f.column): (f.bound, f.value, f.unit) for f in result.facts}
    assert len(got) == len(result.facts) == 49
    assert got[("中央财政资金", "小计③=①+②")] == ("", "30.00", "")  # enumerator left out of the key
    assert got[("合计", "执行率(%)⑤=④/③")] == ("", "90.00", "%")
    assert got[("合计", "分值")] == ("", "10", "分")
    assert got[("科普活动场次", "年度指标值")] == ("≥", "20", "场")
    assert got[("科普活动场次", "实际完成值")] == ("", "22", "场")
    assert got[("活动参与满意率", "实际完成值")] == ("", "95", "%")  # measured against its target: ≥90%
    assert got[("受益群众人数", "实际完成值")] == ("", "20000", "人")
    assert got[("总分", "得分")] == ("", "95", "分")


def test_the_planted_slips_are_found_and_nothing_else(tmp_path: Path) -> None:
    result = _read_form(tmp_path)
    found = sorted((f.check, f.cells[0].row, f.severity) for f in result.findings)  # type: ignore[union-attr]
    assert found == [
        ("percent.formula", "中央财政资金", "error"),  # ⑤=④/③: 27.00 / 30.00 printed 80.00
        ("score.total", "总分", "error"),  # 得分 add up to 97, printed 95
        ("score.weight", "科普资料发放份数", "error"),  # 得分 12 over its 分值 10
    ]


def test_the_sums_a_form_promises_are_checked(tmp_path: Path) -> None:
    """③=①+② across every row, 合计 = 财政资金小计 + 其他资金小计, 财政资金小计 = the rows it names."""
    result = _read_form(tmp_path, {(4, 3): "111.00", (6, 1): "61.00"})  # 财政资金小计 ③; ②地方 ①
    sums = sorted((f.check, f.cells[0].row, f.cells[0].column) for f in result.findings if f.kind == "sum")  # type: ignore[union-attr]
    assert ("sum.columns", "财政资金小计", "小计③=①+②") in sums  # 90.00 + 20.00 printed 111.00
    assert ("sum.columns", "地方财政资金", "小计③=①+②") in sums  # 61.00 + 20.00 printed 80.00
    assert ("sum.rows", "财政资金小计", "年初预算数①") in sums  # 30.00 + 61.00 printed 90.00
    assert ("sum.rows", "合计", "小计③=①+②") in sums  # 111.00 + 10.00 printed 120.00


def test_a_form_fills_the_indicator_schema(tmp_path: Path) -> None:
    result = _read_form(tmp_path)
    section = next(s for s in result.sections if s.table is not None)
    assert section.schema_name == "table.indicators" and section.needs_model is None
    data = section.data or {}
    assert data["fields"] == {
        "部门（单位）名称": "芙蓉区科学技术协会",
        "项目名称": "科普惠民项目",
        "年度总体目标": "全年开展科普活动20场以上，发放科普资料一万份以上。",
    }
    rows = {r["key"]: r for r in data["rows"]}
    assert rows["科普活动场次"]["path"] == ["数量指标", "科普活动场次"]
    assert rows["科普活动场次"]["values"]["年度指标值"] | {"provenance": None} == {
        "value": "20",
        "bound": "≥",
        "unit": "场",
        "text": "≥20场",
        "provenance": None,
    }
    assert rows["群众满意度"]["texts"] == {"偏差原因": "未达预期"}


# ------------------------------------------------------------------------------- wild PDFs


def _wild(name: str) -> Result:
    pdf = WILD / f"{name}.pdf"
    if not pdf.is_file():
        pytest.skip(f"../shared/corpus/wild/{name}.pdf is not here")
    return read_document(pdf)


def test_ningde_form_every_value_with_its_unit_its_formulas_and_its_slip() -> None:
    result = _wild("ningde-govoffice-2024-dept-performance-selfeval")
    facts = {(f.row, f.column): f for f in result.facts}
    assert len(facts) == len(result.facts) == 113
    assert (
        facts[("基本经费投入成本", "年度指标值")].bound,
        facts[("基本经费投入成本", "年度指标值")].unit,
    ) == (
        "≤",
        "万元",
    )
    assert facts[("基本经费投入成本", "实际完成值")].unit == "万元"
    assert facts[("12345平台座席满意率", "实际完成值")].unit == "%"
    assert facts[("全年保险车辆数", "年度指标值")].unit == "辆"
    assert facts[("“三公”经费违规使用次数", "实际完成值")].unit == "次"
    assert all(f.unit == "分" for f in result.facts if f.column in ("指标分值", "自评得分", "分值", "得分"))
    # ③=①+②, ⑥=③-④, ⑤=④/③ and ⑦=⑥/③ hold in every row (11.2500 is 11.25 printed to four places)
    assert not [f for f in result.findings if f.check in ("sum.columns", "percent.formula")]
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors and all(f.check == "sum.rows" for f in errors)
    assert {c.row for f in errors for c in f.cells[:1]} == {"财政资金小计", "合计"}  # type: ignore[union-attr]
    assert any(f.actual == "0.00" and f.expected == "9209.55" for f in errors)


def test_indicator_tables_read_with_their_units_and_no_false_money_sums() -> None:
    beijing = _wild("beijing-culture-tourism-2026-budget-tables")
    targets = [f for f in beijing.facts if f.column == "本年绩效指标值"]
    # one table over 136 pages (a page whose spanning cells ended before it draws only the right-hand
    # columns, and one reprints a spanning cell's text over its rules): its units and bounds from the
    # 度量单位 and 指标性质 columns; p.166 prints 95 % beside 定性, which is no bound
    assert len(targets) > 1500 and all(f.unit for f in targets)
    assert [f.page for f in targets if not f.bound] == [166]
    xian = _wild("xian-health-commission-2022-final-consolidated")
    forms = {f.table for f in xian.facts if f.table.endswith("绩效自评表")}
    assert len(forms) >= 80  # a table per project, named by it
    measured = [f for f in xian.facts if f.column in ("年度指标值", "实际完成值")]
    assert sum(bool(f.unit) for f in measured) >= 0.8 * len(measured)
    for result in (beijing, xian):
        assert not [f for f in result.findings if f.kind == "sum" and f.severity == "error"]


def test_findings_are_json_lines(tmp_path: Path) -> None:
    from budgetlens.output import write_result

    result = _read_form(tmp_path)
    write_result(result, tmp_path / "out", "form")
    lines = (tmp_path / "out" / "form.facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(x)["bound"] for x in lines} == {"", "≥"}


# ------------------------------------------------------------------- the Furong 绩效 report


@pytest.fixture(scope="module")
def furong(rendered) -> Result:
    pdf, _ = rendered[("furong-2020-performance", "lines")]
    return read_document(pdf)


def test_furong_is_a_performance_report_with_its_parts_typed(furong: Result) -> None:
    doc = furong.document
    assert (doc.doc_kind, doc.year, doc.department) == ("performance", 2020, "芙蓉区科学技术协会")
    parts = [s.part for s in furong.sections if s.paragraphs and s.kind != "cover"]
    assert parts == [
        "performance.overview",
        "performance.next_steps",  # '下一步工作计划：' printed inside 部门概况
        "performance.spending",
        "performance.implementation",
        "performance.assets",
        "performance.results",
    ]
    overview = next(s for s in furong.sections if s.part == "performance.overview")
    assert overview.schema_name == "performance.overview"
    assert (overview.data or {})["staff_numbers"] == {"编制数": 4, "实有在职人数": 4}
    results = next(s for s in furong.sections if s.part == "performance.results" and s.paragraphs)
    assert set((results.data or {})["dimensions"]) == {"有效性", "持续性"}


def test_furong_every_figure_of_its_narrative_read_once(furong: Result) -> None:
    """Counted by hand from the seed: nine amounts in 万元 and eleven counts, in the first printing;
    the passages printed again after the signature add none."""
    amounts = [f.value for f in furong.narrative if f.unit == "万元"]
    assert amounts == ["242.96", "148.93", "5.03", "102.96", "108.37", "52.24", "2", "24.13", "30"]
    counts = [(f.value, f.unit, f.bound) for f in furong.narrative if f.kind == "count"]
    assert counts == [
        ("1", "个", None),
        ("4", "人", None),
        ("4", "人", None),
        ("12", "位", None),
        ("6", "次", None),
        ("20", "场次", "about"),  # 近20场次
        ("300", "人", "above"),  # 300多人
        ("11000", "份", "above"),
        ("2", "万人", "about"),
        ("1869", "人", None),
        ("17980", "次", None),
    ]
    assert len(furong.narrative) == 20


def test_furong_quirks_found_and_nothing_false(furong: Result) -> None:
    repeated = [f for f in furong.findings if f.check == "narrative.repeated"]
    assert repeated and all(f.severity == "info" for f in repeated)
    assert sum(len(f.cells) for f in repeated) == 5  # 项目招投标, 专项实施, 资产管理, 有效性, 持续性
    # 242.96 其中 148.93 + 5.03: a 其中 list may be partial; it is not over its total
    assert not [f for f in furong.findings if f.severity in ("error", "warning")]
