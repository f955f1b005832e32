"""Cross-table identities, declared as data: which cell of one table kind equals which cells of another.

`Same` pins single cells (T1 本年收入合计 = T2 合计); `Rows` pairs rows (T1's function classes with
T3's 3-digit codes by name, or T3 and T5 by code). A pairing that only holds when all spending is of one
kind (T3 = T5 when everything was paid from the general budget) is checked only when the two tables'
totals agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from budgetlens.check.identity import Identity, Ref
from budgetlens.check.view import Line, TableView


@dataclass(frozen=True)
class Pick:
    """One cell: the first line of ``kind`` whose label matches ``row``, in the first amount column
    whose path matches ``column`` ('' = the line's first amount column)."""

    kind: str
    row: str
    column: str = ""
    side: int | None = None  # column group: 0 = 收入, 1 = 支出 on two-sided tables


@dataclass(frozen=True)
class Same:
    id: str
    a: Pick
    b: tuple[Pick, ...]  # a = Σ b


@dataclass(frozen=True)
class Rows:
    id: str
    a: str
    b: str
    columns: tuple[tuple[str, str], ...]  # (column in a, column in b) regexes
    by: Literal["class", "code"]
    a_side: int | None = None
    when_totals_agree: bool = False


TOTAL = r"(合\s*计|总\s*计)"
_CARRIED = re.compile(r"结转|结余")
FIRST = ""
RULES: list[Same | Rows] = [
    # 决算 (DOMAIN.md: Across tables)
    Same("T1-T2", Pick("final.summary", "本年收入合计", FIRST, 0), (Pick("final.income", TOTAL),)),
    Same("T1-T3", Pick("final.summary", "本年支出合计", FIRST, 1), (Pick("final.expenditure", TOTAL),)),
    Same(
        "T1-T4",
        Pick("final.summary", "一般公共预算财政拨款(收入)?", FIRST, 0),
        (Pick("final.fiscal_summary", "一般公共预算财政拨款(收入)?", FIRST, 0),),
    ),
    Same(
        "T2-T4",
        Pick("final.income", TOTAL, "财政拨款"),
        (Pick("final.fiscal_summary", "本年收入合计", FIRST, 0),),
    ),
    Same(
        "T4-T5",
        Pick("final.fiscal_summary", "本年支出合计", "一般公共预算", 1),
        (Pick("final.general_budget", TOTAL),),
    ),
    Same(
        "T5-T6",
        Pick("final.general_budget", TOTAL, "基本支出"),
        (Pick("final.basic", "人员经费合计"), Pick("final.basic", "公用经费合计")),
    ),
    Same(
        "T4-T8",
        Pick("final.fiscal_summary", "本年支出合计", "政府性基金", 1),
        (Pick("final.gov_fund", TOTAL, "本年支出"),),
    ),
    Same(
        "T4-T9",
        Pick("final.fiscal_summary", "本年支出合计", "国有资本", 1),
        (Pick("final.state_capital", TOTAL),),
    ),
    Rows("T1-T3.classes", "final.summary", "final.expenditure", (("", ""),), "class", a_side=1),
    Rows(
        "T4-T5.classes",
        "final.fiscal_summary",
        "final.general_budget",
        (("一般公共预算", ""),),
        "class",
        a_side=1,
    ),
    Rows(
        "T3-T5.codes",
        "final.expenditure",
        "final.general_budget",
        (("", ""), ("基本支出", "基本支出"), ("项目支出", "项目支出")),
        "code",
        when_totals_agree=True,
    ),
    Rows("T2-T3.codes", "final.income", "final.expenditure", (("", ""),), "code", when_totals_agree=True),
    # 预算: the same ideas
    Same(
        "B1-B2", Pick("budget.summary", "本年收入合计", FIRST, 0), (Pick("budget.income", TOTAL, "本年收入"),)
    ),
    Same("B1-B3", Pick("budget.summary", "本年支出合计", FIRST, 1), (Pick("budget.expenditure", TOTAL),)),
    Same(
        "B4-B5",  # what the general budget spends this year, carried-over money included
        Pick("budget.fiscal_summary", "本年支出(合计)?", "一般公共预算", 1),
        (Pick("budget.general_budget", TOTAL),),
    ),
    Same(
        "B5-B6", Pick("budget.general_budget", TOTAL, "基本支出(\\.小计)?$"), (Pick("budget.basic", TOTAL),)
    ),
    Same(
        "B5-B6.staff",
        Pick("budget.general_budget", TOTAL, "人员经费"),
        (Pick("budget.basic", TOTAL, "人员经费"),),
    ),
    Same(
        "B5-B6.office",
        Pick("budget.general_budget", TOTAL, "公用经费"),
        (Pick("budget.basic", TOTAL, "公用经费"),),
    ),
    Rows("B1-B3.classes", "budget.summary", "budget.expenditure", (("", ""),), "class", a_side=1),
    Rows(
        "B3-B5.codes",
        "budget.expenditure",
        "budget.general_budget",
        (("", ""), ("基本支出", "基本支出"), ("项目支出", "项目支出")),
        "code",
        when_totals_agree=True,
    ),
]


def cross_identities(views: list[TableView]) -> Iterator[Identity]:
    by_kind: dict[str, TableView] = {}
    for view in views:
        if view.kind:
            by_kind.setdefault(view.kind, view)
    for rule in RULES:
        if isinstance(rule, Same):
            yield from _same(rule, by_kind)
        else:
            yield from _rows(rule, by_kind)


def _pick(pick: Pick, by_kind: dict[str, TableView]) -> Ref | None:
    view = by_kind.get(pick.kind)
    if view is None:
        return None
    for line in view.lines:
        carried = line.parent is not None and _CARRIED.search(line.parent) and not _CARRIED.search(pick.row)
        if carried:
            continue  # 一般公共预算拨款 under 上年结转 is last year's money, not this year's
        if (pick.side is None or line.group == pick.side) and re.fullmatch(pick.row, line.bare or line.key):
            column = _column(view, line.group, pick.column)
            return Ref(view, line, column) if column else None
    return None


def _column(view: TableView, group: int, pattern: str) -> str | None:
    return next((c.path for c in view.amount_columns(group) if re.search(pattern, c.path)), None)


def _same(rule: Same, by_kind: dict[str, TableView]) -> Iterator[Identity]:
    a = _pick(rule.a, by_kind)
    b = [_pick(p, by_kind) for p in rule.b]
    if a is not None and all(r is not None for r in b):
        terms = tuple((1, r) for r in b if r is not None)
        why = " + ".join(r.describe() for _, r in terms)
        yield Identity(f"cross_table.{rule.id}", "cross_table", a, terms, why)


def _rows(rule: Rows, by_kind: dict[str, TableView]) -> Iterator[Identity]:
    a, b = by_kind.get(rule.a), by_kind.get(rule.b)
    if a is None or b is None or (rule.when_totals_agree and not _totals_agree(a, b)):
        return
    pairs = _pairs(a, b, rule)
    for col_a, col_b in rule.columns:
        for line_a, line_b in pairs:
            path_a, path_b = _column(a, line_a.group, col_a), _column(b, line_b.group, col_b)
            if path_a and path_b:
                ref_b = Ref(b, line_b, path_b)
                yield Identity(
                    f"cross_table.{rule.id}",
                    "cross_table",
                    Ref(a, line_a, path_a),
                    ((1, ref_b),),
                    ref_b.describe(),
                )


def _pairs(a: TableView, b: TableView, rule: Rows) -> list[tuple[Line, Line]]:
    if rule.by == "code":
        codes = {line.code: line for line in b.lines if line.code}
        return [(x, codes[x.code]) for x in a.lines if x.code and x.code in codes]
    classes = {_name(line.bare): line for line in b.lines if line.code and len(line.code) == 3}
    side = [x for x in a.lines if rule.a_side is None or x.group == rule.a_side]
    return [(x, classes[_name(x.bare)]) for x in side if not x.code and _name(x.bare) in classes]


def _name(label: str) -> str:
    return re.sub(r"[（(]类[)）]", "", label)


def _totals_agree(a: TableView, b: TableView) -> bool:
    def total(view: TableView) -> Decimal | None:
        line = next((x for x in view.lines if x.is_total), None)
        cols = view.amount_columns(line.group) if line else []
        fact = line.values.get(cols[0].path) if line and cols else None
        return Decimal(fact.value) if fact else None

    ta, tb = total(a), total(b)
    return ta is not None and ta == tb
