"""A rebuilt table → one fact per numeric cell, keyed as the facts.jsonl contract says.

Row key: the subject/economic code if the row has one, else the label without enumerators and
whitespace; a label repeated inside one table is prefixed by its parent row's label; the single
unlabelled data row (the 三公 table) is "合计". Column key: the header path joined by ".".
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from budgetlens.amounts import Quantity, is_amount
from budgetlens.chunk.form import form_blocks, form_places
from budgetlens.chunk.measures import column_unit, row_quantities
from budgetlens.chunk.models import Cell, Column, Row, Table
from budgetlens.chunk.outline import RowLabel, per_table, row_labels
from budgetlens.chunk.text import squeeze
from budgetlens.load.models import Box


class FactFields(BaseModel):
    """What names and gives one numeric cell (the facts.jsonl contract without the document id)."""

    entity: str = Field(default="", description="the unit the table belongs to, else the department")
    table: str
    row: str
    column: str
    value: str
    unit: str
    bound: str = Field(
        default="", description="an indicator's bound: '≥', '≤', '=', '>', '<'; '' for a value"
    )
    page: int


class FactLine(FactFields):
    """One line of <stem>.facts.jsonl: exactly the contract's fields."""

    doc: str = Field(description="the document's id: the first 16 hex digits of its sha256")


class Fact(FactFields):
    """A fact with its provenance, as kept in <stem>.json."""

    box: Box
    text: str  # the cell's text as printed
    extractor: str = "grid"  # 'grid', 'model:<name>' or 'reviewed'
    status: Literal["confirmed", "corrected", "flagged"] | None = Field(
        default=None, description="after re-extraction: a second reading agreed / fixed it / still doubtful"
    )
    previous: str | None = Field(default=None, description="the value before a correction")
    review: Literal["accepted", "corrected"] | None = Field(
        default=None, description="a person's decision in review: the reading is right / the value typed"
    )

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        """What names one cell across re-checks: entity, table, row, column, page (as a CellRef's key)."""
        return (self.entity, self.table, self.row, self.column, self.page)

    def contract(self, doc: str) -> dict[str, object]:
        """The facts.jsonl line."""
        return {"doc": doc, **self.model_dump(include=set(FactFields.model_fields))}


def row_keys(table: Table) -> dict[tuple[int, int], str]:
    """(row index, column group) → row key, for every row that has a key in that group: its code,
    else its label; a label printed more than once in the group is prefixed by its parent's label."""
    return per_table(table, "keys", _row_keys)


def _row_keys(table: Table) -> dict[tuple[int, int], str]:
    labels = row_labels(table)
    own = {place: _own_key(r) for place, r in labels.items() if not table.rows[place[0]].repeat}
    repeated = Counter((g, k) for (_, g), k in own.items() if k and labels[(_, g)].code is None)
    keys: dict[tuple[int, int], str] = {}
    seen: set[tuple[int, str]] = set()
    previous: dict[int, str] = {}  # per group: the last label not seen before, a parent when none is printed
    for (i, group), key in sorted(own.items()):
        if not key:
            continue
        r = labels[(i, group)]
        if i == table.own_row:
            keys[(i, group)] = "合计"  # a unit's own row over its block (chunk.per_unit): its total
            continue
        parent = r.parent or (previous.get(group) if (group, key) in seen else None)
        if r.code is None and repeated[(group, key)] > 1 and key != "…" and parent:
            key = f"{parent}.{key}"
        elif (group, key) not in seen:
            previous[group] = key
        seen.add((group, key))
        keys[(i, group)] = key
    if len(table.rows) == 1 and not keys:
        keys.update({(0, c.group): "合计" for c in table.values()})  # the 三公 table's lone row of numbers
    _unique(keys, labels)
    _borrowed(table, keys)
    _repeats_keyed(table, keys)
    return keys


def _unique(keys: dict[tuple[int, int], str], labels: dict[tuple[int, int], RowLabel]) -> None:
    """A key its parent does not tell apart ('30101-基本工资' under '50501-工资福利支出' under each of
    several functions) takes the next label up, and so on; two rows alike all the way up are numbered
    in print order ('…#2')."""
    for depth in range(2, 1 + max((len(r.ancestors) for r in labels.values()), default=0)):
        repeated = _repeated(keys)
        if not repeated:
            return
        for place in repeated:
            r = labels.get(place)
            if r is not None and r.code is None and len(r.ancestors) >= depth:
                keys[place] = f"{r.ancestors[-depth]}.{keys[place]}"
    seen: Counter[tuple[int, str]] = Counter()
    for place in sorted(_repeated(keys)):
        seen[(place[1], keys[place])] += 1
        if seen[(place[1], keys[place])] > 1:
            keys[place] = f"{keys[place]}#{seen[(place[1], keys[place])]}"


def _repeated(keys: dict[tuple[int, int], str]) -> list[tuple[int, int]]:
    counts = Counter((g, k) for (_, g), k in keys.items())
    return [
        place for place, k in keys.items() if counts[(place[1], k)] > 1 and k != "…"
    ]  # '…': a row left out


def _borrowed(table: Table, keys: dict[tuple[int, int], str]) -> None:
    """A label printed across two blocks of one side ('当年支出小计' over 功能分类 and 支出用途, its
    amount in the last block): a block with a number and no label takes the label of the block
    before it, when that block prints no number in the row."""
    groups = sorted({c.group for c in table.columns})
    for i, row in enumerate(table.rows):
        numbers = {g for g in groups for c in table.values() if c.group == g and is_amount(row.text(c.index))}
        for before, group in zip(groups, groups[1:], strict=False):
            same_side = _side(table, before) == _side(table, group)
            lends = (i, before) in keys and before not in numbers
            if group in numbers and (i, group) not in keys and lends and same_side:
                keys[(i, group)] = keys[(i, before)]


def _side(table: Table, group: int) -> str | None:
    return next((c.side for c in table.columns if c.group == group and c.side), None)


def _repeats_keyed(table: Table, keys: dict[tuple[int, int], str]) -> None:
    """A row printed again atop a continuation page is the same cell: it keeps its first printing's key."""
    first: dict[tuple[object, ...], int] = {}
    for i, row in enumerate(table.rows):
        texts = tuple((j, squeeze(c.text)) for j, c in sorted(row.cells.items()))
        if not row.repeat:
            first.setdefault(texts, i)
        elif texts in first:
            keys.update({(i, g): k for (n, g), k in list(keys.items()) if n == first[texts]})


def table_facts(table: Table) -> list[Fact]:
    return [fact for _, _, fact in placed_facts(table)]


def placed_facts(table: Table) -> list[tuple[int, Column, Fact]]:
    """Every fact of the table with the row index and column it was read from."""
    if table.form:
        return _form_facts(table)
    keys = row_keys(table)
    facts: list[tuple[int, Column, Fact]] = []
    for i, row in enumerate(table.rows):
        measured = row_quantities(_headers(table, row), {c: cell.text for c, cell in row.cells.items()})
        for column in table.columns:
            q = measured.get(column.index)
            if column.role == "value" and q is not None:
                key = keys.get((i, column.group)) or fallback_key(row, table.columns, i)
                facts.append((i, column, _fact(table, row.cells[column.index], q, key, column)))
    return facts


def _form_facts(form: Table) -> list[tuple[int, Column, Fact]]:
    """A form's blocks read as tables, then its fields ('总分 | 92.33') by the label before them.
    Identifiers ('部门预算编码 | 127') are not figures."""
    facts: list[tuple[int, Column, Fact]] = []
    for block in form_blocks(form):
        for n, column, fact in placed_facts(block.table):
            i, slot = block.origin[(n, column.index)]
            facts.append((i, form.columns[slot], fact))
    taken = {(i, c.index) for i, c, _ in facts}
    for (i, slot), (label, header) in sorted(form_places(form.rows).items()):
        row = form.rows[i]
        q = row_quantities(_headers(form, row), {c: cell.text for c, cell in row.cells.items()}).get(slot)
        if (i, slot) not in taken and q is not None:
            key = label or fallback_key(row, form.columns, i)
            facts.append(
                (i, form.columns[slot], _fact(form, row.cells[slot], q, key, form.columns[slot], header))
            )
    return sorted(facts, key=lambda f: (f[0], f[1].index))


def _fact(table: Table, cell: Cell, q: Quantity, key: str, column: Column, path: str | None = None) -> Fact:
    path = ".".join(column.path) if path is None else path
    return Fact(
        entity=table.entity or "",
        table=table.name,
        row=key,
        column=path,
        value=q.number,
        unit=q.unit or _unit(table, column, path),
        bound=q.bound,
        page=cell.page,
        box=cell.box,
        text=cell.text,
    )


def _headers(table: Table, row: Row) -> dict[int, str]:
    """Each cell's column label: a form's own label over it, else the column's header path."""
    if table.form:
        return {c: cell.header or "" for c, cell in row.cells.items()}
    return {c.index: ".".join(c.path) for c in table.columns}


def _unit(table: Table, column: Column, path: str) -> str:
    """The cell's unit: its column's own (a form's column is its label), else the table's money unit."""
    own = column_unit([path]) if table.form and path else column.unit
    return table.unit or "" if own is None else own


def _own_key(r: RowLabel) -> str:
    return re.sub("…+", "…", squeeze(r.code) if r.code else r.bare)


def fallback_key(row: Row, columns: list[Column], index: int) -> str:
    """A row without code or label: its printed 行次, else its position ("#3")."""
    ordinal = next((row.text(c.index) for c in columns if c.role == "ordinal" and row.text(c.index)), "")
    return f"行{ordinal}" if ordinal else f"#{index + 1}"
