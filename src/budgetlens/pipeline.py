"""load → chunk → extract → check for one document; with a model: → model fill → check →
re-extract → check. Without a model, cells of failing checks are re-read from the characters under
their boxes (a second deterministic reading), and the result says what it skipped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from budgetlens.check.narrative_figures import with_narrative
from budgetlens.check.run import check
from budgetlens.chunk import chunk
from budgetlens.extract.facts import table_facts
from budgetlens.extract.fill import fill
from budgetlens.load import LoadedDocument, load_pdf
from budgetlens.reextract.ocr import by_ocr, reread_ocr
from budgetlens.reextract.words import reread_words
from budgetlens.result import DocumentInfo, PageNote, Result, SectionResult, Summary

if TYPE_CHECKING:
    from budgetlens.llm.client import Model, Reply


def read_document(
    path: str | Path,
    model: Model | None = None,
    on_reply: Callable[[Reply], None] | None = None,
    password: str | None = None,
    jobs: int = 1,
) -> Result:
    """`jobs`: pages read by OCR at once (one process each)."""
    started = time.perf_counter()
    loaded = load_pdf(path, password, jobs)
    result = _deterministic(loaded)
    result = result.with_findings(check(result))
    if model is not None:
        result = _with_model(result, model, on_reply)
    else:
        result = reread_words(result, loaded, password)
    result = reread_ocr(result, loaded, password)
    result = with_narrative(result)
    result = result.model_copy(update={"narrative": by_ocr(result.narrative, loaded.ocr_pages)})
    seconds = round(time.perf_counter() - started, 3)
    return result.model_copy(update={"summary": result.summary.model_copy(update={"seconds": seconds})})


def _deterministic(loaded: LoadedDocument) -> Result:
    document = chunk(loaded)
    sections = [SectionResult.of(s, **fill(s).model_dump()) for s in document.sections]
    facts = by_ocr(
        [f for s in document.sections if s.table is not None for f in table_facts(s.table)], loaded.ocr_pages
    )
    tables = [s.table for s in document.sections if s.table is not None]
    info = DocumentInfo.model_validate(
        document.model_dump(include=set(DocumentInfo.model_fields)) | _reading(loaded)
    )
    summary = Summary(
        pages=document.page_count,
        sections=len(sections),
        tables=len(tables),
        tables_recognised=sum(t.kind is not None for t in tables),
        cells=len(facts),
        sections_needing_model=sum(s.needs_model is not None for s in sections),
    )
    return Result(document=info, sections=sections, facts=facts, summary=summary)


def _reading(loaded: LoadedDocument) -> dict[str, object]:
    """What the load stage could not read, or read from a repaired file."""
    return {
        "blank_pages": [p.number for p in loaded.pages if p.blank],
        "unread_pages": [PageNote(page=p.number, note=p.unread) for p in loaded.pages if p.unread],
        "damaged_pages": [PageNote(page=p.number, note=p.damage) for p in loaded.pages if p.damage],
        "repaired": loaded.repaired,
        "ocr_pages": loaded.ocr_pages,
        "ocr_unavailable": loaded.ocr_unavailable,
    }


def _with_model(result: Result, model: Model, on_reply: Callable[[Reply], None] | None) -> Result:
    from budgetlens.extract.model_fill import apply_replies, model_asks
    from budgetlens.llm.fit import window
    from budgetlens.reextract import reextract

    missed = _Unanswered(on_reply)
    asks = model_asks(result, window(model.endpoint))
    replies = model.ask_all([a for _, a in asks], missed)
    result = apply_replies(
        result, [(n, r) for (n, _), r in zip(asks, replies, strict=True)], model.endpoint.extractor
    )
    result = result.with_findings(check(result))
    result = reextract(result, model, missed)
    usage = asdict(model.usage) | missed.counts()  # their fields are the summary's own names
    result = result.model_copy(update={"summary": result.summary.model_copy(update=usage)})
    # an endpoint that could not be reached is said among the findings, which must count it
    return result.with_findings(check(result)) if missed.replies else result


class _Unanswered:
    """Passes each reply on, keeping those no completion came back for at all: the endpoint was
    not reached (refused, unreachable, timed out). A spent call budget is not that."""

    def __init__(self, then: Callable[[Reply], None] | None) -> None:
        self.then = then
        self.replies: list[Reply] = []

    def __call__(self, reply: Reply) -> None:
        never = reply.answer is None and not reply.attempts and not reply.cached
        if never and not (reply.error or "").startswith("call budget"):
            self.replies.append(reply)
        if self.then is not None:
            self.then(reply)

    def counts(self) -> dict[str, object]:
        return {
            "model_unanswered": len(self.replies),
            "model_error": self.replies[0].error if self.replies else None,
        }
