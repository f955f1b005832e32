"""Scripted answers for the bundled example, computed from the document's own familiar layout.

The "model" here is the deterministic reading of the same table under its catalog title: it knows
which printed cell holds which value. Scripts add the mistakes a real model makes (a bad code, a value
taken from the neighbouring block) so the validators, re-asks and re-extraction have work to do.
Nothing here measures a model's accuracy.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from budgetlens.amounts import normalise
from budgetlens.chunk.models import Table
from budgetlens.extract.facts import row_keys
from budgetlens.pipeline import read_document
from budgetlens.testing.render import SEEDS, load_spec, render
from budgetlens.testing.scripted_server import Reply, Respond, Rule
from budgetlens.testing.variants import BASIC_TITLE

BASIC = "一般公共预算财政拨款基本支出决算表"

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


def reread(cells: Cells, fixes: str | None = None) -> Respond:
    """A re-extraction reply that reads every asked cell where the familiar layout prints it; the
    cell of row `fixes` is instead given the value its check expected, a real model's way of "fixing"
    a total to agree with its parts (the validators refuse it: the cell prints something else)."""

    def respond(body: dict[str, Any]) -> Reply:
        text = body["messages"][1]["content"]
        region = re.search(r"^region (t\d+):", text, re.M)
        prefix = region.group(1) if region else ""
        expected = re.search(r"\(expected ([-\d.]+), printed", text)
        readings = []
        for aid, raw in re.findall(r"^(a\d+): (\{.*\})$", text, re.M):
            asked = json.loads(raw)
            i, j, printed = cells[(asked["row"], asked["column"])]
            value = normalise(printed)
            if asked["row"] == fixes and expected:
                value = printed = expected.group(1)
            readings.append({"id": aid, "cell": f"{prefix}r{i}c{j}", "value": value, "source_text": printed})
        return Reply(answer={"readings": readings})

    return respond


def example_rules(reextraction: Respond | None = None, fixes: str | None = "人员经费合计") -> list[Rule]:
    """The bundled example's script: a bad code then a slip on the unfamiliar table, malformed JSON
    then an answer for the narrative, the other tables 'other', and re-readings that are right except
    for the row `fixes`, whose failing total the "model" keeps making agree (so it stays flagged)."""
    with tempfile.TemporaryDirectory() as tmp:
        familiar, _ = render(load_spec(SEEDS / "jianghan-2020-final.json"), Path(tmp))
        sections = read_document(familiar).sections
        table = next(s.table for s in sections if s.table is not None and s.table.name == BASIC)
    right = table_answer(table, "final.basic")
    bad_code = {**right, "rows": [{**right["rows"][0], "code": "3O1"}, *right["rows"][1:]]}
    wrong = _wrong_neighbour(right, "30101")
    return [
        Rule("A check of the extracted data failed", reextraction or reread(table_cells(table), fixes)),
        Rule(BASIC_TITLE, [Reply(answer=bad_code), Reply(answer=wrong)]),
        Rule("rebuilt from the page", [Reply(answer={"kind": "other", "unit": None, "rows": []})]),
        Rule("numbered sentences", [Reply(raw='{"figures": [}'), Reply(answer={"figures": []})]),
    ]


def _wrong_neighbour(answer: dict[str, Any], code: str) -> dict[str, Any]:
    """30101's value taken from the next block's cell in the same printed row (a real slip)."""
    rows = [dict(r) for r in answer["rows"]]
    target = next(r for r in rows if r["code"] == code)
    ((path, pick),) = target["values"].items()
    row = pick["cell"].split("c")[0]
    other = next(
        v
        for r in rows
        if r["block"] != target["block"]
        for v in r["values"].values()
        if v["cell"].startswith(row + "c")
    )
    target["values"] = {path: other}
    return {**answer, "rows": rows}
