"""What the command line says about a result: one summary line, what was not read, what needs a
model (its failure in a few words, not the exception it came as)."""

from __future__ import annotations

from budgetlens.check.findings import Finding, TextRef
from budgetlens.check.unread import is_unread
from budgetlens.reasons import short_reason
from budgetlens.result import Result


def summary_line(result: Result) -> str:
    s = result.summary
    parts = [
        f"{result.document.doc_kind}",
        f"{s.pages} pages",
        f"{s.tables_recognised}/{s.tables} tables recognised",
        f"{s.cells} cells",
        f"{s.narrative_figures} figure{'s' * (s.narrative_figures != 1)} read from the text",
    ]
    if not s.tables and s.narrative_figures:
        parts.append("no tables in this file (its text only was read: the tables may be published apart)")
    if s.model_calls or s.cached_calls:
        parts += [
            f"model_calls={s.model_calls} cached_calls={s.cached_calls}",
            f"tokens={s.prompt_tokens}+{s.completion_tokens}",
            f"reextracted_cells={s.reextracted_cells} flagged_cells={s.flagged_cells}",
        ]
    if s.sections_needing_model:
        asked = s.model_calls or s.cached_calls or s.model_unanswered
        skipped = "left unread" if asked else "skipped: no model configured"
        if s.model_unanswered and not (s.model_calls or s.cached_calls):
            skipped = "left unread: the model could not be reached"
        parts.append(f"{s.sections_needing_model} sections need a model ({skipped})")
    if s.narrative_unplaced:
        parts.append(
            f"{s.narrative_unplaced} number{'s' * (s.narrative_unplaced != 1)} in sentences not placed"
        )
    if result.document.ocr_pages:
        parts.append(f"{len(result.document.ocr_pages)} pages read by OCR")
    parts.append(f"{s.seconds:.2f} s")
    unread = [f for f in result.findings if is_unread(f) and f.severity != "info"]
    if unread:
        parts.append(f"NOT ALL READ ({len(unread)} warning{'s' * (len(unread) > 1)} below)")
    return ", ".join(parts)


def unread_lines(findings: list[Finding]) -> list[str]:
    """What was not read, one line each: pages, a repaired file, an unreachable model, tables."""
    return [f"not read — {f.message}" for f in findings if is_unread(f) and f.severity != "info"]


def needs_model_lines(result: Result) -> list[str]:
    """Sections that need a model, by reason (tables already said unread are not said twice)."""
    said = {
        c.section
        for f in result.findings
        if f.check == "unread.table"
        for c in f.cells
        if isinstance(c, TextRef)
    }
    by_reason: dict[str, list[str]] = {}
    for s in result.sections:
        if s.needs_model and not (s.table is not None and s.name in said):
            by_reason.setdefault(s.needs_model, []).append(s.name)
    lines = []
    for reason, names in by_reason.items():
        shown = ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")
        lines.append(f"needs a model — {short_reason(reason, 160)}: {shown}")
    return lines
