"""What a person is asked about, worst first: failing checks (errors, then warnings) and cells
still flagged after re-extraction. An item is open until a person gives it a verdict. What was not
read at all (check/unread.py) is no item: there is nothing to decide, only something to re-run."""

from __future__ import annotations

from dataclasses import dataclass

from budgetlens.check.findings import SEVERITIES, CellRef, Finding, Place
from budgetlens.check.unread import is_unread
from budgetlens.extract.facts import Fact
from budgetlens.result import Result

_SOURCE_RANK = {"extraction": 0, "unknown": 1, "document": 2}


@dataclass(frozen=True)
class Item:
    id: str
    finding: Finding | None  # None: a flagged cell that no failing check involves
    facts: tuple[Fact, ...]  # the numeric cells involved, in the finding's order

    @property
    def flagged(self) -> bool:
        return any(f.status == "flagged" for f in self.facts)

    @property
    def decided(self) -> bool:
        if self.finding is not None:
            return self.finding.review is not None
        return all(f.review is not None for f in self.facts)

    @property
    def page(self) -> int:
        pages = [c.page for c in self.finding.cells] if self.finding else [f.page for f in self.facts]
        return min(pages, default=0)

    def rank(self) -> tuple[int, int, int, int]:
        severity = SEVERITIES.index(self.finding.severity) if self.finding else 0
        source = _SOURCE_RANK[self.finding.source] if self.finding else 0
        return (not self.flagged, severity, source, self.page)


def items(result: Result) -> list[Item]:
    """Every item, decided or not, worst first."""
    index = {f.key: f for f in result.facts}
    out: list[Item] = []
    covered: set[Place] = set()
    for finding in result.findings:
        if finding.severity == "info" or is_unread(finding):
            continue
        refs = [c.key for c in finding.cells if isinstance(c, CellRef) and c.key in index]
        covered.update(refs)
        out.append(Item(finding.id, finding, tuple(index[k] for k in refs)))
    for fact in result.facts:
        if (fact.status == "flagged" or fact.review) and fact.key not in covered:
            out.append(Item(cell_item(fact), None, (fact,)))
    return sorted(out, key=Item.rank)


def open_items(result: Result) -> list[Item]:
    return [i for i in items(result) if not i.decided]


def cell_item(fact: Fact) -> str:
    entity, table, row, column, page = fact.key
    return f"cell:{entity}|{table}|{row}|{column}|p{page}"
