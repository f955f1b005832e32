"""Cell grids → a Table: header block, column roles and header paths, code columns, data rows.

A table continued on later pages is the first page's grid extended by the next grids whose
columns line up with it; a repeated header on a continuation page is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from budgetlens.amounts import is_amount, is_code
from budgetlens.chunk.aligned_grid import AlignedGrid, continuation_slots
from budgetlens.chunk.form import FormLayout, is_form
from budgetlens.chunk.grid import ALIGN, Grid, GridCell
from budgetlens.chunk.measures import column_unit
from budgetlens.chunk.models import Cell, Column, ColumnRole, Row, Table
from budgetlens.chunk.text import squeeze, strip_enumerator

PLACEHOLDERS = {"…", "……", "-", "—", "－", "/", "XX", "XXX", "x"}
LABEL_HEADERS = {"科目名称", "项目", "项目名称", "名称", "单位名称", "指标", "内容", "说明", "摘要", "备注"}
CODE_PARTS = ("类", "款", "项")
HEAD_ROWS = 2  # data rows right under a table's header that a continuation page may print again
# A figure with a comparison or a unit: a table body's value. Header digits are years, 栏次 and
# numbering ('2026年预算数', '（1）'), which this leaves out.
_QUANTITY = re.compile(r"^[≥≤＞＜>＜≧≦]|\d\s*[%％]|\d(?![\d.,年月日栏行）)、．.]|$)")


def build_table(grids: Sequence[Grid]) -> Table:
    first, *rest = grids
    builder = TableBuilder(first)
    for grid in rest:
        if not builder.extend(grid):
            break
    return builder.table()


class TableBuilder:
    """A table read from its first grid, extended page by page with the grids that continue it."""

    def __init__(self, grid: Grid):
        self.form = is_form(grid, _header_rows(grid))
        self.layout: _Layout | FormLayout = FormLayout(grid) if self.form else _Layout(grid)
        self.rows: list[Row] = []
        self.pages: list[int] = []
        self.decimals: Counter[int] = Counter()  # how many amounts print each count of decimals
        self._add(self.layout.rows(grid, start=self.layout.header_rows), grid.page)

    def extend(self, grid: Grid) -> bool:
        """Add a later grid whose columns line up with this table's; False (and nothing added) if not."""
        slots = self.layout.align(grid)
        if slots is None:
            return False
        more = self.layout.rows(grid, start=self.layout.repeated_header_rows(grid), slots=slots)
        places = self.decimals.most_common(1)[0][0] if self.decimals else 0
        if self.rows and more and _split_by_the_break(self.rows[-1], more[0], self.layout.columns, places):
            self.rows[-1] = _joined(self.rows[-1], more.pop(0))
        printed = {_texts(r) for r in self.rows[:HEAD_ROWS]}
        for row in more:  # the total row printed under the header, repeated with it atop the page
            if _texts(row) not in printed:
                break
            row.repeat = True
        self._add(more, grid.page)
        return True

    def _add(self, rows: list[Row], page: int) -> None:
        self.rows += rows
        self.pages.append(page)
        self.decimals.update(_decimals(c.text) for r in rows for c in r.cells.values() if is_amount(c.text))

    def table(self) -> Table:
        layout = self.layout
        return Table(
            form=self.form,
            pages=self.pages,
            box=layout.grid.box,
            columns=layout.columns,
            header=layout.header_cells(),
            rows=self.rows,
        )


def _texts(row: Row) -> tuple[tuple[int, str], ...]:
    return tuple((i, squeeze(c.text)) for i, c in sorted(row.cells.items()))


def _decimals(text: str) -> int:
    return len(text.rpartition(".")[2]) if "." in text else 0


def _split_by_the_break(last: Row, first: Row, columns: list[Column], places: int) -> bool:
    """The first row after a page break finishes the last row before it: every number it prints is a
    few digits under a number cut short of the table's decimals ('12,437.3' | '6')."""
    values = [c.index for c in columns if c.role == "value" and c.index in first.cells]
    if not values:
        return _label_cut(last, first, columns)
    for index in values:
        tail, head = first.cells[index].text.strip(), last.cells.get(index)
        if head is None or not tail.isdigit() or not is_amount(head.text) or "." not in head.text:
            return False
        if _decimals(head.text) + len(tail) != places:
            return False
    return True


def _label_cut(last: Row, first: Row, columns: list[Column]) -> bool:
    """A row after a page break that prints only the end of a label, under a label cut short
    ('杭州市公安局交通治安分局（水上' | '治安分局）'): no number, no code, no label of its own."""
    labels = {c.index for c in columns if c.role == "label"}
    if not first.cells or not all(i in labels and last.text(i) for i in first.cells):
        return False
    tail = "".join(squeeze(c.text) for c in first.cells.values())
    head = "".join(squeeze(last.text(i)) for i in first.cells)
    unclosed = head.count("（") + head.count("(") > head.count("）") + head.count(")")
    return (unclosed or len(tail) <= 4) and strip_enumerator(tail) == tail


def _joined(last: Row, first: Row) -> Row:
    cells = dict(last.cells)
    for index, cell in first.cells.items():
        above = cells.get(index)
        cells[index] = cell if above is None else above.model_copy(update={"text": above.text + cell.text})
    return Row(cells=dict(sorted(cells.items())), page=last.page)


def _by_row(grid: Grid) -> dict[int, list[GridCell]]:
    out: dict[int, list[GridCell]] = {r: [] for r in range(grid.n_rows)}
    for cell in grid.cells:
        out[cell.row].append(cell)
    return out


def _is_column_numbers(texts: list[str]) -> bool:
    """The 栏次 row: 1 2 3 … (or a label saying 栏次)."""
    marks = [t for t in texts if squeeze(t) in ("栏次", "**", "*")]
    if marks and all(t.isdigit() or t in marks for t in texts):
        return True
    if any(is_amount(t) and not t.isdigit() for t in texts):
        return False
    nums = [int(t) for t in texts if t.isdigit()]
    return len(nums) >= 2 and nums[-1] <= 99 and nums == list(range(nums[0], nums[0] + len(nums)))


def _is_data_row(grid: Grid, r: int, cells: list[GridCell]) -> bool:
    texts = [squeeze(c.text) for c in cells if c.text.strip()]
    if not texts:
        return True
    if _is_column_numbers(texts):
        return False
    if any(is_amount(t) for t in texts) or is_code(texts[0]) or texts[0] in PLACEHOLDERS:
        return True
    if any(_QUANTITY.search(t) for t in texts):
        return True  # '≥300场次', '95%': an indicator's value, which no header prints
    # A label opening the row with a blank cell beside it: a data row of a table without numbers.
    # Header rows have every slot labelled (by their own cells or by cells spanning from above).
    opens = any(c.col == 0 and c.text.strip() for c in cells)
    return r > 0 and opens and _has_blank_slot(grid, r)


def _has_blank_slot(grid: Grid, r: int) -> bool:
    covered: set[int] = set()
    for c in grid.cells:
        if c.text.strip() and c.row <= r < c.row + c.rowspan:
            covered.update(range(c.col, c.col + c.colspan))
    return len(covered) < grid.n_cols


def _header_rows(grid: Grid) -> int:
    by_row = _by_row(grid)
    for r in range(grid.n_rows):
        if _is_data_row(grid, r, by_row[r]):
            return r
    return grid.n_rows


class _Layout:
    """Column structure read from the first grid of a table."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.header_rows = _header_rows(grid)
        self.slot_texts = self._slot_header_texts()
        self.late = [self._late_header(s) for s in range(grid.n_cols)]
        roles = [self._role(s) for s in range(grid.n_cols)]
        self.slot_roles = roles
        self.columns, self.slot_column = self._columns(roles)

    # -- header -----------------------------------------------------------------------------------
    def _header_path(self, slot: int) -> list[tuple[int, str]]:
        """(cell id, text) per header level covering ``slot``, top first."""
        out: list[tuple[int, str]] = []
        for i, cell in enumerate(self.grid.cells):
            if cell.row >= self.header_rows or not (cell.col <= slot < cell.col + cell.colspan):
                continue
            text = squeeze(cell.text)
            if not text or text.isdigit() or text == "栏次":
                continue
            out.append((i, text))
        return out

    def _number(self, slot: int) -> str | None:
        """The 栏次 printed in the header block for this slot alone."""
        for cell in self.grid.cells:
            text = squeeze(cell.text)
            if cell.row < self.header_rows and cell.col == slot and cell.colspan == 1 and text.isdigit():
                return text
        return None

    def _slot_header_texts(self) -> list[list[tuple[int, str]]]:
        return [self._header_path(s) for s in range(self.grid.n_cols)]

    def _late_header(self, slot: int) -> list[tuple[int, str]]:
        """A sub-header printed in the first data row, under a header cell that spans several columns
        but has no sub-level of its own (本年支出 over 合计 | 基本支出 | 项目支出 on the 合计 row).
        Not when text continues below it: then the column holds row labels."""
        path = self.slot_texts[slot]
        if not path or self.grid.cells[path[-1][0]].colspan == 1:
            return []
        first: list[tuple[int, str]] = []
        for i, cell in enumerate(self.grid.cells):
            text = squeeze(cell.text)
            if cell.col != slot or cell.row < self.header_rows or not text or text in PLACEHOLDERS:
                continue
            if cell.row > self.header_rows and not is_amount(text):
                return []
            if cell.row == self.header_rows and not is_amount(text):
                first.append((i, text))
        return first

    def header_cells(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = [[] for _ in range(self.header_rows)]
        for cell in self.grid.cells:
            if cell.row < self.header_rows and cell.text:
                rows[cell.row].append(Cell(text=cell.text, page=self.grid.page, box=cell.box))
        return rows

    # -- roles ------------------------------------------------------------------------------------
    def _data_texts(self, slot: int) -> list[str]:
        late = {i for i, _ in self.late[slot]}
        return [
            squeeze(c.text)
            for i, c in enumerate(self.grid.cells)
            if c.row >= self.header_rows and c.col == slot and c.text.strip() and i not in late
        ]

    def _role(self, slot: int) -> ColumnRole:
        header = [t for _, t in self.slot_texts[slot]]
        joined = "".join(header)
        if "行次" in joined or "序号" in joined:
            return "ordinal"
        if (header and header[-1] in CODE_PARTS) or "编码" in joined or "代码" in joined:
            return "code"
        data = [t for t in self._data_texts(slot) if t not in PLACEHOLDERS]
        amounts = sum(is_amount(t) or bool(_QUANTITY.match(t)) for t in data)  # '≥300场次' is a value too
        if data and not header and all(is_code(t) for t in data):
            return "code"
        if data and len(data) - amounts > amounts:
            return "label"
        if data:
            return "value"
        return "label" if any(t in LABEL_HEADERS for t in header) else "value"

    def _columns(self, roles: list[ColumnRole]) -> tuple[list[Column], dict[int, int]]:
        columns: list[Column] = []
        slot_column: dict[int, int] = {}
        group, seen_value = 0, False
        for slot, role in enumerate(roles):
            if role in ("code", "label") and seen_value:
                group, seen_value = group + 1, False
            seen_value = seen_value or role == "value"
            prev = columns[-1] if columns else None
            if role == "code" and prev and prev.role == "code" and prev.group == group:
                slot_column[slot] = prev.index  # 类 | 款 | 项 printed apart: one code column
                continue
            path = [t for _, t in self.slot_texts[slot]]
            if role == "value":
                path += [t for _, t in self.late[slot]]
            number = self._number(slot) if role == "value" else None
            unit = column_unit(path) if role == "value" else None
            columns.append(
                Column(
                    index=len(columns), role=role, path=_dedupe(path), group=group, number=number, unit=unit
                )
            )
            slot_column[slot] = len(columns) - 1
        _drop_common_top(columns, [self.slot_texts[s] for s, r in enumerate(roles) if r == "value"])
        return columns, slot_column

    # -- rows -------------------------------------------------------------------------------------
    def rows(self, grid: Grid, start: int, slots: dict[int, int] | None = None) -> list[Row]:
        slots = slots or {s: s for s in range(grid.n_cols)}
        late: set[int] = set()
        if grid is self.grid:
            late = {i for s, role in enumerate(self.slot_roles) if role == "value" for i, _ in self.late[s]}
        by_row: dict[int, list[GridCell]] = {r: [] for r in range(start, grid.n_rows)}
        for i, cell in enumerate(grid.cells):
            if cell.row >= start and i not in late:
                by_row[cell.row].append(cell)
        return [self._row(grid, cells, slots) for cells in by_row.values()]

    def _row(self, grid: Grid, cells: list[GridCell], slots: dict[int, int]) -> Row:
        parts: dict[int, list[tuple[str, GridCell]]] = {}
        for cell in sorted(cells, key=lambda c: c.col):
            text = cell.text.strip()
            if text:
                parts.setdefault(self.slot_column[slots[cell.col]], []).append((text, cell))
        for code_col in [c for c in self.columns if c.role == "code" and c.index in parts]:
            text = join_code([t for t, _ in parts[code_col.index]])
            label = self._label_column(code_col.group)
            if not (is_code(text) or "…" in text or text in PLACEHOLDERS) and label is not None:
                # a label such as 合计 printed across the code and name columns
                parts.setdefault(label, []).insert(0, parts.pop(code_col.index)[0])
        row_cells: dict[int, Cell] = {}
        for column, items in parts.items():
            texts = [t for t, _ in items]
            role = self.columns[column].role
            text = join_code(texts) if role == "code" else "".join(texts) if role == "label" else texts[0]
            cell = items[0][1]
            label = role == "label"
            row_cells[column] = Cell(
                text=text,
                page=grid.page,
                box=cell.text_box or cell.box,
                indent=round(cell.indent, 2) if label else None,
                centred=label and cell.centred,
            )
        return Row(cells=dict(sorted(row_cells.items())), page=grid.page)

    def repeated_header_rows(self, grid: Grid) -> int:
        """Leading rows of a continuation page that repeat this table's header."""
        words = {squeeze(c.text) for c in self.grid.cells if c.row < self.header_rows and c.text.strip()}
        by_row = _by_row(grid)
        for r in range(grid.n_rows):
            texts = [squeeze(c.text) for c in by_row[r] if c.text.strip()]
            if not texts or not all(t in words or t in ("栏次", "**", "*") or t.isdigit() for t in texts):
                return r
        return grid.n_rows

    def _label_column(self, group: int) -> int | None:
        return next((c.index for c in self.columns if c.group == group and c.role == "label"), None)

    # -- continuation -----------------------------------------------------------------------------
    def align(self, grid: Grid) -> dict[int, int] | None:
        """Map a later grid's slots onto this table's slots, or None if the columns don't line up."""
        if isinstance(grid, AlignedGrid) or isinstance(self.grid, AlignedGrid):
            return continuation_slots(self.grid, grid)  # no rules to line up: where the text is
        if grid.n_cols != self.grid.n_cols:
            return _run_of(grid.xs, self.grid.xs)
        if any(abs(a - b) > ALIGN for a, b in zip(grid.xs, self.grid.xs, strict=True)):
            return None
        return {s: s for s in range(grid.n_cols)}


def _run_of(xs: Sequence[float], table_xs: Sequence[float]) -> dict[int, int] | None:
    """Slots of a grid whose rules are a run of the table's rules: a page where the cells spanning
    the left columns ended on the page before draws only the columns right of them."""
    n = len(xs)
    if n < 3 or n >= len(table_xs):
        return None
    for offset in range(len(table_xs) - n + 1):
        if all(abs(a - b) <= ALIGN for a, b in zip(xs, table_xs[offset : offset + n], strict=True)):
            return {s: s + offset for s in range(n - 1)}
    return None


def join_code(parts: list[str]) -> str:
    """Join a subject code printed as 类 | 款 | 项 ('206', '01', '01' → '2060101')."""
    parts = [p for p in (squeeze(p) for p in parts) if p]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    if all(p.isdigit() for p in parts) and len(parts[0]) == 3 and all(len(p) == 2 for p in parts[1:]):
        return "".join(parts)
    return max(parts, key=len)  # the full code was printed in one of the columns


def _dedupe(path: list[str]) -> list[str]:
    out: list[str] = []
    for p in path:
        if not out or out[-1] != p:
            out.append(p)
    return out


def _drop_common_top(columns: list[Column], value_paths: list[list[tuple[int, str]]]) -> None:
    """Leave out top header levels that span every value column (the contract's rule)."""
    values = [c for c in columns if c.role == "value"]
    drop = 0
    while value_paths and all(len(p) > drop + 1 for p in value_paths):
        tops = {p[drop][0] for p in value_paths}
        if len(tops) != 1:
            break
        drop += 1
    if drop:
        for column in values:
            column.path = column.path[drop:]
