"""What a reading by OCR means for the checks.

A page without a text layer is read by Tesseract (load/ocr.py). Its numbers are the machine's
reading of an image, not the document's own text: doubtful until the identities agree. So:

- ``ocr.pages`` (info): which pages were read so, said once.
- ``ocr.doubtful`` (warning, source ``extraction``): a number whose reading is ambiguous ('1.234':
  one and a bit, or 1,234 with its comma read as a dot) that no identity that holds settles.
- ``ocr.unchecked`` (info): numbers read by OCR that take part in no identity at all, so no check
  vouches for them.
- every other finding that involves a cell (or a sentence) on a page read by OCR says so in its
  message, and its source is ``extraction`` (a misreading is likelier than the document's slip)
  unless a second reading confirmed the cells (reextract/ocr.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from budgetlens.check.findings import CellRef, Finding, Place, TextRef
from budgetlens.check.identity import Identity, judge
from budgetlens.extract.facts import Fact
from budgetlens.load.ocr_text import doubtful
from budgetlens.result import Result

OCR = "ocr"  # the extractor of facts read from an OCR page


def ocr_findings(result: Result, identities: Iterable[Identity]) -> Iterator[Finding]:
    pages = result.document.ocr_pages
    if not pages:
        return
    yield _pages(pages)
    read = [f for f in result.facts if f.extractor == OCR]
    holding, taking_part = _vouched(identities)
    for fact in read:
        if fact.status is None and doubtful(fact.text) and fact.key not in holding:
            yield _doubtful(fact)
    loose = [f for f in read if f.key not in taking_part and f.status is None]
    if loose:
        yield _unchecked(loose)


def with_ocr(findings: list[Finding], result: Result) -> list[Finding]:
    """Findings involving a page read by OCR say so; their source is the reading unless every OCR
    cell in them was confirmed by a second reading."""
    pages = set(result.document.ocr_pages)
    if not pages:
        return findings
    index = {f.key: f for f in result.facts}
    out = []
    for finding in findings:
        on = sorted({c.page for c in finding.cells if c.page in pages})
        if not on or finding.check.startswith("ocr.") or finding.check.startswith("unread."):
            out.append(finding)
            continue
        facts = [index.get(c.key) for c in finding.cells if isinstance(c, CellRef) and c.page in pages]
        settled = facts and all(f is not None and f.status == "confirmed" for f in facts)
        pages_said = ", ".join(str(p) for p in on)
        update: dict[str, object] = {"message": f"{finding.message} (read by OCR: p.{pages_said})"}
        if not settled:
            update["source"] = "extraction"
        out.append(finding.model_copy(update=update))
    return out


def _vouched(identities: Iterable[Identity]) -> tuple[set[Place], set[Place]]:
    """Cells of identities that hold, and cells of any identity."""
    holding: set[Place] = set()
    taking_part: set[Place] = set()
    for identity in identities:
        cells = {r.cell().key for r in (identity.target, *(r for _, r in identity.terms)) if not r.blank}
        taking_part |= cells
        if judge(identity) is None:
            holding |= cells
    return holding, taking_part


def _pages(pages: list[int]) -> Finding:
    span = ("pages " if len(pages) > 1 else "page ") + ", ".join(str(p) for p in pages)
    return Finding(
        check="ocr.pages",
        severity="info",
        kind="completeness",
        message=f"{span}: no text layer: read by OCR (Tesseract, chi_sim); their numbers are the "
        "machine's reading of an image, trusted where the identities agree",
        cells=[TextRef(section="page", text="", page=p) for p in pages],
        expected="a text layer",
        actual="read by OCR",
        source="extraction",
    )


def _doubtful(fact: Fact) -> Finding:
    whole = fact.text.replace(".", "")
    return Finding(
        check="ocr.doubtful",
        severity="warning",
        kind="consistency",
        message=f"{fact.table} {fact.row} / {fact.column} (p.{fact.page}): OCR read “{fact.text}”, which may "
        f"be {fact.text} or {whole} (a thousands comma read as a dot); no identity that holds settles it",
        cells=[CellRef.of(fact)],
        expected=f"{fact.text} or {whole}",
        actual=fact.text,
        source="extraction",
    )


def _unchecked(facts: list[Fact]) -> Finding:
    pages = sorted({f.page for f in facts})
    return Finding(
        check="ocr.unchecked",
        severity="info",
        kind="completeness",
        message=f"{len(facts)} numbers read by OCR (p.{', '.join(map(str, pages))}) take part in no "
        "identity: no check vouches for their reading",
        cells=[CellRef.of(f) for f in facts[:20]],
        expected="checked",
        actual="unchecked",
        source="extraction",
    )
