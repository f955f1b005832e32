"""Passages a document prints twice, word for word (a report pasting its last parts again): said,
and read once where first printed (chunk.sections keeps the second printing apart)."""

from __future__ import annotations

from collections.abc import Iterator

from budgetlens.check.findings import Finding, TextRef
from budgetlens.result import Result


def repeated_paragraphs(result: Result) -> Iterator[Finding]:
    for section in result.sections:
        if not section.repeated:
            continue
        pages = sorted({p.page for p in section.repeated})
        shown = "、".join(f"p.{n}" for n in pages)
        yield Finding(
            check="narrative.repeated",
            severity="info",
            kind="narrative",
            message=f"{section.name}: {len(section.repeated)} paragraph(s) on {shown} print again, word for "
            "word, what the document printed before; their figures are read once, where first printed",
            cells=[
                TextRef(section=section.name, text=p.text[:80], page=p.page, box=p.box)
                for p in section.repeated
            ],
        )
