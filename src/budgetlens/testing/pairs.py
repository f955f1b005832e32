"""Fixture documents of one department over two years, for the checks across documents.

Derived from the seed specs: the Jianghan 2020 决算 with a 三公 table that has figures; the same
document a year earlier (2019, its years moved back by one); and a 2020 预算 of the same department
(the Wuchang 2025 预算 renamed and moved back five years). What is planted:

- 三公: the 决算 budgets 3.00 万元 (all 公务接待费); the 预算 budgets 3.50 → 合计 and 公务接待费 disagree,
  the items budgeted at zero agree;
- the 决算's 表5 has a 年初预算数 column with the 预算's figures code by code, but 2060701 机构运行
  printed 180.46 where the 预算 has 180.64;
- the 2019 决算 prints the totals the 2020 narrative implies (收、支总计 and 财政拨款支出 717.05 = 504.77 +
  212.28), so the one prior-year disagreement left is the seed's own: "财政拨款收、支总计各减少212.30"
  implies 717.07;
- the 2019 决算 names 2080505 机关事业单位基本养老保险缴费 (without 支出), as the 2020 预算 does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from budgetlens.testing.render import SEEDS
from budgetlens.testing.spec import DocumentSpec

DEPARTMENT = "武汉市江汉区科学技术协会"


def _seed(name: str) -> str:
    return (SEEDS / f"{name}.json").read_text(encoding="utf-8")


def _tables(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [b["table"] for b in spec["blocks"] if b.get("table")]


# the 2020 预算's 一般公共预算支出表 合计 by code, as the 决算's 年初预算数 prints them (but one)
INITIAL = {
    "": "707.83", "206": "635.68", "20607": "635.68", "2060701": "180.46", "2060702": "455.04",
    "208": "16.63", "20805": "16.63", "2080501": "1.32", "2080505": "15.31", "210": "32.28",
    "21011": "32.28", "2101101": "7.66", "2101103": "24.63", "221": "23.24", "22102": "23.24",
    "2210201": "17.91", "2210202": "3.76", "2210203": "1.56",
}  # fmt: skip
THREE_PUBLIC = [
    "3.00",
    "0.00",
    "0.00",
    "0.00",
    "0.00",
    "3.00",
    "2.50",
    "0.00",
    "0.00",
    "0.00",
    "0.00",
    "2.50",
]


def final_2020() -> DocumentSpec:
    spec = json.loads(_seed("jianghan-2020-final"))
    for t in _tables(spec):
        if "三公" in t["title"]:  # 预算数 block, then 决算数 block
            t["rows"], t["statement"] = [THREE_PUBLIC], None
        if "（表5）" in t["title"]:  # a 年初预算数 column, as some years' template prints
            _initial_budget_column(t)
    return DocumentSpec.model_validate(spec)


def _initial_budget_column(t: dict[str, Any]) -> None:
    t["header"][0].insert(1, {"text": "年初预算数", "rowspan": 2})
    t["roles"].insert(2, "value")
    t["column_numbers"] = ["", "栏次", "1", "2", "3", "4"]
    t["notes"] = [t["notes"][0], "2栏各行 = (3+4) 栏各行。"]
    for row in t["rows"]:
        row.insert(2, INITIAL.get(row[0], ""))


def final_2019() -> DocumentSpec:
    spec = json.loads(_seed("jianghan-2020-final").replace("2019", "2018").replace("2020", "2019"))
    spec["name"] = "jianghan-2019-final"
    for t in _tables(spec):
        if t["title"].startswith("2019年度收入支出决算总表"):
            t["rows"][-1][2] = t["rows"][-1][5] = "717.05"  # 总计, both sides
        if t["title"].startswith("2019年度财政拨款收入支出决算总表"):
            for row in (t["rows"][-1], next(r for r in t["rows"] if r[3] == "本年支出合计")):
                row[5] = row[6] = "717.05"  # 总计 and 本年支出合计: 合计 and 一般公共预算财政拨款
            t["rows"][-1][2] = "717.05"
        for row in t["rows"]:
            row[:] = [
                "机关事业单位基本养老保险缴费" if c == "机关事业单位基本养老保险缴费支出" else c for c in row
            ]
    return DocumentSpec.model_validate(spec)


def budget_2020() -> DocumentSpec:
    text = _seed("wuchang-2025-budget").replace("武昌区科学技术协会", DEPARTMENT)
    spec = json.loads(text.replace("2023", "2018").replace("2024", "2019").replace("2025", "2020"))
    spec["name"], spec["department"] = "jianghan-2020-budget", DEPARTMENT
    for t in _tables(spec):
        if "三公" in t["title"]:  # 合计, 因公出国（境）费, 公务用车 小计 / 购置费 / 运行费, 公务接待费
            t["rows"] = [["3.50", "0.00", "0.00", "0.00", "0.00", "3.50"]]
    return DocumentSpec.model_validate(spec)


def render_pairs(folder: Path) -> list[Path]:
    """The three PDFs rendered into `folder`."""
    from budgetlens.testing.render import render

    return [render(spec, folder)[0] for spec in (final_2020(), final_2019(), budget_2020())]
