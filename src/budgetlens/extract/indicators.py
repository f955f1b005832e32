"""A table of indicators filled into its schema: each row's labels, its figures with their bounds and
units (as its facts read them), and the words printed where a figure could be ('按时完成', a reason).
A form is read block by block, and its fields ('项目名称 | 科普惠民项目') are kept."""

from __future__ import annotations

from typing import Any

from budgetlens.amounts import quantity
from budgetlens.chunk.form import form_blocks
from budgetlens.chunk.models import Table
from budgetlens.chunk.outline import row_labels
from budgetlens.chunk.text import squeeze
from budgetlens.extract.facts import placed_facts
from budgetlens.extract.schemas import IndicatorTable


def fill_indicators(table: Table, extractor: str = "grid") -> dict[str, Any]:
    blocks = form_blocks(table) if table.form else []
    tables = [b.table for b in blocks] if table.form else [table]
    rows = [row for t in tables for row in _rows(t, extractor)]
    taken = {i for b in blocks for i, _ in b.origin.values()}
    fields = _fields(table, taken) if table.form else {}
    data = IndicatorTable.model_validate(
        {"title": table.title, "unit": table.unit, "fields": fields, "rows": rows}
    )
    return data.model_dump(mode="json")


def _rows(table: Table, extractor: str) -> list[dict[str, Any]]:
    labels = row_labels(table)
    by_row: dict[int, dict[str, Any]] = {}
    for i, column, fact in placed_facts(table):
        named = labels.get((i, column.group))
        path = [p for p in (named.parent if named else None, named.bare if named else fact.row) if p]
        entry = by_row.setdefault(i, {"key": fact.row, "path": path, "values": {}, "texts": {}})
        provenance = {"page": fact.page, "box": fact.box, "text": fact.text, "extractor": extractor}
        entry["values"][fact.column] = {
            "value": fact.value,
            "bound": fact.bound,
            "unit": fact.unit,
            "text": fact.text,
            "provenance": provenance,
        }
    for i, entry in by_row.items():
        for column in table.values():
            text = table.rows[i].text(column.index).strip()
            if text and quantity(text) is None and column.path:
                entry["texts"][".".join(column.path)] = text
    return [by_row[i] for i in sorted(by_row)]


MAX_FIELDS = 2  # fields one row prints: '主管部门 | … | 实施单位 | …'


def _fields(form: Table, taken: set[int]) -> dict[str, str]:
    """Rows outside the blocks printed as 'label | value …' (项目名称, 主管部门 | … | 实施单位 | …)."""
    out: dict[str, str] = {}
    for i, row in enumerate(form.rows):
        if i in taken:
            continue
        texts = [squeeze(c.text) for _, c in sorted(row.cells.items()) if c.text.strip()]
        if len(texts) > MAX_FIELDS * 2:
            continue  # a row of labels over a block, not fields
        for label, value in zip(texts[::2], texts[1::2], strict=False):
            if quantity(label) is None:
                out.setdefault(label, value)
    return out
