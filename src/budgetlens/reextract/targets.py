"""Which cells of which failing checks go back to the model, and the question asked about them.

Only values the model read are sent: a number read verbatim from the text layer is the document's
own, and a second reading of it could only agree. A cell already confirmed is not asked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetlens.check.findings import CellRef, Finding
from budgetlens.extract.answers import ReextractAnswer
from budgetlens.extract.facts import Fact
from budgetlens.extract.model_fill import cell_id, grid_document
from budgetlens.llm.client import Ask
from budgetlens.llm.prompts import quoted, render, system
from budgetlens.load.models import Box
from budgetlens.result import Result

NEIGHBOURS = 2  # grid rows shown above and below an asked cell


@dataclass(frozen=True)
class Place:
    section: int
    row: int
    column: int


@dataclass
class Target:
    finding: Finding
    facts: list[Fact]  # the doubtful cells, asked as a1, a2, …
    places: list[Place]


def places(result: Result) -> dict[tuple[int, Box], Place]:
    """Where every cell of a model-read table sits in the grid it was read from."""
    out: dict[tuple[int, Box], Place] = {}
    for n, section in enumerate(result.sections):
        if section.grid is not None:
            for i, row in enumerate(section.grid.rows):
                for j, cell in row.cells.items():
                    out[(cell.page, tuple(cell.box))] = Place(n, i, j)  # type: ignore[index]
    return out


def targets(result: Result) -> list[Target]:
    """Failing checks (error / warning) with model-read cells not yet confirmed, one per finding;
    a cell is asked about once per round even when several findings involve it."""
    index = {f.key: f for f in result.facts}
    where = places(result)
    asked: set[int] = set()
    out = []
    for finding in result.findings:
        if finding.severity == "info" or finding.status is not None:
            continue
        facts, found = [], []
        for ref in (c for c in finding.cells if isinstance(c, CellRef)):
            fact = index.get(ref.key)
            place = where.get((fact.page, tuple(fact.box))) if fact else None  # type: ignore[arg-type]
            if fact is None or place is None or not fact.extractor.startswith("model"):
                continue
            if fact.status in ("confirmed", "flagged") or id(fact) in asked:
                continue
            asked.add(id(fact))
            facts.append(fact)
            found.append(place)
        if facts:
            out.append(Target(finding, facts, found))
    return out


def target_ask(result: Result, target: Target) -> Ask:
    asked = {f"a{k + 1}": fact for k, fact in enumerate(target.facts)}
    lines = []
    for aid, fact in asked.items():
        what = {"table": fact.table, "row": fact.row, "column": fact.column, "value": fact.value}
        lines.append(f"{aid}: {quoted(what | {'page': fact.page})}")
    cells: dict[str, str] = {}
    for section in sorted({p.section for p in target.places}):
        grid = result.sections[section].grid
        assert grid is not None
        rows = {r for p in target.places if p.section == section for r in _around(p.row, len(grid.rows))}
        lines.append(f"region t{section}:\n{grid_document(grid, rows, prefix=f't{section}')}")
        for i in rows:
            cells.update({f"t{section}{cell_id(i, j)}": c.text for j, c in grid.rows[i].cells.items()})
    f = target.finding
    check = f"{f.message} (expected {f.expected or '?'}, printed {f.actual or '?'})"
    user = render("reextract", document="\n".join([f"check: {quoted(check)}", *lines]))
    context = {"asked": {aid: fact.value for aid, fact in asked.items()}, "cells": cells}
    return Ask(f"re-read {len(asked)} cell(s) of {f.check}", ReextractAnswer, system(), user, context)


def _around(row: int, count: int) -> range:
    return range(max(row - NEIGHBOURS, 0), min(row + NEIGHBOURS + 1, count))
