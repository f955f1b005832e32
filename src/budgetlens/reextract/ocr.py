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

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from budgetlens.amend import amend, mark
from budgetlens.amounts import is_amount, is_code, normalise
from budgetlens.check.findings import CellRef, Place
from budgetlens.check.run import check
from budgetlens.chunk.models import Cell, Table
from budgetlens.extract.facts import Fact, table_facts
from budgetlens.extract.figures import NarrativeFigure
from budgetlens.load import LoadedDocument
from budgetlens.load.models import Box
from budgetlens.load.ocr_text import clean_word, doubtful
from budgetlens.result import Result

EXTRACTOR = "ocr"
# what OCR takes a figure for, where the page's own reading kept it: tried as other readings
_LOOKS = str.maketrans(
    {
        "U": "0",
        "D": "0",
        "Q": "0",
        "i": "1",
        "!": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "g": "9",
        "Z": "2",
        "z": "2",
        "G": "6",
        "b": "6",
        "q": "9",
        "A": "4",
        "T": "7",
        "|": "1",
    }
)

Read = Callable[[int, Box], list[str]]
MOSTLY = 0.8  # share of a column's cells that are numbers (or codes) for it to be a column of them
_WORD = re.compile(r"[\u4e00-\u9fff（）()]{2,}")  # a label printed across the code column: 合计
_PLACEHOLDERS = {"-", "—", "－", "/", "…", "……", "*"}


_Read = TypeVar("_Read", Fact, NarrativeFigure)


def by_ocr(items: list[_Read], pages: list[int]) -> list[_Read]:
    """Facts and narrative figures printed on pages read by OCR say so (extractor ``ocr``); what a
    model placed keeps its name."""
    on = set(pages)
    return [
        f.model_copy(update={"extractor": EXTRACTOR})
        if f.page in on and not f.extractor.startswith("model:")
        else f
        for f in items
    ]


def reread_ocr(result: Result, loaded: LoadedDocument, password: str | None = None) -> Result:
    pages = set(loaded.ocr_pages)
    if not pages:
        return result
    facts = _doubtful(result, pages)
    misfits = _misfits(result, pages)
    if not facts and not misfits:
        return result
    from budgetlens.load.ocr import BoxReader

    notes = {p.number: p.ocr for p in loaded.pages if p.ocr is not None}
    with BoxReader(Path(loaded.path), password, notes) as reader:
        result = _refit(result, misfits, reader.read)
        for fact in _doubtful(result, pages):
            result = _settle(result, fact, reader.read(fact.page, fact.box))
    result = result.with_findings(check(result)).with_flags()
    count = result.summary.reextracted_cells + len(facts) + len(misfits)
    return result.model_copy(
        update={"summary": result.summary.model_copy(update={"reextracted_cells": count})}
    )


def _doubtful(result: Result, pages: set[int]) -> list[Fact]:
    """OCR facts in failing checks (errors, warnings), or read ambiguously."""
    index = {f.key: f for f in result.facts}
    facts: dict[Place, Fact] = {}
    for finding in (f for f in result.findings if f.severity != "info"):
        for ref in (c for c in finding.cells if isinstance(c, CellRef) and c.page in pages):
            fact = index.get(ref.key)
            if fact is not None and fact.extractor == EXTRACTOR and fact.status is None:
                facts[fact.key] = fact
    return list(facts.values())


def _misfits(result: Result, pages: set[int]) -> list[tuple[int, int, int]]:
    """(section, row, column) of cells on OCR pages that do not fit their column: in a column of
    numbers (nearly every cell one), a cell that is none ('0.0U', '多7', '站'); in a column of
    codes, a cell that is no code and no word ('Ti', '2O1')."""
    out = []
    for n, section in enumerate(result.sections):
        table = section.table
        if table is None or table.form:
            continue
        for column in table.columns:
            fits = is_amount if column.role == "value" else is_code if column.role == "code" else None
            if fits is None:
                continue
            cells = [(i, r.cells[column.index]) for i, r in enumerate(table.rows) if column.index in r.cells]
            texts = ["".join(c.text.split()) for _, c in cells]
            filled = [t for t in texts if t and t not in _PLACEHOLDERS]
            if not filled or sum(map(fits, filled)) < MOSTLY * len(filled):
                continue  # a column of words or targets ('≥95%', '计划标准'): nothing to mend
            for (i, cell), text in zip(cells, texts, strict=True):
                odd = text and not fits(text) and text not in _PLACEHOLDERS and not _WORD.fullmatch(text)
                if cell.page in pages and odd:
                    out.append((n, i, column.index))
    return out


def _refit(result: Result, misfits: list[tuple[int, int, int]], read: Read) -> Result:
    """Each cell that did not fit its column, read again: the first reading that fits (its
    letters as the figures they resemble, or a second OCR reading) replaces it, and the table's
    facts are made again (those new or changed: status ``corrected``, the old text in ``previous``)."""
    sections = list(result.sections)
    changed: set[int] = set()
    for n, i, j in misfits:
        table = sections[n].table
        assert table is not None
        cell = table.rows[i].cells[j]
        role = next(c.role for c in table.columns if c.index == j)
        options = [
            clean_word(t) for t in [cell.text.translate(_LOOKS).replace(" ", ""), *read(cell.page, cell.box)]
        ]
        fit = next((t for t in options if t and (is_amount(t) if role == "value" else is_code(t))), None)
        if fit is None:
            continue
        rows = list(table.rows)
        rows[i] = rows[i].model_copy(
            update={"cells": rows[i].cells | {j: cell.model_copy(update={"text": fit})}}
        )
        sections[n] = sections[n].model_copy(update={"table": table.model_copy(update={"rows": rows})})
        changed.add(n)
    if not changed:
        return result
    facts = [f for f in result.facts if not any(sections[n].table.name == f.table for n in changed)]  # type: ignore[union-attr]
    for n in sorted(changed):
        facts += _remade(sections[n].table, result.facts)  # type: ignore[arg-type]
    return result.model_copy(update={"sections": sections, "facts": facts})


def _remade(table: Table, old: list[Fact]) -> list[Fact]:
    """The table's facts made again; a fact as before keeps what it had (status, review)."""
    before = {(f.page, tuple(f.box)): f for f in old if f.table == table.name}
    out = []
    for fact in table_facts(table):
        fact = fact.model_copy(update={"extractor": EXTRACTOR})
        was = before.get((fact.page, tuple(fact.box)))
        if was is not None and was.key == fact.key and was.value == fact.value:
            out.append(was)
        else:
            out.append(fact.model_copy(update={"status": "corrected", "previous": was.text if was else None}))
    return out


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
    """Other numbers the printed text may be: '1.234' → '1234' (a thousands comma read as a dot);
    '2070' → '20.70' (a decimal point lost)."""
    out = [text.replace(".", "")] if doubtful(text) else []
    if text.isdigit() and len(text) >= 3:
        out.append(f"{text[:-2]}.{text[-2:]}")
    return out


def _failing(result: Result, fact: Fact, text: str) -> int:
    """Failing checks (errors and warnings, OCR's own doubts aside) on the cell, were it `text`."""
    trial = (
        result if text == fact.text else amend(result, fact, Cell(text=text, page=fact.page, box=fact.box))
    )
    return sum(
        1
        for f in check(trial)
        if f.severity != "info"
        and not f.check.startswith("ocr.")
        and any(isinstance(c, CellRef) and c.key == fact.key for c in f.cells)
    )


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
