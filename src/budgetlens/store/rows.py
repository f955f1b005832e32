"""A result as the store's rows, made where the document was read (a worker process or a Ray task),
so the process that owns the store only inserts them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from budgetlens.check.findings import CellRef, Finding
from budgetlens.extract.figures import NarrativeFigure
from budgetlens.result import Result

if TYPE_CHECKING:
    from budgetlens.review.decisions import ReviewFile

Row = tuple[object, ...]
Rows = dict[str, list[Row]]  # store table → its rows, columns in schema order


def document_rows(result: Result, stem: str, settings: str) -> Rows:
    """Every row of one document: the document, its sections, tables, facts, narrative figures,
    subject names and findings (its review decisions come from `review_rows`)."""
    from budgetlens import __version__

    d, s = result.document, result.summary
    doc = d.doc
    document = (
        doc, d.sha256, stem, d.source, d.doc_kind, d.title, d.year, d.department,
        s.pages, s.tables, s.cells, s.narrative_figures, s.narrative_unplaced,
        s.errors, s.warnings, s.info, s.flagged_cells, s.reviewed_cells,
        s.seconds, result.budgetlens or __version__, settings,
    )  # fmt: skip
    return {
        "documents": [document],
        "sections": [
            (
                doc,
                n,
                x.kind,
                x.name,
                x.heading,
                min(x.pages, default=None),
                max(x.pages, default=None),
                x.schema_name,
                x.needs_model,
                x.part,
                len(x.repeated),
            )
            for n, x in enumerate(result.sections)
        ],  # fmt: skip
        "tables": [
            (
                doc,
                n,
                t.name,
                t.title,
                t.kind,
                t.entity,
                t.unit,
                min(t.pages),
                max(t.pages),
                len(t.rows),
                len(t.values()),
                t.statement,
            )
            for n, x in enumerate(result.sections)
            if (t := x.table) is not None
        ],  # fmt: skip
        "facts": [
            (
                doc,
                n,
                f.entity,
                f.table,
                f.row,
                f.column,
                f.value,
                f.unit,
                f.bound,
                f.page,
                *f.box,
                f.text,
                f.extractor,
                f.status,
                f.previous,
                f.review,
            )
            for n, f in enumerate(result.facts, 1)
        ],  # fmt: skip
        "narrative": narrative_rows(doc, result.narrative),
        "subjects": subject_rows(result),
        **finding_rows(doc, result.findings),
    }


def narrative_rows(doc: str, figures: Iterable[NarrativeFigure]) -> list[Row]:
    """One row per line of narrative.jsonl: the figure, where it is printed, the cell it links to,
    and what it relates to (JSON, as in the file: its fields vary with the reading)."""
    out: list[Row] = []
    for n, f in enumerate(figures, 1):
        c = f.linked
        linked = (c.entity, c.table, c.row, c.column, c.value, c.page) if c else (None,) * 6
        related = [r.model_dump_json() if r else None for r in (f.base, f.prior, f.budget, f.parent)]
        out.append(
            (doc, n, f.id, f.entity, f.section, f.page, *(f.box or (None,) * 4), f.sentence, f.subject,
             f.kind, f.value, f.unit, f.role, f.budget_kind, f.bound, f.direction,
             None if f.complete is None else int(f.complete), f.extractor, *linked, *related)
        )  # fmt: skip
    return out


def subject_rows(result: Result) -> list[Row]:
    """Each code's name as printed in each table (a code in a code column, the label beside it)."""
    from budgetlens.check.view import table_views

    doc = result.document.doc
    seen: dict[tuple[str, str, str], Row] = {}
    for view in table_views(result):
        for line in view.lines:
            if line.code and line.bare:
                page = next((f.page for f in line.values.values()), view.pages[0])
                row = (doc, line.code, line.bare, view.name, page)
                seen.setdefault((line.code, view.name, line.bare), row)
    return list(seen.values())


def finding_rows(doc: str, findings: Iterable[Finding]) -> Rows:
    found: list[Row] = []
    cells: list[Row] = []
    for f in findings:
        fid = f.id
        found.append(
            (doc, fid, f.check, f.severity, f.kind, f.message, f.expected, f.actual, f.tolerance, f.source,
             f.status, f.review, None)
        )  # fmt: skip
        for n, c in enumerate(f.cells, 1):
            if isinstance(c, CellRef):
                where: Row = (c.entity, c.table, c.row, c.column, None, None)
            else:
                where = (None, None, None, None, c.section, c.text)
            cells.append((doc, fid, n, doc, *where, c.value, c.page))
    return {"findings": found, "finding_cells": cells}


def review_rows(doc: str, review: ReviewFile) -> list[Row]:
    out: list[Row] = []
    for n, d in enumerate(review.decisions, 1):
        c = d.cell
        where = (c.entity, c.table, c.row, c.column, c.page) if c else (None,) * 5
        out.append((doc, n, d.item, d.action, *where, d.value, d.note, d.at))
    return out
