"""Numbers read by OCR, read again where the checks doubt them, and settled by the checks.

A number Tesseract read on a page without a text layer (extractor ``ocr``) that takes part in a
failing check, or whose reading is ambiguous (``ocr.doubtful``), is read a second time: the cell
alone, at twice the resolution, in Chinese and in English (load/ocr.BoxReader), beside the
readings its printed text allows ('1.234' → 1234). The checks decide among them: the reading with
which fewest checks on the cell fail is kept — ``corrected`` (the first reading in ``previous``)
when it is another one, ``confirmed`` when the second reading finds what the first did, ``flagged``
for a person otherwise. A value cell that did not read as a number at all ('0.0U', '5i.32') is
read again the same way, with what its letters may stand for, and becomes a fact when one reading
is a number.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from budgetlens.amend import amend, mark
from budgetlens.amounts import is_amount, normalise
from budgetlens.check.findings import CellRef, Place
from budgetlens.check.run import check
from budgetlens.chunk.models import Cell
from budgetlens.extract.facts import Fact, table_facts
from budgetlens.load import LoadedDocument
from budgetlens.load.models import Box
from budgetlens.load.ocr_text import clean_word, doubtful
from budgetlens.result import Result

EXTRACTOR = "ocr"
# what OCR takes a figure for, where the page's own reading kept it: tried as other readings
_LOOKS = str.maketrans({"U": "0", "D": "0", "Q": "0", "i": "1", "!": "1", "S": "5", "s": "5", "B": "8", "g": "9",
                        "Z": "2", "z": "2", "G": "6", "b": "6", "q": "9", "A": "4", "T": "7", "|": "1"})

Read = Callable[[int, Box], list[str]]


def by_ocr(facts: list[Fact], pages: list[int]) -> list[Fact]:
    """Facts printed on pages read by OCR say so (extractor ``ocr``)."""
    on = set(pages)
    return [f.model_copy(update={"extractor": EXTRACTOR}) if f.page in on else f for f in facts]


def reread_ocr(result: Result, loaded: LoadedDocument, password: str | None = None) -> Result:
    pages = set(loaded.ocr_pages)
    if not pages:
        return result
    facts, unread = _doubtful(result, pages)
    if not facts and not unread:
        return result
    from budgetlens.load.ocr import BoxReader

    notes = {p.number: p.ocr for p in loaded.pages if p.ocr is not None}
    with BoxReader(Path(loaded.path), password, notes) as reader:
        for fact in facts:
            result = _settle(result, fact, reader.read(fact.page, fact.box))
        for page, box, text in unread:
            result = _unread_cell(result, page, box, text, reader.read(page, box))
    result = result.with_findings(check(result)).with_flags()
    count = result.summary.reextracted_cells + len(facts) + len(unread)
    return result.model_copy(update={"summary": result.summary.model_copy(update={"reextracted_cells": count})})


def _doubtful(result: Result, pages: set[int]) -> tuple[list[Fact], list[tuple[int, Box, str]]]:
    """OCR facts in failing checks or read ambiguously; value cells on OCR pages that read as no number."""
    index = {f.key: f for f in result.facts}
    facts: dict[Place, Fact] = {}
    unread: dict[tuple[int, Box], str] = {}
    for finding in (f for f in result.findings if f.severity != "info"):
        for ref in (c for c in finding.cells if isinstance(c, CellRef) and c.page in pages):
            fact = index.get(ref.key)
            if finding.check == "extraction.number" and ref.box is not None:
                unread[(ref.page, tuple(ref.box))] = ref.value  # type: ignore[index]
            elif fact is not None and fact.extractor == EXTRACTOR and fact.status is None:
                facts[fact.key] = fact
    return list(facts.values()), [(p, b, t) for (p, b), t in unread.items()]


def _settle(result: Result, fact: Fact, again: list[str]) -> Result:
    readings = [normalise(t) for t in (clean_word(a) for a in again) if is_amount(t)]
    options = _unique([fact.text, *_readings_of(fact.text), *readings])
    scored = [(_failing(result, fact, text), i, text) for i, text in enumerate(options)]
    failing, _, best = min(scored)
    if best != fact.text and failing < scored[0][0]:
        cell = Cell(text=best, page=fact.page, box=fact.box)
        return amend(result, fact, cell, extractor=EXTRACTOR, status="corrected")
    agreed = any(Decimal(r) == Decimal(fact.value) for r in readings)
    return mark(result, [fact], status="confirmed" if agreed else "flagged")


def _readings_of(text: str) -> list[str]:
    """Other numbers the printed text may be: '1.234' → '1234'."""
    return [text.replace(".", "")] if doubtful(text) else []


def _failing(result: Result, fact: Fact, text: str) -> int:
    """Failing checks (errors and warnings, OCR's own doubts aside) on the cell, were it `text`."""
    trial = result if text == fact.text else amend(result, fact, Cell(text=text, page=fact.page, box=fact.box))
    return sum(
        1
        for f in check(trial)
        if f.severity != "info"
        and not f.check.startswith("ocr.")
        and any(isinstance(c, CellRef) and c.key == fact.key for c in f.cells)
    )


def _unread_cell(result: Result, page: int, box: Box, text: str, again: list[str]) -> Result:
    """A value cell that read as no number, read again: the first reading that is a number (its
    letters read as the figures they resemble, or a second OCR reading) enters the table and facts."""
    options = [clean_word(t) for t in [text.translate(_LOOKS).replace(" ", ""), *again]]
    number = next((t for t in options if is_amount(t)), None)
    if number is None:
        return result
    for n, section in enumerate(result.sections):
        table = section.table
        if table is None:
            continue
        for i, row in enumerate(table.rows):
            for j, cell in row.cells.items():
                if cell.page == page and tuple(cell.box) == tuple(box):
                    rows = list(table.rows)
                    rows[i] = row.model_copy(update={"cells": row.cells | {j: cell.model_copy(update={"text": number})}})
                    return _with_table(result, n, table.model_copy(update={"rows": rows}), cell.text)
    return result


def _with_table(result: Result, n: int, table: object, old_text: str) -> Result:
    from budgetlens.chunk.models import Table

    assert isinstance(table, Table)
    known = {(f.page, tuple(f.box)) for f in result.facts}
    new = [
        f.model_copy(update={"extractor": EXTRACTOR, "status": "corrected", "previous": old_text})
        for f in table_facts(table)
        if (f.page, tuple(f.box)) not in known
    ]
    sections = list(result.sections)
    sections[n] = sections[n].model_copy(update={"table": table})
    return result.model_copy(update={"sections": sections, "facts": [*result.facts, *new]})


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
