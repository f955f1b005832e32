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
from dataclasses import dataclass

from budgetlens.amounts import is_amount, quantity
from budgetlens.chunk.grid import ALIGN, Grid, GridCell
from budgetlens.chunk.identity import SUBJECT_FIELD
from budgetlens.chunk.measures import column_unit
from budgetlens.chunk.models import Cell, Column, Row, Table
from budgetlens.chunk.text import squeeze

VARIED = 0.3  # share of rows ruled unlike the commonest row: a form, not a table of columns
RULINGS = 4  # ways rows are ruled: a form (fields, funds, indicators), however many indicators it lists
MIN_ROWS = 4
_QUANTITY = re.compile(r"^[≥≤＞＜>＜≧≦]|\d\s*[%％]$")
_TARGET_HEADER = re.compile(r"指标值|目标值|预期|实际|完成值|计划")
_FIELD = re.compile(rf"{SUBJECT_FIELD.pattern}|主管(?:部门|单位)|实施单位|\S*编码|联系人|联系电话")
_SENTENCE = re.compile(r"[。；;，,]")
LABEL = 24  # characters: longer is a sentence, not a label
_IDENTIFIER = re.compile(r"编码|代码|编号|电话|手机|传真|邮编|邮政编码|号码|账号")


def is_form(grid: Grid, body: int) -> bool:
    """A grid that opens with a field ('项目名称 | 科普惠民项目'), or whose rows are ruled in many
    different ways: which rules cross each row varies across the table's body (the rows from
    ``body`` on; a header's rows are ruled unlike each other in any table), in many of its rows or
    in many ways."""
    patterns = [_ruling(grid, r) for r in range(body, grid.n_rows)]
    if len(patterns) < MIN_ROWS:
        return False
    if _opens_with_a_field(grid):
        return True
    common = max(patterns.count(p) for p in set(patterns))
    return (len(patterns) - common) / len(patterns) >= VARIED or len(set(patterns)) >= RULINGS


def _opens_with_a_field(grid: Grid) -> bool:
    """The first row names what the form is about: a label and the value beside it, filling the row."""
    first = sorted((c for c in grid.cells if c.row == 0 and c.text.strip()), key=lambda c: c.col)
    return (
        len(first) == 2
        and bool(SUBJECT_FIELD.fullmatch(squeeze(first[0].text)))
        and (first[1].colspan >= max(grid.n_cols / 2, 2))
    )


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
        self.heads: list[list[GridCell]] = []  # the rows of labels since the last row of figures
        self.numbered = False  # a row of figures since the last row of labels

    def header_cells(self) -> list[list[Cell]]:
        return []

    def align(self, grid: Grid) -> dict[int, int] | None:
        """A later page continues the form when it is ruled within the form's rules: each of its
        column boundaries (index) → the first page's boundary it lies on."""
        if abs(grid.box[0] - self.grid.box[0]) > ALIGN or abs(grid.box[2] - self.grid.box[2]) > ALIGN:
            return None
        xs = self.grid.xs
        bounds = {}
        for j, x in enumerate(grid.xs):
            k = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
            if abs(xs[k] - x) > ALIGN:
                return None
            bounds[j] = k
        return bounds

    def repeated_header_rows(self, grid: Grid) -> int:
        return 0

    def rows(self, grid: Grid, start: int = 0, slots: dict[int, int] | None = None) -> list[Row]:
        """The grid's rows, every number with the label over it (carried over from earlier pages) and
        its cells placed in the first page's slots (``slots``: this grid's boundaries → the first's)."""
        by_row: dict[int, list[GridCell]] = {r: [] for r in range(grid.n_rows)}
        for cell in grid.cells:
            if cell.text.strip():
                by_row[cell.row].append(cell if slots is None else _placed(cell, slots))
        out = []
        for r in range(grid.n_rows):
            cells = sorted(by_row[r], key=lambda c: c.col)
            if not any(quantity(c.text) for c in cells) or _heads(cells, by_row.get(r + 1, [])):
                if _is_label_row(cells):
                    grouped = not self.numbered and self.heads and _groups(self.heads[-1], cells)
                    self.heads = [*self.heads, cells] if grouped else [cells]
                    self.numbered = False
                elif len(cells) >= 2:
                    self.heads, self.numbered = [], False  # a field or a sentence: no label over what follows
                out.append(_row(grid, cells, {}))
                continue
            self.numbered = True
            out.append(_row(grid, cells, {id(c): _header(c, self.heads, cells) for c in cells}))
        return out


def _is_label_row(cells: list[GridCell]) -> bool:
    """Labels over the figures below: two or more short cells, none a target, nor a field's label."""
    texts = [squeeze(c.text) for c in cells]
    return (
        len(texts) >= 2
        and not any(_QUANTITY.search(t) or len(t) > LABEL or _SENTENCE.search(t) for t in texts)
        and not _is_field_row(cells)
    )


def _is_field_row(cells: list[GridCell]) -> bool:
    """A field's label and its value printed wide ('部门名称 | 北京市文化和旅游局')."""
    return (
        len(cells) in (2, 4)
        and bool(_FIELD.fullmatch(squeeze(cells[0].text)))
        and any(c.colspan >= 2 for c in cells[1::2])
    )


def _groups(upper: list[GridCell], lower: list[GridCell]) -> bool:
    """A label row over another is one header with it when each of its cells groups labels below
    ('预算安排' over '年初① | 调整② | 小计③') or is printed down into that row ('分值' over two rows)."""
    row = min(c.row for c in lower)
    return all(sum(_overlap(u, c) for c in lower) >= 2 or u.row + u.rowspan > row for u in upper)


def _heads(cells: list[GridCell], below: list[GridCell]) -> bool:
    """A row of labels with a stray number in it ('500 | 年初预算数 | 全年预算数 | … | 得分'): more of its
    cells are labels standing over the figures of the row below than are figures, three at least."""
    figures = [c for c in below if quantity(c.text)]
    labels = [c for c in cells if not quantity(c.text)]
    over = [c for c in labels if any(_overlap(c, f) for f in figures)]
    return len(over) >= 3 and len(over) > len(cells) - len(labels)


def _overlap(a: GridCell, b: GridCell) -> bool:
    return a.col < b.col + b.colspan and b.col < a.col + a.colspan


def _placed(cell: GridCell, bounds: dict[int, int]) -> GridCell:
    start, end = bounds[cell.col], bounds[cell.col + cell.colspan]
    return cell.model_copy(update={"col": start, "colspan": max(end - start, 1)})


def _header(number: GridCell, heads: list[list[GridCell]], row: list[GridCell]) -> str:
    """The labels over a number, top level first ('财政拨款.合计'): of each label row, the cell over its
    slots. A number under several labels of the nearest row is a field ('总分 | 92.33'): it takes the
    label right before it in its row."""
    span = set(range(number.col, number.col + number.colspan))
    path: list[str] = []
    for n, labels in enumerate(reversed(heads)):
        over = [h for h in labels if span & set(range(h.col, h.col + h.colspan))]
        if len(over) > 1 and n == 0:
            break
        if len(over) == 1 and span <= set(range(over[0].col, over[0].col + over[0].colspan)):
            path.insert(0, squeeze(over[0].text))
    if path:
        return ".".join(path)
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
            figure = quantity(cell.text) is not None
            if figure and not _IDENTIFIER.search(label + (cell.header or "")):
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


@dataclass
class Block:
    """The rows of a form under one row of labels, as a table of its own ('合计 | 财政资金小计 | ①中央…'
    under '年初预算 | 调整 | 小计③=①+②'): the keys, outline and sums of any table apply to it."""

    table: Table
    origin: dict[tuple[int, int], tuple[int, int]]  # (row, column) in the block → (row, slot) in the form


def form_blocks(form: Table) -> list[Block]:
    places = form_places(form.rows)
    return [_block(form, run, places) for run in _runs(form.rows, places)]


def _in_column(place: tuple[str, str]) -> bool:
    label, header = place
    return bool(header) and header != label  # a field ('总分 | 92.33') stands in no column


def _runs(rows: list[Row], places: dict[tuple[int, int], tuple[str, str]]) -> list[list[int]]:
    """Row indexes of each block: rows with figures under labels, and the rows of text between them
    (a qualitative indicator), up to the next row of labels or field."""
    figures = {
        i: [c for c in row.cells if _in_column(places.get((i, c), ("", "")))] for i, row in enumerate(rows)
    }
    runs: list[list[int]] = [[]]
    for i, row in enumerate(rows):
        if figures[i]:
            runs[-1].append(i)
            continue
        fields = any((i, c) in places for c in row.cells)
        following = next((j for j in range(i + 1, len(rows)) if figures[j]), None)
        labels = (
            {level for c in figures[following] for level in places[(following, c)][1].split(".")}
            if following is not None
            else set()
        )
        heads = bool(labels & {squeeze(c.text) for c in row.cells.values()})
        if fields or heads:
            runs.append([])
        elif runs[-1]:
            runs[-1].append(i)
    for run in runs:
        while run and not figures[run[-1]]:
            run.pop()
    return [run for run in runs if run]


def _block(form: Table, run: list[int], places: dict[tuple[int, int], tuple[str, str]]) -> Block:
    headers: dict[int, str] = {}
    for i in run:
        for c in form.rows[i].cells:
            place = places.get((i, c))
            if place and _in_column(place):
                headers.setdefault(c, place[1])
    first = min(c for c, h in headers.items() if h)
    slots = sorted({c for i in run for c in form.rows[i].cells})
    for c in slots:
        if not headers.get(c):  # a text column (a qualitative target, a reason): the label over it
            headers[c] = next(
                (squeeze(form.rows[i].cells[c].header or "") for i in run if c in form.rows[i].cells), ""
            )
    columns = [
        Column(
            index=k,
            role="value" if c >= first else "label",
            path=headers[c].split(".") if headers[c] and c >= first else [],
            unit=column_unit(headers[c].split(".")) if c >= first else None,
        )
        for k, c in enumerate(slots)
    ]
    at = {c: k for k, c in enumerate(slots)}
    rows = [
        Row(cells={at[c]: cell for c, cell in form.rows[i].cells.items()}, page=form.rows[i].page)
        for i in run
    ]
    origin = {(n, at[c]): (i, c) for n, i in enumerate(run) for c in form.rows[i].cells}
    table = form.model_copy(
        update={"form": False, "columns": columns, "rows": rows, "header": [], "notes": []}
    )
    return Block(table, origin)
