"""A year's narrative against the tables of the year it compares with: "与2019年度相比，收、支总计各减少
212.28万元" says the 2019 收、支总计 was 504.77 + 212.28 = 717.05; the 2019 document must print that.

The year compared with is the one the sentence names ("2019年度", "2024年预算") or the year before
("上年", "上一年", "去年"); the document compared with is of the kind it names (预算 / 年初预算 →
the 预算, 决算 → the 决算), else of the same kind. Where the subject names several cells of that
document with different values, or none, nothing is said: a figure is checked only against the one
figure it must be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from budgetlens.check.across import AcrossCell, AcrossFinding, AcrossText, Doc, graded
from budgetlens.check.interval import sum_agrees
from budgetlens.check.narrative_checks import Read, read_narrative
from budgetlens.check.narrative_links import Cell, Index, build_index
from budgetlens.check.view import table_views
from budgetlens.result import Result

_COMPARED = re.compile(
    r"(?:比|较|与|同)\s*(?:(?P<last>上年|上一年|去年)|(?P<year>(?:19|20)\d\d)\s*年)\s*度?\s*(?P<what>年初预算|预算|决算)?"
)


def compared_with(sentence: str, year: int, kind: str) -> tuple[int, str] | None:
    """(year, kind) of the document every comparison in the sentence names; None when it names
    none, a year not before this one, or more than one."""
    found = set()
    for m in _COMPARED.finditer(sentence):
        when = year - 1 if m.group("last") else int(m.group("year"))
        what = m.group("what")
        found.add((when, "budget" if what and "预算" in what else "final" if what else kind))
    if len(found) != 1:
        return None
    (when, what) = found.pop()
    return (when, what) if when < year else None


def changes(result: Result) -> list[Read]:
    """The narrative's changes with the figure before them derivable (amount and change printed)."""
    return [r for r in read_narrative(result) if r.fact.kind == "change" and r.fact.amount and r.fact.change]


def index_of(result: Result) -> Index:
    return build_index(table_views(result), final=result.document.doc_kind == "final")


def prior_figures(doc: Doc, reads: list[Read], other: Doc, index: Index) -> Iterator[AcrossFinding]:
    """`doc`'s changes compared with `other` (of the year and kind they name) against its cells."""
    assert doc.year is not None
    for r in reads:
        target = compared_with(r.fact.sentence, doc.year, doc.kind)
        if target != (other.year, other.kind):
            continue
        cells = index.candidates(r.fact.subject, budget=False)
        if len({c.wan() for c in cells}) != 1:
            continue
        yield from _judge(doc, r, other, cells[0])


def _judge(doc: Doc, r: Read, other: Doc, cell: Cell) -> Iterator[AcrossFinding]:
    f = r.fact
    assert f.amount is not None and f.change is not None
    back = str(-Decimal(f.change))
    printed = cell.wan()
    verdict = sum_agrees(printed, [f.amount, back])
    if verdict.ok:
        return
    prior = f.prior or str(Decimal(f.amount) - Decimal(f.change))
    ref = cell.ref()
    yield AcrossFinding(
        doc=doc.doc,
        against=other.doc,
        check="across.prior_year",
        severity=graded(verdict.severity),
        message=f"{f.subject}: {doc} says it was {prior} 万元 in {other.year} ({f.amount} − ({f.change})); "
        f"{other} prints {printed} 万元 ({ref.table} / {ref.row} / {ref.column}); {verdict.reason}",
        cells=[
            AcrossText(doc=doc.doc, section=r.section, text=f.sentence, value=f.change, page=r.page),
            AcrossCell(doc=other.doc, **ref.model_dump(exclude={"box"})),
        ],
        expected=prior,
        actual=printed,
        tolerance=verdict.tolerance,
    )
