"""Scores of a self-evaluation: no item scores more than its weight, the weights add up to the
printed total (else to 100, the scale every 自评表 is marked on), the scores to the printed 总分, and
a group's items to the weight its label prints ('产出指标（50分）').

Scores are facts in 分; weights are read from columns headed 分值 / 权重, scores from 得分.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from budgetlens.check.findings import CellRef, Finding, Place
from budgetlens.check.interval import sum_agrees
from budgetlens.check.view import PARTIAL, TableView
from budgetlens.chunk.form import form_blocks
from budgetlens.chunk.models import Table
from budgetlens.chunk.text import squeeze
from budgetlens.extract.facts import Fact, placed_facts
from budgetlens.result import Result

_WEIGHT = re.compile(r"分值|权重|满分|标准分")
_SCORE = re.compile(r"得分|评分")
_TOTAL = re.compile(r"总分")
_SUMMED = re.compile(r"合计|总计")  # a total of scores where other rows of its block are scored
_GROUP = re.compile(r"[（(](\d+(?:\.\d+)?)分[)）]")
SCALE = "100"
PLACES = 2  # a score printed 10 is 10, not anything from 9.5 to 10.5: read to the hundredth


def score_findings(result: Result, views: list[TableView]) -> Iterator[Finding]:
    scored = [f for f in result.facts if f.unit == "分"]
    for section in sorted({v.section for v in views}):
        mine = [v for v in views if v.section == section]
        facts = _facts(scored, mine[0])
        totals = {f.key for f in facts if _is_total(f, mine)}
        yield from _over_weight(facts)
        yield from _totals(mine, facts, totals)
        table = result.sections[section].table
        if table is not None and table.form:
            yield from _groups(table, facts)


def _facts(scored: list[Fact], view: TableView) -> list[Fact]:
    return [f for f in scored if f.table == view.name and f.entity == view.entity and f.page in view.pages]


def _is_weight(f: Fact) -> bool:
    return bool(_WEIGHT.search(f.column)) and not _SCORE.search(f.column)


def _over_weight(facts: list[Fact]) -> Iterator[Finding]:
    weights = {(f.row, f.page): f for f in facts if _is_weight(f)}
    for f in facts:
        weight = weights.get((f.row, f.page))
        if _SCORE.search(f.column) and weight is not None and Decimal(f.value) > Decimal(weight.value):
            yield Finding(
                check="score.weight",
                severity="error",
                kind="score",
                message=f"{f.table} {f.row}: {f.column} printed {f.value}, "
                f"more than its {weight.column} {weight.value}",
                cells=[CellRef.of(f), CellRef.of(weight)],
                expected=f"≤ {weight.value}",
                actual=f.value,
            )


def _is_total(fact: Fact, views: list[TableView]) -> bool:
    if _TOTAL.search(fact.row):
        return True
    return bool(_SUMMED.search(fact.row)) and any(f.row != fact.row for f in _block_of(views, fact))


def _totals(views: list[TableView], facts: list[Fact], total_keys: set[Place]) -> Iterator[Finding]:
    """Σ weights and Σ scores against the printed totals, over the whole form or over the block the
    total is printed in (some forms leave the funds' score out of 总分). A total printed as one field
    ('总分值、评价总分(S) | 92.33') may be the weights' or the scores'; it holds if any reading does."""
    name = views[0].name

    def item(f: Fact) -> bool:  # not a total, nor a part printed under its whole (其中：当年财政拨款)
        return f.key not in total_keys and not PARTIAL.match(f.row)

    items = [f for f in facts if item(f)]
    totals = [f for f in facts if f.key in total_keys]
    for total in totals:
        block = _block_of(views, total)
        readings = [
            [f for f in group if ok(f)]
            for group in (items, [f for f in block if item(f)])
            for ok in (_is_weight, lambda f: bool(_SCORE.search(f.column)))
        ]
        readings = [r for r in readings if r and _of(total, r)]
        verdicts = [sum_agrees(total.value, [f.value for f in r], PLACES) for r in readings]
        if readings and not any(v.ok for v in verdicts):
            what = "weights" if _is_weight(readings[0][0]) else "scores"
            yield _finding(name, total, readings[0], verdicts[0].expected, f"the items' {what}")
    weights = [f for f in items if _is_weight(f)]
    if weights and not any(_of(t, weights) for t in totals):
        verdict = sum_agrees(SCALE, [f.value for f in weights], PLACES)
        if not verdict.ok:
            yield Finding(
                check="score.total",
                severity="warning",
                kind="score",
                message=f"{name}: the weights add up to {verdict.expected}, not {SCALE} (no total printed)",
                cells=[CellRef.of(f) for f in weights],
                expected=SCALE,
                actual=verdict.expected,
            )


def _block_of(views: list[TableView], fact: Fact) -> list[Fact]:
    for view in views:
        facts = [f for line in view.lines for f in line.values.values()]
        if any(f.key == fact.key for f in facts):
            return [f for f in facts if f.unit == "分"]
    return []


def _of(total: Fact, items: list[Fact]) -> bool:
    """Whether a printed total stands for these items: its column is theirs, or it is a field."""
    return total.column == total.row or total.column in {f.column for f in items}


def _finding(table: str, total: Fact, items: list[Fact], expected: str, what: str) -> Finding:
    return Finding(
        check="score.total",
        severity="error",
        kind="score",
        message=f"{table} {total.row}: printed {total.value}, but {what} add up to {expected}",
        cells=[CellRef.of(total), *(CellRef.of(f) for f in items)],
        expected=expected,
        actual=total.value,
    )


def _groups(form: Table, facts: list[Fact]) -> Iterator[Finding]:
    """A group label printed over its items with its weight ('产出指标（50分）') promises their weights
    add up to it. The template's allotment, which an office may share out otherwise: a warning."""
    weights = {f.key: f for f in facts if _is_weight(f)}
    for block in form_blocks(form):
        placed = [(i, f) for i, _, f in placed_facts(block.table) if f.key in weights]
        for i, row in enumerate(block.table.rows):
            for cell in row.cells.values():
                found = _GROUP.search(squeeze(cell.text)) if cell.span > 1 else None
                if found is None:
                    continue
                members = [weights[f.key] for n, f in placed if i <= n < i + cell.span]
                verdict = sum_agrees(found.group(1), [f.value for f in members], PLACES)
                if members and not verdict.ok:
                    yield Finding(
                        check="score.group",
                        severity="warning",
                        kind="score",
                        message=f"{form.name} {squeeze(cell.text)}: its items' weights add up to "
                        f"{verdict.expected}, not {found.group(1)}",
                        cells=[CellRef.of(f) for f in members],
                        expected=found.group(1),
                        actual=verdict.expected,
                    )
