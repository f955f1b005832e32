"""What a check reports: one finding per disagreement, in the findings.jsonl contract.

A finding names every cell (or narrative sentence) it involves with its page and box, the value
expected and the value printed, the tolerance used, and whether the document disagrees with itself
(``document``) or the reading is suspect (``extraction``), or it cannot tell (``unknown``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from budgetlens.load.models import Box

if TYPE_CHECKING:
    from budgetlens.extract.facts import Fact

Severity = Literal["error", "warning", "info"]
Kind = Literal[
    "sum", "balance", "cross_table", "percent", "score", "narrative", "completeness", "consistency"
]
Source = Literal["document", "extraction", "unknown"]
Verdict = Literal["accepted", "document_error"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
Place = tuple[str, str, str, str, int]
"""Where a cell is: entity, table, row, column, page (`Fact.key`, `CellRef.key`)."""


class CellRef(BaseModel):
    """A table cell a finding involves."""

    entity: str = ""
    table: str
    row: str
    column: str
    value: str
    page: int
    box: Box | None = None

    @property
    def key(self) -> Place:
        """The key of the fact this cell is (`Fact.key`)."""
        return (self.entity, self.table, self.row, self.column, self.page)

    @classmethod
    def of(cls, fact: Fact) -> CellRef:
        """The cell a fact was read from."""
        return cls(
            entity=fact.entity,
            table=fact.table,
            row=fact.row,
            column=fact.column,
            value=fact.value,
            page=fact.page,
            box=fact.box,
        )


class TextRef(BaseModel):
    """A narrative sentence (or a heading, caption) a finding involves."""

    section: str
    text: str
    value: str = ""
    page: int
    box: Box | None = None


class Finding(BaseModel):
    check: str = Field(description="check id, e.g. sum.columns, cross_table.T1-T3")
    severity: Severity
    kind: Kind
    message: str
    cells: list[CellRef | TextRef] = Field(default_factory=list)
    expected: str = ""
    actual: str = ""
    tolerance: str = ""
    source: Source = "document"
    status: Literal["confirmed", "flagged"] | None = Field(
        default=None,
        description="after re-extraction: 'confirmed' when a second reading of every model-read cell "
        "agreed (the document disagrees with itself), 'flagged' when a cell is still doubtful",
    )
    review: Verdict | None = Field(
        default=None,
        description="a person's verdict in review: 'accepted' as it stands, or 'document_error' "
        "(read right; the document itself is wrong)",
    )
    about: str = Field(
        default="",
        description="what tells this finding apart from another of the same check on the same cells "
        "(set only then; part of its id)",
    )

    @property
    def id(self) -> str:
        """Names the finding across re-checks: its check and the places of its cells, not their
        values (a correction changes the values; the finding is still the same one). A finding
        without cells is named by what it is about: the subject its message opens with."""
        places = sorted(
            json.dumps(c.key if isinstance(c, CellRef) else (c.section, c.page, c.text), ensure_ascii=False)
            for c in self.cells
        )
        about = self.about or ("" if self.cells else subject(self.message))
        named = [self.check, places, about] if about else [self.check, places]
        digest = hashlib.sha256(json.dumps(named).encode()).hexdigest()
        return f"{self.check}:{digest[:10]}"

    def contract(self, doc: str) -> dict[str, object]:
        """The findings.jsonl line (boxes dropped: they live in <stem>.json), with the id reviews use."""
        line = self.model_dump(mode="json", exclude={"cells": {"__all__": {"box"}}, "about": True})
        return {"doc": doc, "id": self.id, **line}


def subject(message: str) -> str:
    """What a message is about: its words before the first colon ("收入决算表: not found, …")."""
    return re.split(r"[:：]", message, maxsplit=1)[0].strip()


def distinct(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with unique ids: two of one check on the same cells are told apart by their
    messages; the same finding reported twice is kept once."""
    findings = list(findings)
    shared = {i for i, n in Counter(f.id for f in findings).items() if n > 1}
    out: list[Finding] = []
    seen: set[str] = set()
    for finding in findings:
        if finding.id in shared:
            finding = finding.model_copy(update={"about": finding.message})
        if finding.id not in seen:
            seen.add(finding.id)
            out.append(finding)
    return out


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    by = Counter(f.severity for f in findings)
    return {s: by.get(s, 0) for s in SEVERITIES}


def summary_line(name: str, findings: list[Finding]) -> str:
    c = counts(findings)
    return f"{name}: {c['error']} errors, {c['warning']} warnings, {c['info']} info"
