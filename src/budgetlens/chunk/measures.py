"""What a value column measures, read from its header: money in the table's unit, or its own unit.

An indicator's value, a share, a head count or a score is not money: its facts carry its own unit
and it never enters a money sum. The header says which ('占比', '人数', '指标值', '（个）', '得分').
"""

from __future__ import annotations

import re

from budgetlens.amounts import UNITS

_MEASURES = "人次|万人次|平方米|公里|小时|人|个|次|辆|台|套|户|家|项|件|场|天|吨|份|册|篇|分"
_BRACKETED = re.compile(rf"[（(](万元|亿元|千元|元|%|％|{_MEASURES})[)）]$")
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
    bracketed = _BRACKETED.search(last)
    if bracketed:
        word = bracketed.group(1)
        return "%" if word in ("%", "％") else UNITS.get(word, word)
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
