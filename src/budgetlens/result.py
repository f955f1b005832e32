"""The whole result of reading one document: what `<stem>.json` holds (the output contract)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from budgetlens import __version__
from budgetlens.check.findings import Finding, Verdict, counts
from budgetlens.chunk.models import DocKind, Paragraph, Section, SectionKind, Table
from budgetlens.extract.facts import Fact
from budgetlens.extract.figures import NarrativeFigure


class PageNote(BaseModel):
    page: int
    note: str


class DocumentInfo(BaseModel):
    source: str
    sha256: str
    doc_kind: DocKind
    title: str
    year: int | None = None
    department: str | None = None
    page_count: int
    pages_without_text: list[int] = Field(
        default_factory=list,
        description="no text layer and nothing read by OCR (see ocr_unavailable): not read",
    )
    ocr_pages: list[int] = Field(
        default_factory=list,
        description="pages without a text layer read by OCR (Tesseract chi_sim): "
        "their facts have extractor 'ocr'",
    )
    ocr_unavailable: str | None = Field(
        default=None, description="pages needed OCR but it could not run: why (the packages to install)"
    )
    blank_pages: list[int] = Field(
        default_factory=list, description="pages without text on which nothing at all is drawn"
    )
    unread_pages: list[PageNote] = Field(
        default_factory=list, description="pages MuPDF could not read at all (damaged, oversized), and why"
    )
    damaged_pages: list[PageNote] = Field(
        default_factory=list, description="pages MuPDF reported damage on while reading: maybe read in part"
    )
    repaired: str | None = Field(
        default=None, description="MuPDF had to repair the file: what it found wrong (parts may be lost)"
    )

    @property
    def doc(self) -> str:
        """The document's id in every output line: a stable short form of its sha256."""
        return self.sha256[:16]


class SectionResult(BaseModel):
    kind: SectionKind
    name: str
    heading: str | None = None
    pages: list[int]
    paragraphs: list[Paragraph] = Field(default_factory=list)
    table: Table | None = None
    repeated: list[Paragraph] = Field(
        default_factory=list, description="paragraphs printed again word for word: read where first printed"
    )
    part: str | None = Field(default=None, description="the part of a 绩效 report it is (catalog/parts.py)")
    schema_name: str | None = None
    data: dict[str, Any] | None = Field(None, description="the section's schema model, filled")
    needs_model: str | None = Field(None, description="why the deterministic path could not fill it")
    grid: Table | None = Field(
        None, description="the table as rebuilt from the page, when the model re-read it into `table`"
    )

    @classmethod
    def of(cls, section: Section, **filled: Any) -> SectionResult:
        return cls(**section.model_dump(), **filled)


class Summary(BaseModel):
    pages: int = 0
    sections: int = 0
    tables: int = 0
    tables_recognised: int = 0
    cells: int = Field(0, description="numeric cells extracted (lines of facts.jsonl)")
    narrative_figures: int = Field(
        default=0, description="figures read from sentences (lines of narrative.jsonl)"
    )
    narrative_unplaced: int = Field(
        default=0, description="numbers printed in sentences that neither the reader nor a model placed"
    )
    sections_needing_model: int = 0
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_calls: int = 0
    reasks: int = Field(default=0, description="model calls re-asking after an answer the validators refused")
    model_seconds: float = Field(default=0.0, description="seconds waiting for the model, summed over calls")
    reextracted_cells: int = 0
    model_unanswered: int = Field(
        default=0, description="questions the model endpoint never answered (unreachable, refused, timed out)"
    )
    model_error: str | None = Field(default=None, description="the first reason the endpoint gave for it")
    flagged_cells: int = Field(default=0, description="cells still flagged (doubtful) for a person to review")
    reviewed_cells: int = Field(default=0, description="cells a person accepted or corrected in review")
    errors: int = Field(default=0, description="findings of severity error")
    warnings: int = 0
    info: int = 0
    seconds: float = 0.0


class Result(BaseModel):
    budgetlens: str = __version__
    document: DocumentInfo
    sections: list[SectionResult]
    facts: list[Fact]
    narrative: list[NarrativeFigure] = Field(
        default_factory=list, description="every figure read from the text (lines of narrative.jsonl)"
    )
    findings: list[Finding] = Field(default_factory=list)
    flags: list[Fact] = Field(
        default_factory=list, description="cells still doubtful after re-extraction: for a person to review"
    )
    verdicts: dict[str, Verdict] = Field(
        default_factory=dict, description="a person's verdict on a finding, by `Finding.id` (review)"
    )
    summary: Summary

    def with_flags(self) -> Result:
        """`flags` and the summary's counts of flagged and reviewed cells, as the facts now say."""
        flags = [f for f in self.facts if f.status == "flagged"]
        reviewed = sum(f.review is not None for f in self.facts)
        summary = self.summary.model_copy(update={"flagged_cells": len(flags), "reviewed_cells": reviewed})
        return self.model_copy(update={"flags": flags, "summary": summary})

    def with_findings(self, findings: list[Finding]) -> Result:
        c = counts(findings)
        summary = self.summary.model_copy(
            update={"errors": c["error"], "warnings": c["warning"], "info": c["info"]}
        )
        return self.model_copy(update={"findings": findings, "summary": summary})
