"""Who to believe: a finding's `source` and `status` from how its cells were read.

A number read verbatim from the text layer is the document's own, so a failing identity among such
numbers means the document disagrees with itself. A number the model read is not clearly the
document's until a second reading agreed (status `confirmed`); a cell still doubtful after
re-extraction makes the finding `flagged`.
"""

from __future__ import annotations

from budgetlens.check.findings import CellRef, Finding
from budgetlens.extract.facts import Fact


def with_sources(findings: list[Finding], facts: list[Fact]) -> list[Finding]:
    index = {f.key: f for f in facts}
    out = []
    for finding in findings:
        read = [index.get(c.key) for c in finding.cells if isinstance(c, CellRef)]
        by_model = [f for f in read if f is not None and f.extractor.startswith("model")]
        if any(f is not None and f.status == "flagged" for f in read):
            finding = finding.model_copy(update={"status": "flagged", "source": "unknown"})
        elif by_model and all(f.status == "confirmed" for f in by_model):
            finding = finding.model_copy(update={"status": "confirmed", "source": "document"})
        elif by_model and finding.source == "document":
            finding = finding.model_copy(update={"source": "unknown"})
        out.append(finding)
    return out
