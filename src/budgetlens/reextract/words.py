"""Re-extraction without a model: cells of failing checks read a second time, from the characters
printed inside their ruled rectangles in the PDF (`load/clip.py`), not from the words the grid was
built from.

Each re-read fact ends ``confirmed`` (the second reading agrees: the number is what the page
prints, so a failing check is the document's own slip), ``corrected`` (the characters in the cell
make another number: the first reading misassembled it; the old value is kept in ``previous``) or
``flagged`` (no number there: a person must look). A value cell that did not read as a number at
all (check `extraction.number`, e.g. two numbers printed without a gap across a rule, which the
word list joins into one word) is re-read too, with the empty value cells beside it in its row,
and each becomes a fact when it now reads as a number. One round: a deterministic reading read
again gives the same answer. Pages without a text layer are not re-read (no OCR yet).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budgetlens.amend import amend, mark
from budgetlens.amounts import is_amount, normalise
from budgetlens.check.findings import CellRef, Place
from budgetlens.check.run import check
from budgetlens.chunk.models import Cell, Table
from budgetlens.extract.facts import Fact, table_facts
from budgetlens.load import LoadedDocument
from budgetlens.load.clip import Characters, enclosing
from budgetlens.load.models import Box, Page
from budgetlens.result import Result

EXTRACTOR = "words"


class _Reader:
    """The second reading of one cell: the characters inside the ruled rectangle around `box`."""

    def __init__(self, pages: list[Page], characters: Characters) -> None:
        self.pages, self.characters = pages, characters

    def __call__(self, page: int, box: Box) -> str:
        text = self.characters.inside(page, enclosing(self.pages[page - 1], box))
        return "".join(text.split())


def reread_words(result: Result, loaded: LoadedDocument, password: str | None = None) -> Result:
    facts, unread = _doubtful(result)
    if not facts and not unread:
        return result
    with Characters(Path(loaded.path), password) as characters:
        read = _Reader(loaded.pages, characters)
        for fact in facts:
            result = _settle(result, fact, read(fact.page, fact.box))
        for page, box in unread:
            result = _unread_cell(result, page, box, read)
    result = result.with_findings(check(result)).with_flags()
    count = len(facts) + len(unread)
    return result.model_copy(
        update={"summary": result.summary.model_copy(update={"reextracted_cells": count})}
    )


def _doubtful(result: Result) -> tuple[list[Fact], list[tuple[int, Box]]]:
    """Grid-read facts in failing checks (error / warning), and value cells that did not read as
    numbers."""
    index = {f.key: f for f in result.facts}
    facts: dict[Place, Fact] = {}
    unread: list[tuple[int, Box]] = []
    for finding in result.findings:
        if finding.severity == "info":
            continue
        for ref in (c for c in finding.cells if isinstance(c, CellRef)):
            fact = index.get(ref.key)
            if finding.check == "extraction.number" and ref.box is not None:
                unread.append((ref.page, ref.box))
            elif fact is not None and fact.extractor == "grid" and fact.status is None:
                facts[fact.key] = fact
    return list(facts.values()), unread


def _settle(result: Result, fact: Fact, printed: str) -> Result:
    if not is_amount(printed):
        return mark(result, [fact], status="flagged")
    if Decimal(normalise(printed)) == Decimal(fact.value):
        return mark(result, [fact], status="confirmed")
    cell = Cell(text=printed, page=fact.page, box=fact.box)
    return amend(result, fact, cell, extractor=EXTRACTOR, status="corrected")


def _unread_cell(result: Result, page: int, box: Box, read: _Reader) -> Result:
    """The cell at `box` and the empty value cells of its row re-read; those that now read as
    numbers enter the table and the facts."""
    for n, table in ((n, s.table) for n, s in enumerate(result.sections) if s.table is not None):
        for i, row in enumerate(table.rows):
            j = next((j for j, c in row.cells.items() if c.page == page and tuple(c.box) == tuple(box)), None)
            if j is not None:
                fixed = _row_read_again(table, i, j, read)
                return _with_table(result, n, fixed, row.cells[j].text) if fixed is not table else result
    return result


def _row_read_again(table: Table, i: int, j: int, read: _Reader) -> Table:
    row = table.rows[i]
    own = row.cells[j]
    cells = dict(row.cells)
    printed = read(own.page, own.box)
    if is_amount(printed):
        cells[j] = own.model_copy(update={"text": printed})
    for column in (c for c in table.values() if c.index not in row.cells):
        x = next((r.cells[column.index].box for r in table.rows if column.index in r.cells), None)
        if x is not None:  # the column's extent from another row, the row's from the doubtful cell
            text = read(own.page, (x[0], own.box[1], x[2], own.box[3]))
            if is_amount(text):
                cells[column.index] = Cell(text=text, page=own.page, box=(x[0], own.box[1], x[2], own.box[3]))
    if cells == row.cells:
        return table
    rows = list(table.rows)
    rows[i] = row.model_copy(update={"cells": cells})
    return table.model_copy(update={"rows": rows})


def _with_table(result: Result, n: int, table: Table, old_text: str) -> Result:
    """The result with section n's table replaced and its new facts added (as re-read)."""
    known = {(f.page, tuple(f.box)) for f in result.facts}
    new = [
        f.model_copy(update={"extractor": EXTRACTOR, "status": "corrected", "previous": _number(old_text)})
        for f in table_facts(table)
        if (f.page, tuple(f.box)) not in known
    ]
    sections = list(result.sections)
    sections[n] = sections[n].model_copy(update={"table": table})
    return result.model_copy(update={"sections": sections, "facts": [*result.facts, *new]})


def _number(text: str) -> str | None:
    """What a fact held before, when it held a number: a cell that was not read held none."""
    return normalise(text) if is_amount(text) else None
