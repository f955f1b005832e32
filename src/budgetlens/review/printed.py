"""A table's header drawn as printed: each header cell in the document's own words, spanning the
columns (and header rows) its box covers, so a side-by-side table (人员经费 | 公用经费) or a
two-sided one (收入 | 支出) reads in the report as it does on the page."""

from __future__ import annotations

from html import escape
from statistics import median

from budgetlens.chunk.models import Cell, Column, Table


def header_rows(table: Table) -> list[str]:
    """The `<tr>` rows of the header: as printed when every column can be placed under its header
    cells, else one row of header paths."""
    centres = _centres(table)
    if table.header and len(centres) == len(table.columns):
        rows = _printed(table, centres)
        if rows:
            return rows
    heads = "".join(f"<th>{escape(' · '.join(c.path))}</th>" for c in table.columns)
    return [f"<tr>{heads}</tr>"]


def group_starts(table: Table) -> set[int]:
    """Indexes of the columns that open a side-by-side group after the first: drawn with a rule."""
    return {c.index for a, c in zip(table.columns, table.columns[1:], strict=False) if c.group != a.group}


def _printed(table: Table, centres: dict[int, float]) -> list[str]:
    taken: set[tuple[int, int]] = set()  # (header row, column) drawn by a cell above
    middles = [median((c.box[1] + c.box[3]) / 2 for c in row) if row else 0.0 for row in table.header]
    out = []
    for r, row in enumerate(table.header):
        cells = []
        for cell, covered in _spans(row, table.columns, centres):
            if (r, covered[0]) in taken:
                continue
            down = [
                r2 for r2 in range(r + 1, len(middles)) if cell and cell.box[1] < middles[r2] < cell.box[3]
            ]
            taken.update((r2, i) for r2 in down for i in covered)
            span = f' colspan="{len(covered)}"' * (len(covered) > 1) + f' rowspan="{len(down) + 1}"' * bool(
                down
            )
            cells.append(f"<th{span}>{escape(cell.text) if cell else ''}</th>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    return out


def _spans(
    row: list[Cell], columns: list[Column], centres: dict[int, float]
) -> list[tuple[Cell | None, list[int]]]:
    """Consecutive columns under the same header cell of this row (None: under none of them)."""
    spans: list[tuple[Cell | None, list[int]]] = []
    for column in columns:
        x = centres[column.index]
        cell = next((c for c in row if c.box[0] <= x <= c.box[2]), None)
        if spans and spans[-1][0] is cell and cell is not None:
            spans[-1][1].append(column.index)
        else:
            spans.append((cell, [column.index]))
    return spans


def _centres(table: Table) -> dict[int, float]:
    """Each column's horizontal middle on the page: from the cells printed in it; for an empty
    column, from the bottom header row when it has one cell per column, else from the header cell
    printing its name."""
    out: dict[int, float] = {}
    for column in table.columns:
        xs = [(c.box[0] + c.box[2]) / 2 for row in table.rows if (c := row.cells.get(column.index))]
        if xs:
            out[column.index] = median(xs)
    bottom = sorted(table.header[-1], key=lambda c: c.box[0]) if table.header else []
    if len(bottom) == len(table.columns):
        pairs = zip(table.columns, bottom, strict=True)
        return {c.index: out.get(c.index, (h.box[0] + h.box[2]) / 2) for c, h in pairs}
    known = list(out.values())
    for column in table.columns:
        if column.index not in out and column.path:
            cell = _named(table, column.path[-1], known)
            if cell is not None:
                out[column.index] = (cell.box[0] + cell.box[2]) / 2
    return out


def _named(table: Table, name: str, taken: list[float]) -> Cell | None:
    """The lowest header cell printing `name` under which no other column lies."""
    for row in reversed(table.header):
        for cell in row:
            free = not any(cell.box[0] <= x <= cell.box[2] for x in taken)
            if free and "".join(cell.text.split()) == name:
                return cell
    return None
