"""Forms: tables whose rows are ruled each their own way (绩效自评表, 绩效目标表, 申报表).

A form has no one header over all its rows. It has blocks: rows of labels ('年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分'; '一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 …') over the
rows of figures under them, and fields beside their labels ('总分 | 100'). So every number is read
with the label over it (its column) and the label before it in its row (its row); a label printed
over several rows ('项目资金（万元）') is the parent of the rows it spans. Identifiers ('部门预算编码 |
127', '联系电话') are not figures.
"""

from __future__ import annotations

import re

from budgetlens.amounts import is_amount
from budgetlens.chunk.grid import Grid, GridCell
from budgetlens.chunk.models import Cell, Column, Row
from budgetlens.chunk.text import squeeze

VARIED = 0.3  # share of rows ruled unlike the commonest row: a form, not a table of columns
MIN_ROWS = 4
_QUANTITY = re.compile(r"^[≥≤＞＜>＜≧≦]|\d\s*[%％]$")
_TARGET_HEADER = re.compile(r"指标值|目标值|预期|实际|完成值|计划")
_IDENTIFIER = re.compile(r"编码|代码|编号|电话|手机|传真|邮编|邮政编码|号码|账号")


def is_form(grid: Grid, body: int) -> bool:
    """Rows ruled in many different ways: which rules cross each row varies across the table's body
    (the rows from ``body`` on; a header's rows are ruled unlike each other in any table)."""
    patterns = [_ruling(grid, r) for r in range(body, grid.n_rows)]
    if len(patterns) < MIN_ROWS:
        return False
    common = max(patterns.count(p) for p in set(patterns))
    return (len(patterns) - common) / len(patterns) >= VARIED


def _ruling(grid: Grid, r: int) -> frozenset[int]:
    """The slot boundaries a rule crosses in row r (where one cell ends and another begins)."""
    owner = {}
    for i, cell in enumerate(grid.cells):
        if cell.row <= r < cell.row + cell.rowspan:
            for c in range(cell.col, cell.col + cell.colspan):
                owner[c] = i
    return frozenset(c for c in range(1, grid.n_cols) if owner.get(c) != owner.get(c - 1))


class FormLayout:
    """A form read block by block: every slot a column, every number keyed by its own labels."""

    header_rows = 0

    def __init__(self, grid: Grid):
        self.grid = grid
        self.columns = [Column(index=c, role="value") for c in range(grid.n_cols)]

    def header_cells(self) -> list[list[Cell]]:
        return []

    def align(self, grid: Grid) -> dict[int, int] | None:
        return None  # a form is read one page at a time

    def repeated_header_rows(self, grid: Grid) -> int:
        return 0

    def rows(self, grid: Grid, start: int = 0, slots: dict[int, int] | None = None) -> list[Row]:
        by_row: dict[int, list[GridCell]] = {r: [] for r in range(grid.n_rows)}
        for cell in grid.cells:
            if cell.text.strip():
                by_row[cell.row].append(cell)
        heads: list[list[GridCell]] = []  # the rows of labels since the last row of figures
        out = []
        numbered = False
        for r in range(grid.n_rows):
            cells = sorted(by_row[r], key=lambda c: c.col)
            if not any(is_amount(squeeze(c.text)) for c in cells):
                if len(cells) >= 2 and not any(_QUANTITY.search(squeeze(c.text)) for c in cells):
                    heads = [cells] if numbered else [*heads, cells]
                    numbered = False
                out.append(_row(grid, cells, {}))
                continue
            numbered = True
            out.append(_row(grid, cells, {id(c): _header(c, heads, cells) for c in cells}))
        return out


def _header(number: GridCell, heads: list[list[GridCell]], row: list[GridCell]) -> str:
    """The label over a number (the nearest label row with a cell over its slots), else the label
    right before it in its row (a field: '总分 | 100')."""
    span = set(range(number.col, number.col + number.colspan))
    for labels in reversed(heads):
        over = [h for h in labels if span & set(range(h.col, h.col + h.colspan))]
        if over:
            return squeeze(max(over, key=lambda h: len(span & set(range(h.col, h.col + h.colspan)))).text)
    before = [c for c in row if c.col < number.col and not is_amount(squeeze(c.text))]
    return squeeze(before[-1].text) if before else ""


def _row(grid: Grid, cells: list[GridCell], headers: dict[int, str]) -> Row:
    return Row(
        cells={
            c.col: Cell(
                text=c.text,
                page=grid.page,
                box=c.text_box or c.box,
                header=headers.get(id(c)),
                span=c.rowspan,
            )
            for c in cells
        },
        page=grid.page,
    )


def form_places(rows: list[Row]) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, slot) of every number → (row label, column label)."""
    spans: dict[int, tuple[str, int]] = {}  # slot → label printed over rows, and its last row
    out = {}
    for i, row in enumerate(rows):
        spans |= {
            c: (squeeze(cell.text), i + cell.span - 1) for c, cell in row.cells.items() if cell.span > 1
        }
        over = [text for c, (text, last) in sorted(spans.items()) if last >= i]
        for col, cell in row.cells.items():
            label = _label(row, col) or (over[-1] if over else "")
            if is_amount(squeeze(cell.text)) and not _IDENTIFIER.search(label + (cell.header or "")):
                out[(i, col)] = (label, cell.header or "")
    return out


def _label(row: Row, col: int) -> str:
    """The label before a number in its row that is neither a target ('≤100%') nor in a target
    column ('年度指标值'); a label printed over several rows is its parent, not its label."""
    before = [c for i, c in sorted(row.cells.items()) if i < col and not is_amount(squeeze(c.text))]
    before = [c for c in before if c.span == 1]
    named = [
        c
        for c in before
        if not _QUANTITY.search(squeeze(c.text)) and not _TARGET_HEADER.search(c.header or "")
    ]
    pick = named or before
    return squeeze(pick[-1].text) if pick else ""
