"""What a value column measures, read from its header: money in the table's unit, or its own unit.

An indicator's value, a share, a head count or a score is not money: its facts carry its own unit
and it never enters a money sum. The header says which ('占比', '人数', '指标值', '（个）', '得分'); an
indicator's row may say it too: its own cell ('≥95%'), a unit column ('度量单位 | 万元'), a bound
column ('指标性质 | ≥'), and the target a completed value is measured against.
"""

from __future__ import annotations

import re

from budgetlens.amounts import BOUNDS, UNITS, Quantity, bracketed_unit, looks_like_a_month, quantity

_PERCENT = re.compile(r"%|％|占比|比例|比重|率$|增减率|增长率")
_COUNTS = {"人数": "人", "人次": "人次", "个数": "个", "次数": "次", "辆数": "辆", "户数": "户", "台数": "台"}
_SCORES = re.compile(r"分值|得分|分数|权重")
_INDICATORS = re.compile(r"指标值|目标值|完成值|实际值|实现值|绩效目标|年度目标|标准值|偏差")
_COUNT = re.compile(r"数量$")


def column_unit(path: list[str]) -> str | None:
    """The unit a header gives its column; None for money in the table's own unit."""
    if not path:
        return None
    last = path[-1]
    bracketed = bracketed_unit(last)
    if bracketed:
        return bracketed
    whole = "".join(path)
    if _PERCENT.search(last):
        return "%"
    if _SCORES.search(last):
        return "分"
    for word, unit in _COUNTS.items():
        if last.endswith(word):
            return unit
    if _INDICATORS.search(whole) or _COUNT.search(last):
        return ""  # a count or an indicator's own figure: not money, unit as printed in the cell
    return None


def is_money(unit: str | None) -> bool:
    """A column in the table's money unit, or one that names a money unit."""
    return unit is None or unit in UNITS.values()


_UNIT_HEADER = re.compile(r"^(绩效)?(度量|计量|计算|指标)?单位$")
_BOUND_HEADER = re.compile(r"指标性质|指标方向|运算符|比较符|符号$")
_TARGET = re.compile(r"指标值|目标值|标准值|预期")
_INDICATOR = re.compile(r"指标值|目标值|标准值|预期|实际|完成值|实现值|完成情况")
_ACTUAL = re.compile(r"实际|完成值|实现值|完成情况")


def row_quantities(headers: dict[int, str], texts: dict[int, str]) -> dict[int, Quantity]:
    """The quantity every figure of one row measures, by cell: its number with the unit and bound its
    own text prints, else those its row gives an indicator's value (a unit or bound column beside
    it; for a completed value, the target it is measured against). A unit still unknown is None:
    the column's or the table's."""
    read = {i: q for i, t in texts.items() if (q := quantity(t)) is not None}
    read = {
        i: q for i, q in read.items() if not (_INDICATOR.search(headers.get(i, "")) and looks_like_a_month(q))
    }
    unit_col = next((i for i, h in headers.items() if _UNIT_HEADER.search(h) and i not in read), None)
    labelled = (bracketed_unit(t) for i, t in texts.items() if i not in read)
    row_unit = (
        texts.get(unit_col, "").strip() if unit_col is not None else next((u for u in labelled if u), "")
    )
    bound_col = next((i for i, h in headers.items() if _BOUND_HEADER.search(h)), None)
    row_bound = BOUNDS.get(texts.get(bound_col, "").strip(), "") if bound_col is not None else ""
    targets = [q for i, q in read.items() if _TARGET.search(headers.get(i, "")) and q.unit]
    out = {}
    for i, q in read.items():
        header = headers.get(i, "").rpartition(".")[2]  # the label right over it says what it is
        target, actual = bool(_TARGET.search(header)), bool(_ACTUAL.search(header))
        unit = (
            q.unit
            or (row_unit if target or actual else "")
            or (targets[0].unit if actual and targets else "")
        )
        bound = q.bound or (row_bound if target and not actual else "")
        out[i] = Quantity(bound, q.number, unit)
    return out
