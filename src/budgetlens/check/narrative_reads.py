"""What the narrative checks read: every figure printed in words, with where it is printed.

The text of every section is read by the deterministic reader (extract/narrative.py): the 情况说明,
but also text the outline did not call narrative (a 编制说明 under a contents heading, notes beside a
table, a 绩效 report's paragraphs). So are the cells of tables that hold words with figures in them
rather than a number (a 绩效目标 written out, an indicator's target "≥95%", "≤333.14万元"), read with
the label of their row before them. The model's figures (extract/model_fill.py) stand in for the
sentences the reader could not place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from budgetlens.amounts import is_amount
from budgetlens.check.findings import TextRef
from budgetlens.chunk.models import Cell, Table
from budgetlens.extract.narrative import NarrativeFact, join_paragraphs, read_facts
from budgetlens.load.models import Box
from budgetlens.result import Result, SectionResult

# a figure printed in words: an amount with its unit or a percentage
_FIGURE = re.compile(r"\d\s*(?:亿元|万元|千元|元|%|％)")
# a cell that opens with its figure ("≥95%", "＝100%", "12个"): the row's label says what it is of
_OPENS_WITH_FIGURE = re.compile(
    r"^(?:[≥≤≧≦＞＜><=＝约均]|大于|小于|高于|低于|不低于|不少于|不高于|不超过|达到|未达)*\s*-?\d"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Read:
    """A narrative fact and where it was printed."""

    fact: NarrativeFact
    section: str
    key: int  # the section's index: list ids are numbered per section
    page: int
    box: Box | None
    cell: bool = False  # read from a table cell, not from the section's paragraphs

    def ref(self, value: str = "") -> TextRef:
        return TextRef(
            section=self.section, text=self.fact.sentence, value=value, page=self.page, box=self.box
        )

    @property
    def where(self) -> str:
        return f"{self.section} (p.{self.page})"


def read_narrative(result: Result) -> list[Read]:
    """Every fact printed in words in any section, with the page and box of the paragraph it starts
    in (or of its cell)."""
    out: list[Read] = []
    for n, section in enumerate(result.sections):
        if section.paragraphs:
            text, starts = join_paragraphs([p.text for p in section.paragraphs])
            for fact in _with_model_figures(read_facts(text), _figures(section.data)):
                p = section.paragraphs[max(bisect_right(starts, fact.span[0]) - 1, 0)]
                out.append(Read(fact, section.name, n, p.page, p.box))
        if section.table is not None:
            out += _cells(n, section)
    return out


def _cells(n: int, section: SectionResult) -> list[Read]:
    """The facts of a table's cells that hold words with figures; list ids kept apart per cell."""
    assert section.table is not None
    out: list[Read] = []
    lists = 1000  # above any list id of the section's paragraphs
    for text, cell in text_cells(section.table):
        facts = read_facts(text)
        ids = {i for f in facts for i in (f.list_id, f.item_of) if i is not None}
        for fact in facts:
            moved = {
                "list_id": fact.list_id + lists if fact.list_id is not None else None,
                "item_of": fact.item_of + lists if fact.item_of is not None else None,
            }
            out.append(Read(fact.model_copy(update=moved), section.name, n, cell.page, cell.box, cell=True))
        lists += max(ids, default=0)
    return out


def text_cells(table: Table) -> Iterator[tuple[str, Cell]]:
    """(the text to read, the cell) for every cell printing a figure among words: what is not one
    number. A cell that opens with its figure is read after the label before it in its row."""
    values = {c.index for c in table.columns if c.role == "value"}
    for row in table.rows:
        if row.repeat:
            continue
        label = ""
        for index, cell in sorted(row.cells.items()):
            text = cell.text
            if index in values and is_amount(text):
                continue
            if _FIGURE.search(text):
                yield (label + text if label and _OPENS_WITH_FIGURE.match(text) else text), cell
            if _CJK.search(text) and not _FIGURE.search(text):
                label = text


def _figures(data: dict[str, Any] | None) -> list[NarrativeFact]:
    """The figures the model read for a section (extract/model_fill.py), if it was asked."""
    return [NarrativeFact.model_validate(f) for f in (data or {}).get("figures") or []]


def _with_model_figures(read: list[NarrativeFact], figures: list[NarrativeFact]) -> list[NarrativeFact]:
    """The reader's facts, with the model's figures in place of the sentences it could not place."""
    covered = {f.sentence for f in figures}
    kept = [f for f in read if not (f.kind == "unparsed" and f.sentence in covered)]
    return sorted([*kept, *figures], key=lambda f: f.span)
