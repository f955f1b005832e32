"""load → chunk → extract → check for one document: the deterministic path, no model needed."""

from __future__ import annotations

import time
from pathlib import Path

from budgetlens.check.run import check
from budgetlens.chunk import chunk
from budgetlens.extract.facts import table_facts
from budgetlens.extract.fill import fill
from budgetlens.load import load_pdf
from budgetlens.result import DocumentInfo, Result, SectionResult, Summary


def read_document(path: str | Path) -> Result:
    started = time.perf_counter()
    document = chunk(load_pdf(path))
    sections = [SectionResult.of(s, **fill(s).model_dump()) for s in document.sections]
    facts = [f for s in document.sections if s.table is not None for f in table_facts(s.table)]
    tables = [s.table for s in document.sections if s.table is not None]
    info = DocumentInfo(**document.model_dump(include=set(DocumentInfo.model_fields)))
    summary = Summary(
        pages=document.page_count,
        sections=len(sections),
        tables=len(tables),
        tables_recognised=sum(t.name is not None for t in tables),
        cells=len(facts),
        sections_needing_model=sum(s.needs_model is not None for s in sections),
    )
    result = Result(document=info, sections=sections, facts=facts, summary=summary)
    result = result.with_findings(check(result))
    seconds = round(time.perf_counter() - started, 3)
    return result.model_copy(update={"summary": result.summary.model_copy(update={"seconds": seconds})})
