"""A department's table that prints each of its units in turn becomes one table per unit.

Shenzhen's 支出总表 prints, under a 预算单位 column, the department's total, then each unit's row
followed by that unit's own subject codes. A code printed again under another unit's label is what
shows the labels are units, each with an outline of its own: sums never run across them, and every
fact says which unit it belongs to.
"""

from __future__ import annotations

from budgetlens.chunk.identity import same_unit
from budgetlens.chunk.models import Row, Table
from budgetlens.chunk.outline import key_column
from budgetlens.chunk.text import squeeze


def split_by_unit(table: Table, department: str | None) -> list[Table]:
    unit_column = _unit_column(table)
    if unit_column is None:
        return [table]
    blocks: list[tuple[str | None, list[Row]]] = [(None, [])]
    for row in table.rows:
        unit = squeeze(row.text(unit_column))
        if unit and not any(row.text(c.index) for c in table.columns if c.role == "code"):
            blocks.append((unit, []))
        blocks[-1][1].append(row)
    return [_part(table, unit, rows, department) for unit, rows in blocks if rows]


def _unit_column(table: Table) -> int | None:
    """The outer label column whose labels are units: some code is printed under two of them."""
    if len({c.group for c in table.columns}) != 1:
        return None
    labels = [c for c in table.columns if c.role == "label"]
    codes = [c for c in table.columns if c.role == "code"]
    if not codes or len(labels) < 2 or key_column(table.rows, labels) == 0:
        return None
    outer = labels[0].index
    seen: dict[str, str] = {}
    unit = ""
    for row in table.rows:
        unit = squeeze(row.text(outer)) or unit
        code = next((squeeze(row.text(c.index)) for c in codes if row.text(c.index)), "")
        if code and seen.setdefault(code, unit) != unit:
            return outer
    return None


def _part(table: Table, unit: str | None, rows: list[Row], department: str | None) -> Table:
    entity = table.entity if unit is None or (department and same_unit(unit, department)) else unit
    pages = sorted({r.page for r in rows} | {c.page for r in rows for c in r.cells.values()})
    return table.model_copy(update={"rows": rows, "entity": entity, "pages": pages or table.pages})
