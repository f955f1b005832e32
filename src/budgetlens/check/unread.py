"""What was not read: pages without a text layer or that MuPDF could not read, a file MuPDF had to
repair, a model endpoint that could not be reached, tables the reader gave up on, and a document of
which nothing at all was read. Each is a warning with source `extraction` (a blank page is info), so
a result that read nothing never looks clean: the summary, the report and `--fail-on` all see it.

No person can settle these in review (there is no value to type): they say what to run again.
"""

from __future__ import annotations

from collections.abc import Iterator

from budgetlens.amounts import is_amount
from budgetlens.check.findings import Finding, Severity, TextRef
from budgetlens.check.narrative_checks import read_narrative
from budgetlens.extract.facts import placed_facts
from budgetlens.reasons import short_reason
from budgetlens.result import DocumentInfo, Result, SectionResult, Summary

PREFIX = "unread."  # the checks of this module


def unread_findings(result: Result) -> Iterator[Finding]:
    yield from _pages(result.document)
    yield from _repaired(result.document)
    yield from _model(result.summary)
    for n, section in enumerate(result.sections):
        yield from _table(n, section)
    yield from _nothing(result)


def is_unread(finding: Finding) -> bool:
    return finding.check.startswith(PREFIX)


def _pages(d: DocumentInfo) -> Iterator[Finding]:
    unread = {p.page for p in d.unread_pages}
    damaged = {p.page for p in d.damaged_pages}
    # after a repair, or damage on the page, an empty page is more likely lost content than blank
    blank = [] if d.repaired else [p for p in d.blank_pages if p not in unread | damaged]
    images = [p for p in d.pages_without_text if p not in unread and p not in blank]
    if images:
        yield _finding(
            "pages", "warning", f"{_span(images)}: no text layer ({_why_unread(d)}): not read", images
        )
    for note in sorted({p.note for p in d.unread_pages}):
        pages = [p.page for p in d.unread_pages if p.note == note]
        yield _finding("pages", "warning", f"{_span(pages)}: could not be read: {note}", pages)
    for note in sorted({p.note for p in d.damaged_pages}):
        pages = [p.page for p in d.damaged_pages if p.note == note]
        message = f"{_span(pages)}: MuPDF reported damage ({note}): maybe read in part"
        yield _finding("damaged", "warning", message, pages)
    if blank:
        yield _finding("blank", "info", f"{_span(blank)}: blank (nothing printed on it)", blank)


def _why_unread(d: DocumentInfo) -> str:
    if d.repaired:
        return "lost in the repair"
    if d.ocr_unavailable:
        return f"scanned images or outlined text, and OCR could not run: {d.ocr_unavailable}"
    return "scanned images or outlined text? OCR read nothing on it"


def _repaired(d: DocumentInfo) -> Iterator[Finding]:
    if d.repaired:
        yield _finding(
            "repaired",
            "warning",
            f"the file is damaged: MuPDF had to repair it ({d.repaired}); what it recovered was read, "
            "parts may be missing: get a sound copy of the PDF",
        )


def _model(s: Summary) -> Iterator[Finding]:
    if s.model_unanswered:
        yield _finding(
            "model",
            "warning",
            f"the model could not be reached: {s.model_unanswered} question(s) unanswered "
            f"({short_reason(s.model_error)}); what needed it was left unread: "
            "check --base-url, the key and the server",
        )


def _table(n: int, section: SectionResult) -> Iterator[Finding]:
    """A table with numbers of which no fact was made and that no model filled in."""
    table = section.table
    if table is None or not section.needs_model or placed_facts(table):
        return
    counted = {c.index for c in table.columns if c.role in ("value", "label")}  # not codes, not 序号
    numbers = sum(is_amount(c.text) for row in table.rows for i, c in row.cells.items() if i in counted)
    if numbers:
        what = table.title or _first_words(section)
        yield Finding(
            check=f"{PREFIX}table",
            severity="warning",
            kind="completeness",
            message=f"{section.name} (p.{_numbers(table.pages)}): {numbers} numbers not read "
            f"({short_reason(section.needs_model, 120)}): they are in no fact and no check; "
            "a model can read it",
            cells=[TextRef(section=section.name, text=what or f"table {n + 1}", page=table.pages[0])],
            expected="the table read",
            actual=f"{numbers} numbers unread",
            source="extraction",
        )


def _nothing(result: Result) -> Iterator[Finding]:
    if result.facts or _narrative_figures(result):
        return
    yield _finding(
        "document",
        "warning",
        "nothing was read from this document: no table cell and no narrative figure "
        f"({result.document.page_count} pages, {len(result.document.pages_without_text)} without text)",
    )


def _narrative_figures(result: Result) -> bool:
    return any(r.fact.kind not in ("unparsed", "missing_number") for r in read_narrative(result))


def _finding(check: str, severity: Severity, message: str, pages: list[int] | None = None) -> Finding:
    refs = [TextRef(section="page", text="", page=p) for p in pages or []]
    return Finding(
        check=f"{PREFIX}{check}",
        severity=severity,
        kind="completeness",
        message=message,
        cells=list(refs),
        expected="read",
        actual="not read" if severity != "info" else "blank",
        source="extraction",
    )


def _first_words(section: SectionResult) -> str:
    table = section.table
    first = table.rows[0] if table and table.rows else None
    return "".join(c.text for c in first.cells.values())[:30] if first else ""


def _span(pages: list[int]) -> str:
    """[1, 2, 3, 5] → 'pages 1–3, 5'; [4] → 'page 4'."""
    return ("pages " if len(set(pages)) > 1 else "page ") + _numbers(pages)


def _numbers(pages: list[int]) -> str:
    runs: list[list[int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
