"""Scripted answers for the bundled example, computed from the document's own familiar layout.

The "model" here is the deterministic reading of the same table under its catalog title: it knows
which printed cell holds which value. Scripts add the mistakes a real model makes (a bad code, a value
taken from the neighbouring block) so the validators, re-asks and re-extraction have work to do.
Nothing here measures a model's accuracy.
"""

from __future__ import annotations

import json
import re
from typing import Any

from budgetlens.amounts import normalise
from budgetlens.chunk.models import Table
from budgetlens.extract.facts import row_keys
from budgetlens.testing.scripted_server import Reply

Cells = dict[tuple[str, str], tuple[int, int, str]]  # (row key, column path) → (row, column, text)


def table_cells(table: Table) -> Cells:
    keys = row_keys(table)
    out: Cells = {}
    for i, row in enumerate(table.rows):
        for column in table.values():
            cell, key = row.cells.get(column.index), keys.get((i, column.group))
            if cell is not None and key is not None:
                out[(key, ".".join(column.path))] = (i, column.index, cell.text)
    return out


def table_answer(table: Table, kind: str) -> dict[str, Any]:
    """The correct TableAnswer for a table read in its familiar layout (same grid as the variant)."""
    keys = row_keys(table)
    rows = []
    for i, row in enumerate(table.rows):
        for group in sorted({c.group for c in table.columns}):
            cols = [c for c in table.columns if c.group == group]
            values = {
                ".".join(c.path): {"cell": f"r{i}c{c.index}", "value": normalise(row.cells[c.index].text)}
                for c in cols
                if c.role == "value" and c.index in row.cells
            }
            if not values or (i, group) not in keys:
                continue
            code = next((row.text(c.index) for c in cols if c.role == "code" and row.text(c.index)), None)
            label = "".join(row.text(c.index) for c in cols if c.role == "label") or None
            rows.append({"code": code, "label": label, "block": group, "values": values})
    return {"kind": kind, "unit": table.unit, "rows": rows}


def reread(cells: Cells) -> Any:
    """A re-extraction reply that reads every asked cell where the familiar layout prints it."""

    def respond(body: dict[str, Any]) -> Reply:
        text = body["messages"][1]["content"]
        region = re.search(r"^region (t\d+):", text, re.M)
        prefix = region.group(1) if region else ""
        readings = []
        for aid, raw in re.findall(r"^(a\d+): (\{.*\})$", text, re.M):
            asked = json.loads(raw)
            i, j, printed = cells[(asked["row"], asked["column"])]
            cell = f"{prefix}r{i}c{j}"
            readings.append({"id": aid, "cell": cell, "value": normalise(printed), "source_text": printed})
        return Reply(answer={"readings": readings})

    return respond
