"""A saved result's tables as the checks see them: rows in printed order, with their keys, codes,
outline level and values, the values taken from the facts (so corrected facts are what is checked).

Built from `<stem>.json` alone; the PDF is not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetlens.amounts import is_amount, is_code
from budgetlens.chunk.form import form_blocks
from budgetlens.chunk.measures import is_money
from budgetlens.chunk.models import Column, Table
from budgetlens.chunk.outline import TOTAL, outer_columns, row_labels
from budgetlens.chunk.text import squeeze, strip_enumerator
from budgetlens.extract.facts import Fact, fallback_key, row_keys
from budgetlens.result import Result

_GRAND = re.compile(r"总计")
PARTIAL = re.compile(r"^(其中|含|包括)[:：]?")  # a subset printed beside its whole, not a part of it
_INDICATORS = re.compile(r"指标")
_PERCENT_HEADER = re.compile(r"%|％|占比|比例|比重|率|增减|增长|变动")


@dataclass
class ColumnView:
    path: str  # header path joined by '.', as in facts.jsonl
    parts: tuple[str, ...]
    group: int
    number: str | None  # printed 栏次
    percent: (
        bool  # not money in the table's unit (a percentage, change, count, score, indicator): never summed
    )


@dataclass
class Line:
    """One printed row within one column group."""

    index: int
    group: int
    key: str
    code: str | None
    label: str  # as printed, enumerator kept
    ordinal: str | None  # 行次 as printed
    values: dict[str, Fact] = field(default_factory=dict)  # column path → fact
    level: int | None = None  # outline level (1 = top): chunk.outline
    parent: str | None = None  # the label of the outer cell or row it stands under

    @property
    def bare(self) -> str:
        """The label without enumerator; a row whose label its block borrows, by its key."""
        return squeeze(strip_enumerator(squeeze(self.label))) or self.key.rpartition(".")[2]

    @property
    def is_total(self) -> bool:
        return self.code is None and bool(TOTAL.search(self.bare) or TOTAL.search(self.key))

    @property
    def is_grand_total(self) -> bool:
        return self.is_total and bool(_GRAND.search(self.bare or self.key))

    @property
    def is_partial(self) -> bool:
        return bool(PARTIAL.match(squeeze(self.label)))


@dataclass
class TableView:
    section: int  # index of the section in the result
    name: str
    entity: str
    kind: str | None
    unit: str | None
    pages: list[int]
    columns: list[ColumnView]
    lines: list[Line]
    notes: list[str]
    statement: str | None
    captions: list[str]
    title: str
    indicators: bool = False  # a table of indicators or scores (its columns say so): its outline is not a sum
    nested: bool = False  # rows named through two or more outer label columns: an outline not settled

    def groups(self) -> list[int]:
        return sorted({line.group for line in self.lines})

    def in_group(self, group: int) -> list[Line]:
        return [line for line in self.lines if line.group == group]

    def column(self, path: str) -> ColumnView | None:
        return next((c for c in self.columns if c.path == path), None)

    def amount_columns(self, group: int | None = None) -> list[ColumnView]:
        return [c for c in self.columns if not c.percent and (group is None or c.group == group)]

    @property
    def places(self) -> int:
        """Decimals every amount is read at: 万元 tables are printed to 0.01 even when zeros are dropped."""
        return 0 if self.unit == "元" else 2


FactIndex = dict[tuple[str, str, str, str, int, tuple[float, ...]], Fact]


_last: tuple[object, object, list[TableView]] | None = None


def table_views(result: Result) -> list[TableView]:
    """The views of a result's tables. The last one is kept: the checks and the narrative's figures
    ask for the same tables' views, and a result is never changed in place (a change is a copy with
    new facts or sections), so the same lists give the same views."""
    global _last
    if _last is not None and _last[0] is result.facts and _last[1] is result.sections:
        return _last[2]
    views = _views(result)
    _last = (result.facts, result.sections, views)
    return views


def _views(result: Result) -> list[TableView]:
    index: FactIndex = {}
    for fact in result.facts:
        index[(*fact.key, tuple(fact.box))] = fact
    views = []
    for n, section in enumerate(result.sections):
        table = section.table
        if table is not None:
            tables = [b.table for b in form_blocks(table)] if table.form else [table]
            views += [_view(n, t, index) for t in tables]
    return views


def _view(n: int, table: Table, index: FactIndex) -> TableView:
    name, entity = table.name, table.entity or ""
    keys = row_keys(table)
    labels = row_labels(table)
    columns = [_column(table, c) for c in table.values()]
    lines: list[Line] = []
    for i, row in enumerate(table.rows):
        if row.repeat:
            continue  # its first printing is checked
        for group in sorted({c.group for c in table.columns}):
            cols = [c for c in table.columns if c.group == group]
            if not any(c.role == "value" and is_amount(row.text(c.index)) for c in cols):
                continue
            key = keys.get((i, group)) or fallback_key(row, table.columns, i)
            code = next(
                (row.text(c.index) for c in cols if c.role == "code" and is_code(row.text(c.index))), None
            )
            named = labels.get((i, group))
            label = named.label if named else "".join(row.text(c.index) for c in cols if c.role == "label")
            ordinal = next(
                (row.text(c.index) for c in cols if c.role == "ordinal" and row.text(c.index)), None
            )
            line = Line(i, group, key, code, label, ordinal)
            line.level, line.parent = (named.level, named.parent) if named else (None, None)
            for c in cols:
                cell = row.cells.get(c.index)
                if c.role == "value" and cell is not None and is_amount(cell.text):
                    path = ".".join(c.path)
                    fact = index.get((entity, name, key, path, cell.page, tuple(cell.box)))
                    if fact is not None:
                        line.values[path] = fact
            lines.append(line)
    return TableView(
        section=n,
        name=name,
        entity=entity,
        kind=table.kind,
        unit=table.unit,
        pages=table.pages,
        columns=columns,
        lines=lines,
        notes=table.notes,
        statement=table.statement,
        captions=table.captions,
        title=table.title,
        indicators=any(_INDICATORS.search(part) for c in table.columns for part in c.path),
        nested=outer_columns(table) >= 2,
    )


def _column(table: Table, column: Column) -> ColumnView:
    path = ".".join(column.path)
    percent = (
        not is_money(column.unit)
        or bool(_PERCENT_HEADER.search(path.split(".")[-1]))
        or any(row.text(column.index).strip().endswith("%") for row in table.rows)
    )
    return ColumnView(path, tuple(column.path), column.group, column.number, percent)
