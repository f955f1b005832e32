"""A department's table that prints each of its units in turn becomes one table per unit.

Shenzhen's 支出总表 prints, under a 预算单位 column, the department's total, then each unit's row
followed by that unit's own subject codes; its 基本支出总表 does the same in one indented column
(department, unit, class, item). What shows the rows are units is that their blocks repeat: a code,
or several labels, printed under two of them. Each unit then has an outline of its own: sums never
run across units, and every fact says which unit it belongs to.
"""

from __future__ import annotations

from collections import defaultdict

from budgetlens.chunk.identity import same_unit
from budgetlens.chunk.models import Row, Table
from budgetlens.chunk.outline import RowLabel, key_column, row_labels
from budgetlens.chunk.text import squeeze

SHARED = 3  # labels two blocks must share to be the same outline repeated per unit …
ALIKE = 0.5  # … making up this share of the smaller block
UNITS = 3  # blocks alike: two may be categories sharing a few items (货物 / 服务), not units


def split_by_unit(table: Table, department: str | None) -> list[Table]:
    if len({c.group for c in table.columns}) != 1:
        return [table]
    heads = _unit_column_rows(table) or _unit_outline_rows(table)
    if not heads:
        return [table]
    starts = [0, *heads] if heads[0] else heads
    ends = [*starts[1:], len(table.rows)]
    return [_part(table, table.rows[s:e], s in heads, department) for s, e in zip(starts, ends, strict=True)]


def _unit_column_rows(table: Table) -> list[int]:
    """Rows naming a unit in an outer label column, when some code is printed under two units."""
    labels = [c for c in table.columns if c.role == "label"]
    codes = [c for c in table.columns if c.role == "code"]
    if not codes or len(labels) < 2 or key_column(table.rows, labels) == 0:
        return []
    outer = labels[0].index
    heads: list[int] = []
    seen: dict[str, str] = {}
    unit = ""
    repeated = False
    for i, row in enumerate(table.rows):
        code = next((squeeze(row.text(c.index)) for c in codes if row.text(c.index)), "")
        if row.text(outer) and not code:
            heads.append(i)
            unit = squeeze(row.text(outer))
        if code:
            repeated = repeated or seen.setdefault(code, unit) != unit
    return heads if repeated else []


def _unit_outline_rows(table: Table) -> list[int]:
    """Sibling rows of an outline whose blocks repeat one outline of their own (classes and their
    items, labels shared): the shallowest such level are units. A list of items per project is not."""
    labels = {i: r for (i, _), r in row_labels(table).items()}
    below: dict[int, set[str]] = defaultdict(set)  # row → the labels of the rows standing under it
    depth: dict[int, int] = defaultdict(int)  # row → how many levels stand under it
    siblings: dict[tuple[int, int | None], list[int]] = defaultdict(list)  # (level, parent row) → rows
    stack: list[tuple[int, RowLabel]] = []
    for i in sorted(labels):
        r = labels[i]
        if r.level is None:
            continue
        while stack and (stack[-1][1].level or 0) >= r.level:
            stack.pop()
        for j, above in stack:
            below[j].add(squeeze(r.code) if r.code else r.bare)
            depth[j] = max(depth[j], r.level - (above.level or 0))
        siblings[(r.level, stack[-1][0] if stack else None)].append(i)
        stack.append((i, r))
    for (_, _), rows in sorted(siblings.items(), key=lambda kv: kv[0][0]):
        deep = [i for i in rows if depth[i] >= 2]
        shared = [i for i in deep if any(_alike(below[i], below[j]) for j in deep if j != i)]
        if len(shared) >= UNITS:
            return rows
    return []


def _alike(a: set[str], b: set[str]) -> bool:
    shared = len(a & b)
    return shared >= SHARED and shared >= ALIKE * min(len(a), len(b))


def _part(table: Table, rows: list[Row], unit_row: bool, department: str | None) -> Table:
    """The rows of one unit (its own row first: it stands for the whole table, as its total)."""
    labels = [c for c in table.columns if c.role == "label" and rows[0].text(c.index)]
    named = squeeze(rows[0].text(labels[0].index)) if unit_row and labels else ""
    department_itself = department is not None and same_unit(named, department)
    entity = named if named and not department_itself else table.entity
    pages = sorted({r.page for r in rows} | {c.page for r in rows for c in r.cells.values()})
    own_row = 0 if unit_row else None
    return table.model_copy(
        update={"rows": rows, "entity": entity, "pages": pages or table.pages, "own_row": own_row}
    )
