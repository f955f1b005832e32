"""Real PDFs from other offices (../shared/corpus/wild, see its SOURCES.md).

- Three answer keys written by hand from the page (tests/data/<stem>.facts.jsonl and .notes.md), by
  different producers: Excel (Jiangsu CPPCC), Word (Foshan), a budget-system export (Hangzhou).
  Their own identities are checked here without any PDF; the reading is compared with them when the
  corpus is beside the repository.
- Every wild document: tables found and read (the gold-free coverage of ../shared/tools/coverage.py),
  and no error finding but the document's own slips, each verified on the page.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from budgetlens.evaluate import compare, load_facts
from budgetlens.output import write_result
from budgetlens.pipeline import read_document
from conftest import DATA, SHARED

WILD = SHARED / "corpus" / "wild"
KEYS = [
    "jiangsu-cppcc-office-2017-budget-tables",
    "foshan-rail-transit-2019-final",
    "hangzhou-public-security-2026-budget",
]

# Xi'an's 自评表, checked on the page. 执行率（B/A）: p.72 100.005% of 316.82 / 316.82; p.77 83.50% for
# 701.17 / 840 = 83.47% (twice); pp.98-103, 138-141 print 1000% for B = A.
_XIAN_RATES = [
    "西安市妇幼保健院医疗设备购置更新项目",
    *["2022年医疗耗材和试剂项目"] * 2,
    "公共卫生事业发展资金项目",
    "市儿童医院经开院区一期项目",
    "城市公立医院取消药品加成财政补偿资金（卫生健康事业发展专项资金）项目",
    "临床检验设备项目",
    "市儿童医院经开院区二期建设项目项目",
    "医用超声波仪器及设备项目",
    "医用光学仪器项目",
    "医用激光仪器及设备项目",
    "公共卫生事业发展资金项目",
    "第一医院迁建项目（设备购置）项目",
]
# 总分 100 over weights of 96 (pp.74-80: 效益指标 13 + 13 under its 30), 95 (pp.114-117: 效益 25), or 90
# (pp.73, 98-104, 138-141: the funds' 分值 left blank, their 得分 10 printed). p.72 (score.weight):
# 总分 得分 93 over its 分值 90.
_XIAN_TOTALS = [
    "西安市妇幼保健院妇女健康促进项目暨两癌项目",
    *[
        f"2022年{t}项目"
        for t in ("安保服务", "保洁服务", "食堂服务", "医疗耗材和试剂", "医疗设备维保采购", "运维服务")
    ],
    "2022年水电费用项目",
    "公共卫生事业发展资金项目",
    "市儿童医院经开院区一期项目",
    "城市公立医院取消药品加成财政补偿资金（卫生健康事业发展专项资金）项目",
    "临床检验设备项目",
    "市儿童医院经开院区二期建设项目项目",
    "医用超声波仪器及设备项目",
    "医用电子生理参数仪器设备项目",
    "人民医院区中建设医疗设备购置项目",
    "医疗服务与保障能力提升（第二批）补助资金项目",
    "航天院区超声诊断类医疗设备采购项目",
    "2022年医疗卫生机构能力提升省级补助资金项目",
    "医用光学仪器项目",
    "医用激光仪器及设备项目",
    "公共卫生事业发展资金项目",
    "第一医院迁建项目（设备购置）项目",
]

# Error findings that are the document's own slips, checked on the page: (check, what the first cell is).
REAL_SLIPS = {
    # 表2: the department's row exceeds its units' rows by 1,471.68 (总计, 本年收入.小计, 一般公共预算);
    # 表7: 合计 exceeds the units by 144.00 (三公合计, 车辆小计, 运行维护费); 表10: 合计 exceeds the projects
    # by 199.00 (总计, 一般公共预算)
    "hangzhou-public-security-2026-budget": [("sum.rows", "部门收入总表")] * 3
    + [("sum.rows", "一般公共预算“三公”经费支出表")] * 3
    + [("sum.rows", "项目支出表")] * 2,
    # p.23 增长21.95% (3,958.67 / 17,996.68 = 22.00%); p.26 增长0.06% (21.8 / 3,644.2 = 0.60%) and
    # 减少134万元，降幅0.66% (134 / 2,029 = 6.60%)
    "jiangsu-procuratorate-2018-budget": [
        ("narrative.change", "收支预算总体情况说明"),
        ("narrative.change", "财政拨款支出预算情况说明"),
        ("narrative.change", "财政拨款支出预算情况说明"),
    ],
    # p.17 增加5834.37万元，增长35.74% (5,834.37 / 16,232.22 = 35.94%); p.26 共涉及资金5105.75万元，占一般
    # 公共预算项目支出总额的100%, where the 决算表 prints 项目支出 3,499.42
    "national-petitions-bureau-2024-final": [
        ("narrative.change", "收入支出决算总体情况说明"),
        ("narrative.share", "关于2024年度预算绩效情况说明"),
    ],
    # p.28 共涉及资金940.15万元，占一般公共预算项目支出总额的100% — of 921.75 that is 102%
    "foshan-rail-transit-2019-final": [("narrative.share", "其他重要事项的情况说明")],
    # 财政资金小计 prints 0.00 in its five amount columns while its parts (③地方财政资金) hold 9209.55 …:
    # it differs from its parts (5) and makes 合计 differ from 财政资金小计 + 其他资金小计 (5)
    "ningde-govoffice-2024-dept-performance-selfeval": [("sum.rows", "整体绩效自评表")] * 10,
    "xian-health-commission-2022-final-consolidated": [
        ("percent.formula", f"西安市级{t}绩效自评表") for t in _XIAN_RATES
    ]
    + [("score.total", f"西安市级{t}绩效自评表") for t in _XIAN_TOTALS]
    + [("score.weight", "西安市级西安市妇幼保健院医疗设备购置更新项目绩效自评表")]
    # p.46 item 54: 全年预算数21143.98万元，执行数21143.98万元，完成预算的35% (the 35% of item 53 above it)
    + [("narrative.execution", "p31#1")],
}
# The coverage tool counts every number on a page with ruling lines; these pages also print figures
# that are no table's cells, or print one cell's number as two words.
COVERAGE = defaultdict(
    lambda: 0.97,
    {
        # p.23 ends the procurement table and starts the 情况说明: its 8 narrative figures count as
        # table tokens (narrative figures are not table facts)
        "jiangsu-procuratorate-2018-budget": 0.95,
    },
)


def _wild(name: str) -> Path:
    path = WILD / f"{name}.pdf"
    if not path.is_file():
        pytest.skip(f"../shared/corpus/wild/{name}.pdf is not here (the corpus lives beside the repo)")
    return path


def _coverage_tool() -> ModuleType:
    path = SHARED / "tools" / "coverage.py"
    if not path.is_file():
        pytest.skip("../shared/tools/coverage.py is not here")
    spec = importlib.util.spec_from_file_location("coverage_tool", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------- the keys


def _interval(text: str) -> tuple[Decimal, Decimal]:
    value = Decimal(text)
    half = Decimal(1).scaleb(value.as_tuple().exponent) / 2  # type: ignore[arg-type]
    return value - half, value + half


def _holds(total: str, parts: list[str]) -> bool:
    low, high = _interval(total)
    lows, highs = zip(*(_interval(p) for p in parts), strict=True)
    return sum(lows) <= high and sum(highs) >= low


def _key_identities(facts: list[dict[str, object]]) -> tuple[int, list[str]]:
    """The key's code hierarchy (类 = Σ 款 = Σ 项, 301 = Σ 301xx) and 合计 / 小计 columns, checked on the
    key itself: (identities checked, those that fail)."""
    cells = {(f["table"], f["row"], f["column"]): str(f["value"]) for f in facts}
    checked, failed = 0, []
    for (table, row, column), value in cells.items():
        row, column = str(row), str(column)
        kids = [v for (t, r, c), v in cells.items() if (t, c) == (table, column) and _child_code(str(r), row)]
        parts = [
            v for (t, r, c), v in cells.items() if (t, r) == (table, row) and _sibling_column(str(c), column)
        ]
        for name, terms in (("code", kids), ("column", parts)):
            if terms:
                checked += 1
                if not _holds(value, terms):
                    failed.append(f"{table} {row} / {column}: {name} {value} ≠ Σ {terms}")
    return checked, failed


def _child_code(code: str, parent: str) -> bool:
    return parent.isdigit() and code.isdigit() and len(code) == len(parent) + 2 and code.startswith(parent)


def _sibling_column(column: str, total: str) -> bool:
    """A part of a total column headed 合计 / 小计: another column at its level under the same parent,
    or the 小计 / 合计 of a group of columns at that level."""
    head, _, last = total.rpartition(".")
    if last not in ("合计", "小计") or column == total or not column.startswith(f"{head}." if head else ""):
        return False
    rest = column.removeprefix(f"{head}." if head else "").split(".")
    leaf = len(rest) == 1 or (len(rest) == 2 and rest[1] in ("合计", "小计"))
    return leaf and not rest[0].startswith("其中")


@pytest.mark.parametrize("name", KEYS)
def test_each_answer_key_holds_its_own_identities(name: str) -> None:
    facts = load_facts(DATA / f"{name}.facts.jsonl")
    checked, failed = _key_identities(facts)
    assert checked > 0 and failed == [], failed
    assert all(
        set(f) == {"doc", "entity", "table", "row", "column", "value", "unit", "bound", "page"} for f in facts
    )


@pytest.mark.parametrize("name", KEYS)
def test_each_wild_document_reads_as_its_answer_key(name: str) -> None:
    result = read_document(_wild(name))
    gold = load_facts(DATA / f"{name}.facts.jsonl")
    report = compare([f.contract(result.document.doc) for f in result.facts], gold)
    assert report.accuracy == 1.0 and not report.extra, report.text()


# ------------------------------------------------------------------------------- every wild PDF


def _names() -> list[str]:
    if not WILD.is_dir():
        return ["(no ../shared/corpus/wild)"]
    return sorted(p.stem for p in WILD.glob("*.pdf"))


@pytest.mark.parametrize("name", _names())
def test_every_wild_document_is_read_and_only_its_own_slips_are_errors(name: str, tmp_path: Path) -> None:
    pdf = _wild(name)
    coverage = _coverage_tool()
    result = read_document(pdf)
    write_result(result, tmp_path, pdf.stem)
    measured = coverage.measure(pdf, tmp_path)
    if measured["amount_tokens"]:
        assert measured["amount_share"] >= COVERAGE[name], measured
    errors = sorted((f.check, _where(f)) for f in result.findings if f.severity == "error")
    assert errors == sorted(REAL_SLIPS.get(name, [])), [
        f.message for f in result.findings if f.severity == "error"
    ]
    assert not [f for f in result.findings if f.check == "consistency.department"]
    lines = json.loads((tmp_path / f"{pdf.stem}.json").read_text(encoding="utf-8"))
    assert lines["document"]["doc_kind"] != "unknown" or not result.facts


def _where(finding: object) -> str:
    cell = finding.cells[0]  # type: ignore[attr-defined]
    return getattr(cell, "table", None) or getattr(cell, "section", "")
