"""Decisions → the reviewed result, re-checked.

The latest decision wins: per cell for corrections, per item for verdicts (a later `skip` takes a
verdict back). Corrections go in first, then the checks re-run, then verdicts settle the items
still there; a verdict on an item a correction resolved no longer applies and is reported stale.
A decision about an item or cell the result never had is reported unknown (a review of another
extraction), never as resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetlens.amend import amend, mark
from budgetlens.amounts import typed_amount
from budgetlens.check.findings import Verdict
from budgetlens.check.run import check
from budgetlens.chunk.models import Cell
from budgetlens.errors import BadInput
from budgetlens.extract.facts import Fact
from budgetlens.result import Result
from budgetlens.review.decisions import Decision
from budgetlens.review.items import items

VERDICTS: dict[str, Verdict] = {"accept": "accepted", "document_error": "document_error"}


@dataclass
class Applied:
    result: Result
    stale: list[Decision] = field(default_factory=list)  # about items a correction resolved
    unknown: list[tuple[int, Decision]] = field(default_factory=list)  # (index, decision) never there


def apply(result: Result, decisions: list[Decision]) -> Applied:
    """BadInput names the decision (`decisions[n]`) whose value cannot be typed into its cell."""
    corrections = {d.cell.key: (n, d) for n, d in enumerate(decisions) if d.action == "correct" and d.cell}
    verdicts = {d.item: (n, d) for n, d in enumerate(decisions) if d.action != "correct"}
    known = {item.id for item in items(result)}
    stale: list[Decision] = []
    unknown: list[tuple[int, Decision]] = []
    for n, decision in corrections.values():
        fact = _fact(result, decision)
        if fact is None:
            unknown.append((n, decision))
            continue
        try:
            result = correct(result, fact, decision.value or "")
        except ValueError as exc:
            raise BadInput(f"decisions[{n}] ({decision.item}): {exc}") from exc
    result = result.with_findings(check(result))
    by_id = {item.id: item for item in items(result)}
    for n, decision in verdicts.values():
        item = by_id.get(decision.item)
        if decision.item not in by_id and decision.item not in known:
            unknown.append((n, decision))
            continue
        if decision.action == "skip":
            continue
        if item is None:
            stale.append(decision)
            continue
        result = _read_right(result, [f for f in item.facts if f.review is None])
        if item.finding is not None:
            result = result.model_copy(
                update={"verdicts": result.verdicts | {item.id: VERDICTS[decision.action]}}
            )
    unknown.sort(key=lambda entry: entry[0])
    return Applied(result.with_findings(check(result)).with_flags(), stale, unknown)


def correct(result: Result, fact: Fact, value: str) -> Result:
    """A person typed `value` for the cell: the fact and its table cell hold it, marked `reviewed`.
    Typing the value as read accepts the reading (so a correction can be taken back). The value is
    normalised (full-width digits, thousands separators, the cell's unit); ValueError says why not."""
    value = typed_amount(value, fact.unit)
    if value == fact.value:
        return _read_right(result, [fact])
    cell = Cell(text=value, page=fact.page, box=fact.box, indent=None)
    return amend(result, fact, cell, extractor="reviewed", status="corrected", review="corrected")


def _fact(result: Result, decision: Decision) -> Fact | None:
    assert decision.cell is not None
    return next((f for f in result.facts if f.key == decision.cell.key), None)


def _read_right(result: Result, facts: list[Fact]) -> Result:
    return mark(result, facts, status="confirmed", review="accepted")
