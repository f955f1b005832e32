"""Who to believe: a finding's `source` and `status` from how its cells were read.

A number read verbatim from the text layer is the document's own, so a failing identity among such
numbers means the document disagrees with itself. A number the model read is not clearly the
document's until a second reading agreed (status `confirmed`); a cell still doubtful after
re-extraction makes the finding `flagged`. A person's word (review) weighs most: cells they read
are the document's, and their verdict on a finding is kept on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from budgetlens.check.findings import CellRef, Finding, Verdict
from budgetlens.extract.facts import Fact


def with_sources(
    findings: list[Finding], facts: list[Fact], verdicts: Mapping[str, Verdict] | None = None
) -> list[Finding]:
    index = {f.key: f for f in facts}
    verdicts = verdicts or {}
    out = []
    for finding in findings:
        read = [index.get(c.key) for c in finding.cells if isinstance(c, CellRef)]
        by_model = [f for f in read if f is not None and f.extractor.startswith("model")]
        verdict = verdicts.get(finding.id)
        if verdict is not None:
            finding = finding.model_copy(update={"review": verdict})
        if any(f is not None and f.status == "flagged" for f in read):
            finding = finding.model_copy(update={"status": "flagged", "source": "unknown"})
        elif _read_right(verdict, read, by_model):
            finding = finding.model_copy(update={"status": "confirmed", "source": "document"})
        elif by_model and finding.source == "document":
            finding = finding.model_copy(update={"source": "unknown"})
        out.append(finding)
    return out


def _read_right(verdict: Verdict | None, read: list[Fact | None], by_model: list[Fact]) -> bool:
    """The cells hold what the page prints: a person said so, or every model reading was confirmed."""
    if verdict == "document_error" or (read and all(f is not None and f.review for f in read)):
        return True
    return bool(by_model) and all(f.status == "confirmed" for f in by_model)
