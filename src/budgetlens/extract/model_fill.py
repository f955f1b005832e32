"""The model's share of extraction: sections the deterministic path could not fill confidently
(an unknown table type or unknown columns; narrative sentences with figures the reader could not
place) are asked of the model, and its validated answers become the same data, facts and
provenance the deterministic path produces. Nothing already read is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from budgetlens.catalog import BY_ID, KINDS, TableKind
from budgetlens.catalog.tables import canonical_name
from budgetlens.chunk.models import Cell, Column, Row, Table
from budgetlens.chunk.text import squeeze
from budgetlens.extract.answers import Figure, NarrativeAnswer, RowAnswer, TableAnswer
from budgetlens.extract.facts import Fact, table_facts
from budgetlens.extract.fill import amount, fill_table
from budgetlens.extract.narrative import NarrativeFact, Printed, Role, in_wan, join_paragraphs, read_facts
from budgetlens.extract.parts import join_replies, split
from budgetlens.extract.schemas import GenericTable
from budgetlens.llm.client import Ask, Reply
from budgetlens.llm.fit import Window
from budgetlens.llm.prompts import quoted, render, system
from budgetlens.result import Result, SectionResult

# ----------------------------------------------------------------------------------------- asking


def model_asks(result: Result, fit: Window | None = None) -> list[tuple[int, Ask]]:
    """(section index, question) for every section the deterministic path left to the model. A
    question longer than the endpoint's window `fit` is asked in parts: a table by row blocks under
    its repeated header, a narrative by groups of sentences; `apply_replies` joins the answers."""
    out: list[tuple[int, Ask]] = []
    kind = result.document.doc_kind
    for n, section in enumerate(result.sections):
        if not section.needs_model:
            continue
        if section.table is not None:
            out += [(n, a) for a in table_asks(section, kind, fit)]
        elif section.paragraphs:  # 情况说明, or other text with sentences the reader could not place
            out += [(n, a) for a in narrative_asks(section, kind, unplaced_sentences(section), fit)]
    return out


def cell_id(row: int, column: int) -> str:
    return f"r{row}c{column}"


def grid_cells(table: Table) -> dict[str, Cell]:
    return {cell_id(i, j): cell for i, row in enumerate(table.rows) for j, cell in row.cells.items()}


def grid_document(table: Table, rows: Iterable[int] | None = None, prefix: str = "") -> str:
    """A rebuilt table as data lines: title, unit, column header paths, then each row's cells by id
    (``prefix`` + rRcC, so cells of several tables in one prompt keep distinct ids)."""
    columns = {f"c{c.index}": ".".join(c.path) or f"({c.role})" for c in table.columns}
    lines = [f"title: {quoted(table.title)}", f"unit: {quoted(table.unit)}"]
    lines += [f"caption: {quoted(c)}" for c in table.captions]
    lines.append(f"columns: {quoted(columns)}")
    wanted = set(rows) if rows is not None else None
    lines += [row_line(table, i, prefix) for i in range(len(table.rows)) if wanted is None or i in wanted]
    lines += [f"note: {quoted(n)}" for n in table.notes]
    return "\n".join(lines)


def row_line(table: Table, i: int, prefix: str = "") -> str:
    cells = {prefix + cell_id(i, j): c.text for j, c in sorted(table.rows[i].cells.items())}
    return f"{prefix}r{i}: {quoted(cells)}"


def _kinds(table: Table, doc_kind: str) -> list[TableKind]:
    if table.kind in BY_ID:
        return [BY_ID[table.kind]]
    return [k for k in KINDS if doc_kind not in ("final", "budget") or k.doc_kind == doc_kind]


def _headers(kind: TableKind) -> list[str]:
    return [h for spec in kind.columns for h in spec.headers]


def table_asks(section: SectionResult, doc_kind: str, fit: Window | None = None) -> list[Ask]:
    assert section.table is not None
    table = section.table
    rows = list(range(len(table.rows)))
    return split(lambda part: table_ask(section, doc_kind, part), rows, lambda i: row_line(table, i), fit)


def table_ask(section: SectionResult, doc_kind: str, rows: list[int] | None = None) -> Ask:
    """The question about the whole table, or (`rows`) about a block of its rows under its header."""
    assert section.table is not None
    table = section.table
    kinds = _kinds(table, doc_kind)
    listing = "\n".join(
        f"- {k.id}: {k.name}" + (f"; columns: {', '.join(_headers(k))}" if k.columns else "") for k in kinds
    )
    part = None if rows is None else set(rows)
    context = {
        "cells": {i: c.text for i, c in grid_cells(table).items() if part is None or _row_of(i) in part},
        "columns": {k.id: _headers(k) for k in kinds},
    }
    user = render("table", kinds=listing, document=grid_document(table, rows))
    name = f"table “{table.title or section.name}”"
    if rows is not None and len(rows) < len(table.rows):
        name += f" rows {rows[0] + 1}–{rows[-1] + 1} of {len(table.rows)}" if rows else " header"
    return Ask(name, TableAnswer, system(), user, context)


def _row_of(cell: str) -> int:
    return int(cell[1:].split("c")[0])


def unplaced_sentences(section: SectionResult) -> dict[str, NarrativeFact]:
    """Sentence id → the reader's `unparsed` fact for it (its sentence and span)."""
    text, _ = join_paragraphs([p.text for p in section.paragraphs])
    out: dict[str, NarrativeFact] = {}
    for fact in read_facts(text):
        if fact.kind == "unparsed" and fact.sentence not in {f.sentence for f in out.values()}:
            out[f"s{len(out) + 1}"] = fact
    return out


def narrative_asks(
    section: SectionResult, doc_kind: str, sentences: dict[str, NarrativeFact], fit: Window | None = None
) -> list[Ask]:
    """The question about these sentences (id → the reader's fact for it), in parts if need be."""
    ids = list(sentences)
    if not ids:
        return []

    def ask(part: list[int] | None) -> Ask:
        chosen = ids if part is None else [ids[i] for i in part]
        return narrative_ask(section, doc_kind, {sid: sentences[sid] for sid in chosen})

    return split(ask, list(range(len(ids))), lambda i: _sentence_line(ids[i], sentences[ids[i]]), fit)


def narrative_ask(section: SectionResult, doc_kind: str, sentences: dict[str, NarrativeFact]) -> Ask:
    document = "\n".join(_sentence_line(sid, f) for sid, f in sentences.items())
    kind = {"final": "final account (部门决算)", "budget": "budget (部门预算)"}.get(doc_kind, "disclosure")
    user = render("narrative", topic=section.name, doc_kind=kind, document=document)
    context = {"sentences": {sid: f.sentence for sid, f in sentences.items()}}
    return Ask(f"narrative “{section.name}”", NarrativeAnswer, system(), user, context)


def _sentence_line(sid: str, fact: NarrativeFact) -> str:
    return f"{sid}: {quoted(fact.sentence)}"


# ----------------------------------------------------------------------------------------- applying


def apply_replies(result: Result, replies: list[tuple[int, Reply]], extractor: str) -> Result:
    sections = list(result.sections)
    facts = list(result.facts)
    for n, reply in join_replies(replies):
        section = sections[n]
        if reply.answer is None:
            why = f"{section.needs_model}; the model gave no valid answer ({reply.error})"
            sections[n] = section.model_copy(update={"needs_model": why})
        elif isinstance(reply.answer, TableAnswer):
            sections[n], new = _apply_table(section, reply.answer, extractor)
            if new:
                old = {(f.page, tuple(f.box)) for f in table_facts(section.table)} if section.table else set()
                facts = [f for f in facts if (f.page, tuple(f.box)) not in old] + new
        elif isinstance(reply.answer, NarrativeAnswer):
            sections[n] = _apply_narrative(section, reply.answer, extractor)
    summary = result.summary.model_copy(
        update={
            "sections_needing_model": sum(s.needs_model is not None for s in sections),
            "tables_recognised": sum(s.table is not None and s.table.kind is not None for s in sections),
            "cells": len(facts),
        }
    )
    return result.model_copy(update={"sections": sections, "facts": facts, "summary": summary})


def _apply_table(
    section: SectionResult, answer: TableAnswer, extractor: str
) -> tuple[SectionResult, list[Fact]]:
    assert section.table is not None
    grid = section.table
    kind = BY_ID.get(answer.kind)
    if kind is None:
        data = _generic(grid, answer, extractor)
        generic = {"schema_name": "table.generic", "data": data, "needs_model": None}
        return section.model_copy(update=generic), []
    table = answer_table(grid, answer, kind)
    filled = fill_table(table, extractor)
    facts = [f.model_copy(update={"extractor": extractor}) for f in table_facts(table)]
    update: dict[str, Any] = {
        "table": table,
        "grid": grid,
        "name": table.name or section.name,
        "schema_name": filled.schema_name,
        "data": filled.data,
        "needs_model": filled.needs_model,
    }
    return section.model_copy(update=update), facts


def answer_table(grid: Table, answer: TableAnswer, kind: TableKind) -> Table:
    """The table as the model read it: one column group per side-by-side block, a code, a label and
    the named value columns in each; every value cell is the grid cell the model pointed at."""
    cells = grid_cells(grid)
    blocks = sorted({r.block for r in answer.rows})
    columns: list[Column] = []
    where: dict[tuple[int, str], int] = {}  # (block, header path or "code" / "label") → column index
    for g, block in enumerate(blocks):
        side = kind.sides[g] if kind.sides and g < len(kind.sides) else None
        paths = dict.fromkeys(p for r in answer.rows if r.block == block for p in r.values)
        for role, path in [("code", "code"), ("label", "label"), *(("value", p) for p in paths)]:
            where[(block, path)] = len(columns)
            parts = path.split(".") if role == "value" else []
            columns.append(Column(index=len(columns), role=role, path=parts, group=g, side=side))  # type: ignore[arg-type]
    ordered = sorted((r for r in answer.rows if r.values), key=lambda r: (_source_row(r), r.block))
    return Table(
        title=grid.title,
        name=canonical_name(kind, grid.title),
        kind=kind.id,
        entity=grid.entity,
        unit=answer.unit or grid.unit,
        captions=grid.captions,
        pages=grid.pages,
        box=grid.box,
        columns=columns,
        rows=[_row(r, where, cells, grid) for r in ordered],
        notes=grid.notes,
        statement=grid.statement,
    )


def _source_row(row: RowAnswer) -> int:
    return min(int(p.cell[1:].split("c")[0]) for p in row.values.values())


def _row(answer: RowAnswer, where: dict[tuple[int, str], int], cells: dict[str, Cell], grid: Table) -> Row:
    picked = [cells[p.cell] for p in answer.values.values()]
    printed = grid.rows[_source_row(answer)].cells.values()
    row_cells: dict[int, Cell] = {}
    for role, text in (("code", answer.code), ("label", answer.label)):
        if text:  # the printed cell when there is one, so its box is the label's own
            found = next((c for c in printed if squeeze(c.text) == squeeze(text)), None)
            row_cells[where[(answer.block, role)]] = found or Cell(
                text=text, page=picked[0].page, box=picked[0].box
            )
    for path, pick in answer.values.items():
        row_cells[where[(answer.block, path)]] = cells[pick.cell]
    return Row(cells=row_cells, page=picked[0].page)


def _generic(grid: Table, answer: TableAnswer, extractor: str) -> dict[str, Any]:
    cells = grid_cells(grid)
    rows = []
    for r in answer.rows:
        key = r.code or squeeze(r.label or "") or f"#{_source_row(r) + 1}" if r.values else None
        if key is None:
            continue
        values = {}
        for path, pick in r.values.items():
            cell = cells[pick.cell]
            values[path] = amount(cell.text, cell.page, cell.box, extractor)
        rows.append({"code": r.code, "label": r.label, "key": key, "values": values})
    data = GenericTable.model_validate(
        {"title": grid.title, "unit": answer.unit or grid.unit, "rows": rows, "statement": grid.statement}
    )
    return data.model_dump(mode="json")


# ---------------------------------------------------------------------------------------- narrative


def _apply_narrative(section: SectionResult, answer: NarrativeAnswer, extractor: str) -> SectionResult:
    sentences = unplaced_sentences(section)
    figures = [_fact(f, sentences[f.sentence], extractor) for f in answer.figures if f.sentence in sentences]
    data = dict(section.data or {})
    data["figures"] = [f.model_dump(mode="json") for f in figures]
    return section.model_copy(update={"data": data, "needs_model": None})


def _fact(figure: Figure, unplaced: NarrativeFact, extractor: str) -> NarrativeFact:
    unit = figure.unit or "万元"
    wan = {name: in_wan(v, unit) if v is not None else None for name, v in _money(figure)}
    prior = None
    if wan["amount"] is not None and wan["change"] is not None:
        prior = str(Decimal(wan["amount"]) - Decimal(wan["change"]))
    return NarrativeFact(
        kind=figure.kind,  # type: ignore[arg-type]
        subject=figure.subject,
        amount=wan["amount"],
        amount_printed=f"{figure.amount}{unit}" if figure.amount is not None else None,
        unit=figure.unit,
        percent=figure.percent,
        change=wan["change"],
        prior=prior,
        budget=wan["budget"],
        budgets={"预算": wan["budget"]} if wan["budget"] is not None else {},
        span=unplaced.span,
        sentence=unplaced.sentence,
        base=None,
        list_id=None,
        partial=None,
        extractor=extractor,
        numbers=_numbers(figure, unit, unplaced),
    )


def _numbers(figure: Figure, unit: str, unplaced: NarrativeFact) -> list[Printed]:
    """The numbers the model read, each placed where the reader found the figures it left (the
    answer is validated to print every one of them in the sentence)."""
    printed: list[tuple[Role, str | None, str]] = [
        ("amount", figure.amount, unit),
        ("percent", figure.percent, "%"),
        ("change", (figure.change or "").lstrip("-") or None, unit),  # as printed: 减少 gives the sign
        ("budget", figure.budget, unit),
    ]
    return [
        Printed(role=role, text=text, unit=u, span=unplaced.span, name="预算" if role == "budget" else "")
        for role, text, u in printed
        if text is not None
    ]


def _money(figure: Figure) -> Iterator[tuple[str, str | None]]:
    yield from (("amount", figure.amount), ("change", figure.change), ("budget", figure.budget))
