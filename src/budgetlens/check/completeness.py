"""Every table the document kind requires is printed, or the document says why it is not.

An absent or empty table is fine only with its statement ("本单位无政府性基金预算财政拨款收支。"),
wherever the document prints it: under the table, in its place, or in the narrative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlens.catalog import KINDS
from budgetlens.check.findings import Finding, TextRef
from budgetlens.check.view import TableView
from budgetlens.result import Result

_NONE = re.compile(r"(无|没有|未发生|不涉及|未安排|未使用)")


def completeness_findings(result: Result, views: list[TableView]) -> Iterator[Finding]:
    doc_kind, year = result.document.doc_kind, result.document.year
    if not views:
        if doc_kind in ("final", "budget"):
            yield _no_tables(result)
        return
    statements = _statements(result)
    promised = [k for k in KINDS if k.required and k.doc_kind == doc_kind]
    for kind in (k for k in promised if k.since is None or year is None or year >= k.since):
        printed = [v for v in views if v.kind == kind.id]
        said = [s for s in statements if any(w in s[1] for w in kind.empty_words)]
        if any(any(line.values for line in v.lines) for v in printed):
            continue
        if said or any(v.statement for v in printed):
            continue
        what = "printed without any number" if printed else "not found"
        yield Finding(
            check="completeness.table",
            severity="warning",
            kind="completeness",
            message=f"{kind.name}: {what}, and no statement says why (本单位无…)",
            cells=[TextRef(section=v.name, text=v.title, page=v.pages[0]) for v in printed],
            expected=f"{kind.name} with its figures, or a statement that there are none",
            actual=what,
            source="unknown" if not printed else "document",
        )


def _no_tables(result: Result) -> Finding:
    """A document that prints no table at all (its tables published as a file of their own)."""
    return Finding(
        check="completeness.tables",
        severity="info",
        kind="completeness",
        message="this file prints no tables: only its text was read (the tables may be published separately)",
        expected="tables",
        actual="none",
        source="document",
    )


def _statements(result: Result) -> list[tuple[int, str]]:
    out = []
    for section in result.sections:
        for p in section.paragraphs:
            if _NONE.search(p.text):
                out.append((p.page, p.text))
        if section.table is not None:
            for note in [*section.table.notes, section.table.statement or ""]:
                if _NONE.search(note):
                    out.append((section.pages[0], note))
    return out
