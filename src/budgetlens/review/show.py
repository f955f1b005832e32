"""An item as text for the terminal: the finding in one sentence, its cells with their values,
pages and printed text, and the cells around each doubtful one in its table."""

from __future__ import annotations

import unicodedata

from budgetlens.check.findings import CellRef, TextRef
from budgetlens.chunk.models import Column, Table
from budgetlens.extract.facts import Fact, placed_facts
from budgetlens.result import Result
from budgetlens.review.items import Item

AROUND = 2  # rows shown above and below a cell
LABEL_WIDTH = 24
SHOWN_CELLS = 2  # tables drawn around at most this many cells of an item


def describe(item: Item, result: Result) -> list[str]:
    lines = [item.finding.message if item.finding else "This cell is still doubtful after re-extraction."]
    if item.finding is not None and (item.finding.expected or item.finding.actual):
        f = item.finding
        lines.append(
            f"expected {f.expected or '?'} · printed {f.actual or '?'} · tolerance {f.tolerance or '-'}"
        )
    lines += ["", *cell_lines(item)]
    for fact in _worth_drawing(item):
        lines += ["", *around(result, fact)]
    return lines


def cell_lines(item: Item) -> list[str]:
    lines = []
    facts = {f.key: f for f in item.facts}
    numbered = {f.key: n for n, f in enumerate(item.facts, 1)}
    refs = item.finding.cells if item.finding else [CellRef.of(f) for f in item.facts]
    for ref in refs:
        if isinstance(ref, TextRef):
            lines.append(f"  -  {ref.section} (p.{ref.page}): “{_clip(ref.text, 70)}”")
            continue
        fact = facts.get(ref.key)
        n = f"{numbered[ref.key]:>2}" if fact else " -"
        where = f"{ref.table} · {ref.row} · {ref.column}"
        how = provenance(fact) if fact else "text"
        printed = f"printed “{fact.text}”" if fact else ""
        lines.append(f"  {n} {ref.value:>12}  p.{ref.page:<3} {where}  [{how}] {printed}")
    return lines


def around(result: Result, fact: Fact) -> list[str]:
    """The rows around the cell, its column and the value columns beside it; the cell in [ ]."""
    found = locate(result, fact)
    if found is None:
        return []
    table, i, column = found
    group = [c for c in table.columns if c.group == column.group]
    labels = [c for c in group if c.role in ("code", "label")]
    values = [c for c in group if c.role == "value"]
    k = values.index(column)
    shown = values[max(k - 1, 0) : k + 2]
    head = [_fit("", 3), _fit("", LABEL_WIDTH), *(_fit(".".join(c.path)[-14:], 16) for c in shown)]
    lines = [
        f"  around {fact.row} / {fact.column} — {table.name}, page {fact.page}:",
        ("  " + "".join(head)).rstrip(),
    ]
    for r in range(max(i - AROUND, 0), min(i + AROUND + 1, len(table.rows))):
        row = table.rows[r]
        label = " ".join(row.text(c.index) for c in labels if row.text(c.index))
        if not label and not any(row.text(c.index) for c in shown):
            continue
        cells = []
        for c in shown:
            text = row.text(c.index)
            cells.append(_fit(f"[{text}]" if r == i and c is column else text, 16))
        lines.append(
            "  "
            + "".join(
                [_fit(">" if r == i else "", 3), _fit(_clip(label, LABEL_WIDTH - 2), LABEL_WIDTH), *cells]
            )
        )
    return lines


def locate(result: Result, fact: Fact) -> tuple[Table, int, Column] | None:
    """The table, row index and column a fact was read from."""
    for section in result.sections:
        if section.table is None or section.table.name != fact.table:
            continue
        for i, column, placed in placed_facts(section.table):
            if placed.key == fact.key:
                return section.table, i, column
    return None


def _worth_drawing(item: Item) -> list[Fact]:
    doubtful = [f for f in item.facts if f.status in ("flagged", "corrected") or f.review]
    return (doubtful or list(item.facts))[:SHOWN_CELLS]


def provenance(fact: Fact) -> str:
    """How the value came to be: extractor, re-extraction status (and the value before), review."""
    parts = [fact.extractor]
    if fact.status:
        parts.append(fact.status + (f" from {fact.previous}" if fact.previous else ""))
    if fact.review:
        parts.append(f"reviewed: {fact.review}")
    return ", ".join(parts)


def width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 1)


def _clip(text: str, columns: int) -> str:
    if width(text) <= columns:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > columns - 1:
            return out + "…"
        out += ch
    return out
