"""load → chunk → extract → check for one document; with a model: → model fill → check →
re-extract → check. Without a model, cells of failing checks are re-read from the characters under
their boxes (a second deterministic reading), and the result says what it skipped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens.check.run import check
from budgetlens.chunk import chunk
from budgetlens.extract.facts import table_facts
from budgetlens.extract.fill import fill
from budgetlens.load import load_pdf
from budgetlens.reextract.words import reread_words
from budgetlens.result import DocumentInfo, Result, SectionResult, Summary

if TYPE_CHECKING:
    from budgetlens.llm.client import Model, Reply


def read_document(
    path: str | Path, model: Model | None = None, on_reply: Callable[[Reply], None] | None = None
) -> Result:
    started = time.perf_counter()
    result = _deterministic(path)
    result = result.with_findings(check(result))
    result = _with_model(result, model, on_reply) if model is not None else reread_words(result, path)
    seconds = round(time.perf_counter() - started, 3)
    return result.model_copy(update={"summary": result.summary.model_copy(update={"seconds": seconds})})


def _deterministic(path: str | Path) -> Result:
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
    return Result(document=info, sections=sections, facts=facts, summary=summary)


def _with_model(result: Result, model: Model, on_reply: Callable[[Reply], None] | None) -> Result:
    from budgetlens.extract.model_fill import apply_replies, model_asks
    from budgetlens.llm.fit import window
    from budgetlens.reextract import reextract

    asks = model_asks(result, window(model.endpoint))
    replies = model.ask_all([a for _, a in asks], on_reply)
    result = apply_replies(
        result, [(n, r) for (n, _), r in zip(asks, replies, strict=True)], model.endpoint.extractor
    )
    result = result.with_findings(check(result))
    result = reextract(result, model, on_reply)
    usage = asdict(model.usage)  # its fields are the summary's own names
    return result.model_copy(update={"summary": result.summary.model_copy(update=usage)})
