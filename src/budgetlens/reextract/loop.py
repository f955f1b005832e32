"""The re-extraction loop: ask, apply, re-check, for at most `rounds` rounds.

Each asked cell ends as ``confirmed`` (the second reading agrees: the document disagrees with
itself), ``corrected`` (the reading changed: old value kept in ``previous``) or ``flagged`` (no valid
answer, or still failing when the rounds or the call budget run out).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from budgetlens.amend import amend, mark
from budgetlens.check.findings import Place
from budgetlens.check.run import check
from budgetlens.chunk.models import Cell
from budgetlens.extract.answers import ReextractAnswer
from budgetlens.extract.facts import Fact
from budgetlens.extract.model_fill import grid_cells
from budgetlens.llm.client import Model, Reply
from budgetlens.reextract.targets import Target, target_ask, targets
from budgetlens.result import Result


def reextract(result: Result, model: Model, on_reply: Callable[[Reply], None] | None = None) -> Result:
    asked: set[Place] = set()
    for _ in range(model.endpoint.rounds):
        todo = targets(result)
        if not todo:
            break
        replies = model.ask_all([target_ask(result, t) for t in todo], on_reply)
        for target, reply in zip(todo, replies, strict=True):
            asked.update(f.key for f in target.facts)
            result = _apply(result, target, reply, model.endpoint.extractor)
        result = result.with_findings(check(result))
    result = _flag_doubtful(result)
    result = result.with_findings(check(result))
    result = result.with_flags()
    return result.model_copy(
        update={"summary": result.summary.model_copy(update={"reextracted_cells": len(asked)})}
    )


def _apply(result: Result, target: Target, reply: Reply, extractor: str) -> Result:
    if not isinstance(reply.answer, ReextractAnswer):
        return mark(result, target.facts, status="flagged")
    readings = {r.id: r for r in reply.answer.readings}
    grids = {s: result.sections[s].grid for s in {p.section for p in target.places}}
    cells = {s: grid_cells(g) for s, g in grids.items() if g is not None}
    for k, (fact, place) in enumerate(zip(target.facts, target.places, strict=True)):
        reading = readings[f"a{k + 1}"]
        region = f"t{place.section}"
        cell = cells[place.section].get(reading.cell.removeprefix(region)) if reading.cell else None
        if Decimal(reading.value) == Decimal(fact.value) and (cell is None or _same(cell, fact)):
            result = mark(result, [fact], status="confirmed")
        else:
            new = cell or Cell(text=reading.value, page=fact.page, box=fact.box)
            result = amend(result, fact, new, extractor=extractor, status="corrected")
    return result


def _same(cell: Cell, fact: Fact) -> bool:
    return cell.page == fact.page and tuple(cell.box) == tuple(fact.box)


def _flag_doubtful(result: Result) -> Result:
    """Cells of checks that still fail, read by the model and not confirmed, stay doubtful."""
    left = [f for t in targets(result) for f in t.facts]
    return mark(result, left, status="flagged")
