"""Change cells of a result: a new reading moves the fact and the table cell it was read from
together, so the checks (which read facts) and the tables (which the report draws) never
disagree; a verdict on a reading (confirmed, flagged, accepted) marks the facts alone."""

from __future__ import annotations

from typing import Any

from budgetlens.amounts import normalise
from budgetlens.chunk.models import Cell, Table
from budgetlens.extract.facts import Fact, row_keys
from budgetlens.result import Result, SectionResult


def amend(result: Result, fact: Fact, cell: Cell, **provenance: Any) -> Result:
    """The result with `fact` now holding `cell` (value, printed text, page, box); the value it
    held first is kept in `previous`. `provenance` sets extractor, status, review."""
    fixed = fact.model_copy(
        update={
            "value": normalise(cell.text),
            "text": cell.text,
            "page": cell.page,
            "box": cell.box,
            "previous": fact.previous or fact.value,
            **provenance,
        }
    )
    facts = [fixed if f.key == fact.key else f for f in result.facts]
    sections = [_swapped(s, fact, cell) for s in result.sections]
    return result.model_copy(update={"facts": facts, "sections": sections})


def mark(result: Result, facts: list[Fact], **fields: Any) -> Result:
    """The result with `fields` (status, review) set on these facts, found by their key."""
    keys = {f.key for f in facts}
    return result.model_copy(
        update={"facts": [f.model_copy(update=fields) if f.key in keys else f for f in result.facts]}
    )


def _swapped(section: SectionResult, fact: Fact, cell: Cell) -> SectionResult:
    if section.table is None or section.table.name != fact.table:
        return section
    return section.model_copy(update={"table": _swap(section.table, fact, cell)})


def _swap(table: Table, fact: Fact, cell: Cell) -> Table:
    """The table with the fact's cell (found by row key, column path and page) replaced."""
    keys = row_keys(table)
    rows = list(table.rows)
    for column in table.values():
        if ".".join(column.path) != fact.column:
            continue
        for i, row in enumerate(rows):
            old = row.cells.get(column.index)
            if keys.get((i, column.group)) == fact.row and old is not None and old.page == fact.page:
                rows[i] = row.model_copy(update={"cells": row.cells | {column.index: cell}})
    return table.model_copy(update={"rows": rows})
