"""A table's printed lines without rules → the `Grid` a ruled table would give.

Columns: the gaps that run down the whole table, between the phrases of its body and the lowest
cells of its header (a column nobody filled in is only in the header). Rows: each line of figures
(or codes) is a row; a line of labels alone joins the row whose figures are printed half a line
from it (a label wrapped over two lines, centred on its figures), else it is a row of its own.
Header: phrases wrapped over lines are one cell; a cell with cells under it spans the columns it
is centred over; each column's cells, top to bottom, are its header levels, and the lowest reaches
down to the body (a cell printed over several header rows).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING

from budgetlens.amounts import is_code
from budgetlens.chunk.grid import Grid, GridCell, _cell
from budgetlens.chunk.phrases import Phrase, Phrases, PrintedLine
from budgetlens.chunk.text import squeeze
from budgetlens.load.models import Word

if TYPE_CHECKING:
    from budgetlens.chunk.aligned import Block

MIN_GAP = 1.5  # points: a narrower gap between phrases does not part columns
WRAP = 0.55  # character heights: header lines closer than this are one cell's wrapped text
CENTRED = 0.06  # share of a run of columns its header's middle may be off the run's middle
HALF_ROW = 0.7  # share of the row pitch within which a label line joins a row of figures
PAD = 2.0  # points round the table's text: its edges
CELL_PAD = 3.0  # points between a cell's text set right (or left) and its rule, at most
LINE_PITCH = 1.4  # character heights: the lines of one cell's text are at most this far apart


class AlignedGrid(Grid):
    """A grid rebuilt from alignment: its column boundaries lie somewhere in the gaps between
    columns, so a page continuing it lines up by where its columns' text is, not by boundaries."""


def continuation_slots(first: Grid, later: Grid) -> dict[int, int] | None:
    """Each column of `later` → the column of `first` its text lies in; None when two of its
    columns fall in one, or its text lies outside `first`'s columns (another table)."""
    slots: dict[int, int] = {}
    for c in range(later.n_cols):
        boxes = [
            cell.text_box for cell in later.cells if cell.col == c and cell.colspan == 1 and cell.text_box
        ]
        x = (
            sum((b[0] + b[2]) / 2 for b in boxes) / len(boxes)
            if boxes
            else (later.xs[c] + later.xs[c + 1]) / 2
        )
        if not first.xs[0] - PAD <= x <= first.xs[-1] + PAD:
            return None
        slots[c] = max(0, min(first.n_cols - 1, bisect_right(first.xs, x) - 1))
    filled = [slots[c] for c in slots if any(cell.col == c and cell.text for cell in later.cells)]
    return slots if len(filled) == len(set(filled)) and len(set(filled)) >= 2 else None


@dataclass
class _HeadCell(Phrases):
    cols: tuple[int, int] = (0, 0)  # first and last column
    row: int = 0
    rowspan: int = 1

    @property
    def em(self) -> float:
        return min(p.em for p in self.phrases)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.phrases for w in p.words]


@dataclass
class _Row(Phrases):
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def mid(self) -> float:
        return sum(p.mid for p in self.phrases) / len(self.phrases)


def build(page: int, block: Block) -> Grid | None:
    """The grid of a table block, or None when it has fewer than two columns."""
    head: list[PrintedLine] = block.head
    body: list[PrintedLine] = block.body
    cells = _head_cells(head)
    leaves = [c for c in cells if _leaf(c, cells)]
    body_phrases = [p for line in body for p in line.phrases]
    xs = _columns(body_phrases, leaves)
    if len(xs) < 3:
        return None
    rows = _rows(body_phrases, xs)
    _place_head(cells, xs)
    n_head = max((c.row + c.rowspan for c in cells), default=0)
    ys = _ys(cells, n_head, rows)
    grid_cells = [_head_grid_cell(c, xs, ys) for c in cells]
    for r, row in enumerate(rows):
        grid_cells += _body_cells(row, n_head + r, xs, ys)
    grid_cells += _empty_cells(grid_cells, len(xs) - 1, len(ys) - 1, xs, ys)
    box = (xs[0], ys[0], xs[-1], ys[-1])
    cells_sorted = sorted(grid_cells, key=lambda c: (c.row, c.col))
    return AlignedGrid(page=page, box=box, xs=xs, ys=ys, cells=cells_sorted)


# -- header cells ---------------------------------------------------------------------------------


def _head_cells(head: list[PrintedLine]) -> list[_HeadCell]:
    """Header phrases, those wrapped under one another joined into one cell."""
    cells: list[_HeadCell] = []
    for line in head:
        for p in line.phrases:
            above = next((c for c in reversed(cells) if _wraps(c, p)), None)
            if above is None:
                cells.append(_HeadCell(phrases=[p]))
            else:
                above.phrases.append(p)
    return cells


def _wraps(cell: _HeadCell, p: Phrase) -> bool:
    if p.numeric != all(q.numeric for q in cell.phrases):
        return False  # a 栏次 number under a header's last line is not part of it
    last = max(cell.phrases, key=lambda q: q.y1)
    close = 0 <= p.y0 - last.y1 < WRAP * min(p.em, last.em) or (p.y0 > last.y0 and p.y0 - last.y1 < 0)
    overlap = min(cell.x1, p.x1) - max(cell.x0, p.x0)
    return close and overlap > 0.5 * min(cell.x1 - cell.x0, p.x1 - p.x0)


def _leaf(cell: _HeadCell, cells: list[_HeadCell]) -> bool:
    """No header cell under it: a column's own header, which says where the column is. Under it is
    below it (a gap apart) and nearer to it than to the cells printed beside it: a cell over several
    columns is centred over them, and may be narrower than the cells under it."""
    beside = [o for o in cells if o is not cell and _beside(o, cell)]
    left = max((o.x1 for o in beside if o.x1 <= cell.x0), default=-1e9)
    right = min((o.x0 for o in beside if o.x0 >= cell.x1), default=1e9)
    lo, hi = (left + cell.x0) / 2, (cell.x1 + right) / 2
    return not any(o.y0 >= cell.y1 + 0.3 * cell.em and o.x1 > lo and o.x0 < hi for o in cells)


def _beside(a: _HeadCell, b: _HeadCell) -> bool:
    """Printed on the same lines (their vertical extents overlap)."""
    return a.y0 < b.y1 and a.y1 > b.y0


def _place_head(cells: list[_HeadCell], xs: list[float]) -> None:
    """Columns and rows of the header cells: a leaf covers the columns it overlaps; a cell over
    others the columns it is centred over; rows by how many cells are over each."""
    placed: list[_HeadCell] = []
    for cell in sorted(cells, key=lambda c: (-c.y0, c.x0)):  # lowest first, then left to right
        cell.cols = _overlapped(cell, xs) if _leaf(cell, cells) else _centred_span(cell, cells, xs, placed)
        placed.append(cell)
    for cell in sorted(cells, key=lambda c: c.y0):
        over = [o for o in cells if o.y1 <= cell.y0 + 0.2 * cell.em and _share(o, cell)]
        cell.row = max((o.row + 1 for o in over), default=0)
    n_rows = max((c.row + 1 for c in cells), default=0)
    for cell in cells:
        under = [o.row for o in cells if o.row > cell.row and _share(o, cell)]
        cell.rowspan = min(under, default=n_rows) - cell.row


def _share(a: _HeadCell, b: _HeadCell) -> bool:
    return a.cols[0] <= b.cols[1] and b.cols[0] <= a.cols[1]


def _overlapped(cell: _HeadCell, xs: list[float]) -> tuple[int, int]:
    """The columns under a good part of the cell (a quarter of it), else the one under its middle."""
    least = max(0.3 * cell.em, 0.25 * (cell.x1 - cell.x0))
    cols = [c for c in range(len(xs) - 1) if min(cell.x1, xs[c + 1]) - max(cell.x0, xs[c]) > least]
    if not cols:
        cols = [max(0, min(len(xs) - 2, bisect_right(xs, (cell.x0 + cell.x1) / 2) - 1))]
    return (cols[0], cols[-1])


def _centred_span(
    cell: _HeadCell, cells: list[_HeadCell], xs: list[float], placed: list[_HeadCell]
) -> tuple[int, int]:
    """The run of columns a cell with cells under it is centred over: the widest run holding the
    columns it overlaps, none of a cell beside it (on its printed lines), and a middle within
    `CENTRED` of its width (or a character) of the cell's own."""
    core = _overlapped(cell, xs)
    n = len(xs) - 1
    beside = [o for o in cells if o is not cell and _beside(o, cell)]
    spans = [o.cols if o in placed else _overlapped(o, xs) for o in beside]
    blocked = {c for a, b in spans for c in range(a, b + 1)} | _other_level(cell, core, placed, n)
    if any(core[0] <= c <= core[1] for c in blocked):
        return core
    mid = (cell.x0 + cell.x1) / 2
    runs = []
    lo = core[0]
    while lo >= 0 and lo not in blocked:
        hi = core[1]
        while hi < n and hi not in blocked:
            width = xs[hi + 1] - xs[lo]
            off = abs((xs[lo] + xs[hi + 1]) / 2 - mid)
            runs.append((off <= max(CENTRED * width, cell.em), hi - lo, -off, (lo, hi)))
            hi += 1
        lo -= 1
    return max(runs)[3] if runs else core


def _other_level(cell: _HeadCell, core: tuple[int, int], placed: list[_HeadCell], n: int) -> set[int]:
    """Columns whose first cell under `cell` starts a level higher than the cells under its own
    columns: text is centred in its cell, so a cell printed over their row and the one above (合计
    beside 小计 | 购置费) has its middle higher than theirs. Only a lowest cell counts: one with
    cells under it is a level of its own (近两年收支金额 over 2023年 | 2024年)."""

    def first_under(c: int) -> _HeadCell | None:
        under = [o for o in placed if o.y0 >= cell.y1 - 0.2 * cell.em and o.cols[0] <= c <= o.cols[1]]
        return min(under, key=lambda o: o.y0, default=None)

    refs = [o for c in range(core[0], core[1] + 1) if (o := first_under(c)) is not None]
    if not refs:
        return set()
    middle = median((o.y0 + o.y1) / 2 for o in refs)
    out = set()
    for c in range(n):
        o = first_under(c)
        if o is not None and _leaf(o, placed) and (o.y0 + o.y1) / 2 < middle - 0.5 * cell.em:
            out.add(c)
    return out


def _head_grid_cell(cell: _HeadCell, xs: list[float], ys: list[float]) -> GridCell:
    c0, c1 = cell.cols
    return _cell(cell.row, c0, cell.row + cell.rowspan - 1, c1, xs, ys, cell.words)


# -- columns --------------------------------------------------------------------------------------


def _columns(body: list[Phrase], leaves: list[_HeadCell]) -> list[float]:
    """Column boundaries: the table's edges, and the middle of each gap between columns. A column
    is an island of body phrases (their extents overlap) with the lowest header cell over it: the
    one whose middle lies in it; else one beside it, on the side its phrases are not aligned to
    (figures set right sit right of their header, labels set left left of theirs). A header cell
    over no island is a column nobody filled in."""
    islands = _islands(body)
    units: list[list[float]] = [[i.x0, i.x1] for i in islands]
    has_head = [False] * len(units)
    loose: list[_HeadCell] = []
    for leaf in sorted(leaves, key=lambda c: c.x0 + c.x1):
        mid = (leaf.x0 + leaf.x1) / 2
        hit = next(
            (k for k, i in enumerate(islands) if i.x0 - 0.3 * leaf.em <= mid <= i.x1 + 0.3 * leaf.em), None
        )
        if hit is None:
            loose.append(leaf)
        else:
            has_head[hit] = True
            _widen(units[hit], leaf)
    extra: list[list[float]] = []
    for k_left, k_right, cells in _by_gap(loose, islands):
        right = k_right is not None and islands[k_right].align in ("right", "fixed") and not has_head[k_right]
        left = k_left is not None and islands[k_left].align in ("left", "fixed") and not has_head[k_left]
        if right and left and len(cells) == 1:  # one header for two columns: the nearer takes it
            near_right = islands[k_right].x0 - cells[0].x1 < cells[0].x0 - islands[k_left].x1  # type: ignore[index]
            right, left = near_right, not near_right
        if cells and right:
            _widen(units[k_right], cells.pop())  # type: ignore[index]
        if cells and left:
            _widen(units[k_left], cells.pop(0))  # type: ignore[index]
        extra += [[c.x0, c.x1] for c in cells]
    aligns = [i.align for i in islands] + [""] * len(extra)
    spans = sorted(zip([*units, *extra], aligns, strict=True), key=lambda u: u[0][0])
    merged: list[tuple[list[float], str]] = []
    for (a, b), align in spans:
        if merged and a < merged[-1][0][1] + MIN_GAP:
            merged[-1] = ([merged[-1][0][0], max(merged[-1][0][1], b)], "")
        else:
            merged.append(([a, b], align))
    if not merged:
        return []
    xs = [merged[0][0][0] - PAD]
    xs += [_boundary(left, right) for left, right in zip(merged, merged[1:], strict=False)]
    return [*xs, merged[-1][0][1] + PAD]


def _boundary(left: tuple[list[float], str], right: tuple[list[float], str]) -> float:
    """Where one column ends and the next begins, in the gap between their text: just after
    figures set right, just before labels set left (a cell's padding from its rule), else midway."""
    (_, end), align = left
    (start, _), next_align = right
    room = min(CELL_PAD, (start - end) / 2)
    if align == "right":
        return end + room
    if next_align == "left":
        return start - room
    return (end + start) / 2


@dataclass
class _Island(Phrases):
    """Body phrases whose extents overlap: one column's text."""

    @property
    def align(self) -> str:
        """'left', 'right', 'centre', or 'fixed' (all alike: one phrase, or codes of one length)."""
        spread = {
            "left": _spread([p.x0 for p in self.phrases]),
            "right": _spread([p.x1 for p in self.phrases]),
            "centre": _spread([(p.x0 + p.x1) / 2 for p in self.phrases]),
        }
        if max(spread.values()) <= MIN_GAP:
            return "fixed"
        return min(spread, key=lambda k: spread[k])


def _spread(values: list[float]) -> float:
    return max(values) - min(values)


def _islands(body: list[Phrase]) -> list[_Island]:
    out: list[_Island] = []
    for p in sorted(body, key=lambda p: p.x0):
        if out and p.x0 < out[-1].x1 + MIN_GAP:
            out[-1].phrases.append(p)
        else:
            out.append(_Island(phrases=[p]))
    return out


def _by_gap(
    loose: list[_HeadCell], islands: list[_Island]
) -> list[tuple[int | None, int | None, list[_HeadCell]]]:
    """Header cells over no island, grouped by the gap between islands they lie in: (the island
    left of it, the island right of it, the cells)."""
    gaps: dict[int, list[_HeadCell]] = {}
    for cell in loose:
        mid = (cell.x0 + cell.x1) / 2
        gaps.setdefault(sum(i.x1 < mid for i in islands), []).append(cell)
    out: list[tuple[int | None, int | None, list[_HeadCell]]] = []
    for k, cells in sorted(gaps.items()):
        left = k - 1 if k > 0 else None
        right = k if k < len(islands) else None
        out.append((left, right, sorted(cells, key=lambda c: c.x0)))
    return out


def _widen(unit: list[float], cell: _HeadCell) -> None:
    unit[0], unit[1] = min(unit[0], cell.x0), max(unit[1], cell.x1)


def _column_of(p: Phrase, xs: list[float]) -> int:
    return max(0, min(len(xs) - 2, bisect_right(xs, (p.x0 + p.x1) / 2) - 1))


# -- rows -----------------------------------------------------------------------------------------


def _rows(body: list[Phrase], xs: list[float]) -> list[_Row]:
    """Lines of figures or codes are rows. A label line joins one: the lines of a cell's text
    printed close together and centred on a row's line; else a line half a row from it (a label
    over two lines, centred on its figures); else one of a pair either side of it; else it is a
    row of its own."""
    slots = _slots(body)
    anchors = [s for s in slots if _anchor(s, xs)]
    pitch = _pitch(slots) or 2 * median(p.em for p in body)
    rows: dict[int, _Row] = {id(s): _Row(phrases=list(s)) for s in anchors}
    centred = _centred_texts(body, anchors, xs)
    for slot in (s for s in slots if not _anchor(s, xs)):
        left: list[Phrase] = []
        for p in slot:
            if id(p) in centred:
                rows[id(centred[id(p)])].phrases.append(p)
            else:
                left.append(p)
        if not left:
            continue
        target = _nearest(left, anchors, pitch) or _mirrored(left, slots, anchors, pitch, xs)
        if target is None:
            rows[id(slot)] = _Row(phrases=left)
        else:
            rows[id(target)].phrases += left
    return sorted(rows.values(), key=lambda r: r.mid)


def _centred_texts(
    body: list[Phrase], anchors: list[list[Phrase]], xs: list[float]
) -> dict[int, list[Phrase]]:
    """Phrases of a cell's text over several lines (each close under the one before, in one
    column) whose middle is a row's line: phrase id → that row's anchor line."""
    out: dict[int, list[Phrase]] = {}
    by_column: dict[int, list[Phrase]] = {}
    for p in body:
        by_column.setdefault(_column_of(p, xs), []).append(p)
    for phrases in by_column.values():
        for chain in _chains(sorted(phrases, key=lambda p: p.y0)):
            mid = (chain[0].y0 + chain[-1].y1) / 2
            inside = [a for a in anchors if chain[0].y0 <= _mid(a) <= chain[-1].y1]
            if len(chain) >= 2 and len(inside) == 1 and abs(_mid(inside[0]) - mid) <= 0.6 * chain[0].em:
                out |= {id(p): inside[0] for p in chain}
    return out


def _chains(phrases: list[Phrase]) -> list[list[Phrase]]:
    """Runs of phrases each starting close under the one before (a third of a character at most)."""
    chains: list[list[Phrase]] = []
    for p in phrases:
        if chains and p.y0 - chains[-1][-1].y1 < 0.3 * p.em and p.y0 > chains[-1][-1].mid:
            chains[-1].append(p)
        else:
            chains.append([p])
    return chains


def _slots(body: list[Phrase]) -> list[list[Phrase]]:
    """Phrases whose middles lie within a third of a character height of each other: one printed line."""
    slots: list[list[Phrase]] = []
    for p in sorted(body, key=lambda p: p.mid):
        if slots and p.mid - sum(q.mid for q in slots[-1]) / len(slots[-1]) <= 0.35 * p.em:
            slots[-1].append(p)
        else:
            slots.append([p])
    return slots


def _anchor(slot: list[Phrase], xs: list[float]) -> bool:
    """A line holding a figure or a code, or phrases in two columns or more: a row of its own."""
    if any(p.numeric or is_code(squeeze(p.text)) for p in slot):
        return True
    return len({_column_of(p, xs) for p in slot}) >= 2


def _pitch(slots: list[list[Phrase]]) -> float | None:
    """The usual distance between printed lines of the body: a row's height, mostly."""
    mids = [_mid(s) for s in slots]
    steps = [b - a for a, b in zip(mids, mids[1:], strict=False)]
    return median(steps) if steps else None


def _mid(slot: list[Phrase]) -> float:
    return sum(p.mid for p in slot) / len(slot)


def _nearest(slot: list[Phrase], anchors: list[list[Phrase]], pitch: float) -> list[Phrase] | None:
    if not anchors:
        return None
    best = min(anchors, key=lambda a: abs(_mid(a) - _mid(slot)))
    return best if abs(_mid(best) - _mid(slot)) <= HALF_ROW * pitch else None


def _mirrored(
    slot: list[Phrase], slots: list[list[Phrase]], anchors: list[list[Phrase]], pitch: float, xs: list[float]
) -> list[Phrase] | None:
    """A label printed over three lines or more, centred on its figures: the line above and the one
    below the row's own line, as far from it, in the same column as a label of the row."""
    cols = {_column_of(p, xs) for p in slot}
    em = slot[0].em
    for anchor in anchors:
        d = _mid(slot) - _mid(anchor)
        if abs(d) > LINE_PITCH * em or not cols <= {_column_of(p, xs) for p in anchor}:
            continue
        twin = [s for s in slots if s is not slot and abs((_mid(s) - _mid(anchor)) + d) < 0.3 * em]
        if any(cols == {_column_of(p, xs) for p in s} for s in twin):
            return anchor
    return None


# -- coordinates ----------------------------------------------------------------------------------


def _ys(cells: list[_HeadCell], n_head: int, rows: list[_Row]) -> list[float]:
    """Row boundaries: the header's rows from the tops of their cells, then the middle of the gap
    between each pair of rows."""
    ys: list[float] = []
    for r in range(n_head):
        tops = [c.y0 for c in cells if c.row == r]
        y = min(tops) - PAD if tops else (ys[-1] + 1 if ys else rows[0].y0 - 1)
        ys.append(y if not ys else max(y, ys[-1] + 0.5))
    bottom_of_head = max((c.y1 for c in cells), default=None)
    for i, row in enumerate(rows):
        above = bottom_of_head if i == 0 else rows[i - 1].y1
        y = row.y0 - PAD if above is None else (above + row.y0) / 2
        ys.append(y if not ys else max(y, ys[-1] + 0.5))
    ys.append(rows[-1].y1 + PAD if rows else ys[-1] + 1)
    return ys


def _empty_cells(
    cells: list[GridCell], n_cols: int, n_rows: int, xs: list[float], ys: list[float]
) -> list[GridCell]:
    """A cell for every slot nothing is printed in, as a ruled grid has (forms are told from tables
    by how their rows are divided: chunk/form.py)."""
    taken = {
        (r, c)
        for cell in cells
        for r in range(cell.row, cell.row + cell.rowspan)
        for c in range(cell.col, cell.col + cell.colspan)
    }
    return [
        _cell(r, c, r, c, xs, ys, []) for r in range(n_rows) for c in range(n_cols) if (r, c) not in taken
    ]


def _body_cells(row: _Row, r: int, xs: list[float], ys: list[float]) -> list[GridCell]:
    by_col: dict[int, list[Word]] = {}
    for p in row.phrases:
        by_col.setdefault(_column_of(p, xs), []).extend(p.words)
    return [_cell(r, c, r, c, xs, ys, words) for c, words in sorted(by_col.items())]
