"""Checks across documents of one department (`budgetlens check --across out/`): what one document
says another must print. Read from the output folder's store and saved results, never from PDFs.

- a 决算's budget columns (三公 预算数, 年初预算 columns) against that year's 预算 document
  (`check/across_budget.py`);
- "上年" / "2023年" figures in a year's narrative against the tables of the year they name
  (`check/across_prior.py`);
- a subject code named differently by the department from one document to the next (here).

Documents are of one department when their departments read the same (NFKC, no whitespace). Each
finding names both documents: its own `doc` (the one whose figure is checked), `against` (the other),
and the document of every cell.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from budgetlens.check.findings import CellRef, Severity, Source, TextRef
from budgetlens.chunk.text import squeeze

KIND_ORDER = {"budget": 0, "final": 1, "performance": 2, "unknown": 3}
KIND_NAME = {"budget": "预算", "final": "决算", "performance": "绩效", "unknown": "?"}


class AcrossCell(CellRef):
    doc: str = Field(description="the document the cell is in")


class AcrossText(TextRef):
    doc: str = Field(description="the document the sentence is in")


class AcrossFinding(BaseModel):
    """A line of `budgetlens.across.jsonl`: a finding between two documents."""

    doc: str = Field(description="the document whose figure is checked")
    against: str = Field(description="the document it is checked against")
    check: str = Field(description="across.budget, across.prior_year or across.subject_name")
    severity: Severity
    kind: Literal["across"] = "across"
    message: str
    cells: list[AcrossCell | AcrossText] = Field(default_factory=list)
    expected: str = ""
    actual: str = ""
    tolerance: str = ""
    source: Source = "document"

    @property
    def id(self) -> str:
        """Its check, both documents and the places of its cells (not their values)."""
        places = sorted(json.dumps(_place(c), ensure_ascii=False) for c in self.cells)
        digest = hashlib.sha256(json.dumps([self.check, self.doc, self.against, places]).encode())
        return f"{self.check}:{digest.hexdigest()[:10]}"

    def contract(self) -> dict[str, object]:
        line = self.model_dump(mode="json", exclude={"cells": {"__all__": {"box"}}})
        return {"doc": self.doc, "id": self.id, **line}


def _place(c: AcrossCell | AcrossText) -> list[object]:
    if isinstance(c, AcrossCell):
        return [c.doc, *c.key]
    return [c.doc, c.section, c.page, c.text]


@dataclass(frozen=True)
class Doc:
    doc: str
    stem: str
    kind: str
    year: int | None
    department: str

    def __str__(self) -> str:
        return f"{self.stem} ({self.year or '?'} {KIND_NAME.get(self.kind, self.kind)})"


def department_key(name: str | None) -> str:
    return squeeze(unicodedata.normalize("NFKC", name or ""))


def departments(docs: list[Doc]) -> list[list[Doc]]:
    """Documents grouped by department (two or more), each group in year and kind order."""
    groups: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        key = department_key(d.department)
        if key:
            groups[key].append(d)
    return [
        sorted(g, key=lambda d: (d.year or 0, KIND_ORDER.get(d.kind, 9), d.stem))
        for _, g in sorted(groups.items())
        if len(g) > 1
    ]


def subject_names(
    group: list[Doc], names: dict[str, dict[str, list[tuple[str, str, int]]]]
) -> Iterator[AcrossFinding]:
    """A code whose names in one document share none with the names the department gave it in the
    document before (year, then 预算 before 决算): a slip when both are of one year (warning), a
    renamed subject perhaps when years differ (the classification is revised yearly: info).
    `names`: doc → code → (name, table, page)."""
    last: dict[str, tuple[Doc, list[tuple[str, str, int]]]] = {}
    for d in group:
        for code, named in sorted(names.get(d.doc, {}).items()):
            before = last.get(code)
            last[code] = (d, named)
            if before is None:
                continue
            other, earlier = before
            if {_norm(n) for n, _, _ in named} & {_norm(n) for n, _, _ in earlier}:
                continue
            yield _renamed(code, d, named, other, earlier)


def _renamed(
    code: str, d: Doc, named: list[tuple[str, str, int]], other: Doc, earlier: list[tuple[str, str, int]]
) -> AcrossFinding:
    now = " / ".join(sorted({n for n, _, _ in named}))
    then = " / ".join(sorted({n for n, _, _ in earlier}))
    cells: list[AcrossCell | AcrossText] = [
        AcrossCell(doc=x.doc, table=table, row=code, column="科目名称", value=name, page=page)
        for x, rows in ((d, named), (other, earlier))
        for name, table, page in rows
    ]
    same_year = d.year == other.year
    return AcrossFinding(
        doc=d.doc,
        against=other.doc,
        check="across.subject_name",
        severity="warning" if same_year else "info",
        message=f"code {code} is {now} in {d} but {then} in {other}"
        + ("" if same_year else " (a subject renamed between years, or a slip)"),
        cells=cells,
        expected=then,
        actual=now,
    )


def graded(severity: str) -> Severity:
    """A verdict's severity as a finding's (a verdict that holds is never a finding)."""
    return "error" if severity == "error" else "warning" if severity == "warning" else "info"


def _norm(name: str) -> str:
    text = squeeze(unicodedata.normalize("NFKC", name))
    for mark in ("(类)", "(款)", "(项)"):
        text = text.replace(mark, "")
    return text
