"""Ruling lines + word boxes → the cell grid of each ruled table on a page.

Cell text comes from word boxes, never from a table parser's strings: a word belongs to the
cell that contains its centre, and a cell's words are read line by line, left to right.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from pydantic import BaseModel

from budgetlens.chunk.text import group_lines, join_words, union
from budgetlens.load.models import Box, Page, Rule, Word

SNAP = 2.0  # points: coordinates closer than this are the same line
MIN_CELL = 4.0  # points: slots narrower than this are drawing noise
ALIGN = 6.0  # points: column boundaries of continuation pages must line up this closely
CENTRED = 1.0  # character heights: text this far from both sides alike is centred, not indented


class GridCell(BaseModel):
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str
    box: Box  # the cell's ruled rectangle
    text_box: Box | None = None  # the words' extent, when the cell has text
    indent: float = 0.0  # from the cell's left rule to its first printed character, in character heights
    centred: bool = False  # as far from both rules: perhaps centred rather than indented


class Grid(BaseModel):
    page: int
    box: Box
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[GridCell]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def find_grids(page: Page) -> list[Grid]:
    """Every ruled table on the page, top to bottom."""
    hs, vs = _split(page.rules)
    grids = [_grid(page, h, v) for h, v in _components(hs, vs)]
    return sorted((g for g in grids if g is not None), key=lambda g: g.box[1])


def _split(rules: Sequence[Rule]) -> tuple[list[Rule], list[Rule]]:
    hs = [r for r in rules if r.y1 - r.y0 <= SNAP and r.x1 - r.x0 > SNAP]
    vs = [r for r in rules if r.x1 - r.x0 <= SNAP and r.y1 - r.y0 > SNAP]
    return _merge(hs, horizontal=True), _merge(vs, horizontal=False)


def _merge(rules: list[Rule], horizontal: bool) -> list[Rule]:
    """Join collinear pieces that touch, so a border drawn cell by cell becomes one line."""

    def pos(r: Rule) -> float:
        return (r.y0 + r.y1) / 2 if horizontal else (r.x0 + r.x1) / 2

    def span(r: Rule) -> tuple[float, float]:
        return (r.x0, r.x1) if horizontal else (r.y0, r.y1)

    lines: list[list[Rule]] = []
    for r in sorted(rules, key=pos):
        if lines and pos(r) - pos(lines[-1][0]) <= SNAP:
            lines[-1].append(r)
        else:
            lines.append([r])
    out: list[Rule] = []
    for line in lines:
        at = sum(pos(r) for r in line) / len(line)
        pieces: list[list[float]] = []
        for a, b in sorted(span(r) for r in line):
            if pieces and a <= pieces[-1][1] + SNAP:
                pieces[-1][1] = max(pieces[-1][1], b)
            else:
                pieces.append([a, b])
        for a, b in pieces:
            out.append(Rule(x0=a, y0=at, x1=b, y1=at) if horizontal else Rule(x0=at, y0=a, x1=at, y1=b))
    return out


def _components(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Group rules that cross or touch each other: one group per table."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        y = (h.y0 + h.y1) / 2
        for j, v in enumerate(vs):
            x = (v.x0 + v.x1) / 2
            if h.x0 - SNAP <= x <= h.x1 + SNAP and v.y0 - SNAP <= y <= v.y1 + SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= MIN_CELL:
            continue
        out.append(v)
    return out


def _grid(page: Page, hs: list[Rule], vs: list[Rule]) -> Grid | None:
    ys = _positions([(h.y0 + h.y1) / 2 for h in hs] + [min(v.y0 for v in vs), max(v.y1 for v in vs)])
    xs = _positions([(v.x0 + v.x1) / 2 for v in vs] + [min(h.x0 for h in hs), max(h.x1 for h in hs)])
    if len(xs) < 2 or len(ys) < 2:
        return None
    spans = _spans(xs, ys, hs, vs)
    words = _words_by_cell(page.words, xs, ys, spans)
    cells = [
        _cell(r0, c0, r1, c1, xs, ys, words.get((r0, c0), [])) for (r0, c0), (r1, c1) in sorted(spans.items())
    ]
    return Grid(page=page.number, box=(xs[0], ys[0], xs[-1], ys[-1]), xs=xs, ys=ys, cells=cells)


def _covered(rules: list[Rule], at: float, lo: float, hi: float, horizontal: bool) -> bool:
    """Is there a ruling line at ``at`` covering the middle of [lo, hi]?"""
    mid = (lo + hi) / 2
    for r in rules:
        pos = (r.y0 + r.y1) / 2 if horizontal else (r.x0 + r.x1) / 2
        a, b = (r.x0, r.x1) if horizontal else (r.y0, r.y1)
        if abs(pos - at) <= SNAP and a - SNAP <= mid <= b + SNAP:
            return True
    return False


def _spans(
    xs: list[float], ys: list[float], hs: list[Rule], vs: list[Rule]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Merge slots not separated by a drawn line; return top-left slot → bottom-right slot."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _covered(vs, xs[c + 1], ys[r], ys[r + 1], horizontal=False):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not _covered(hs, ys[r + 1], xs[c], xs[c + 1], horizontal=True):
                parent[find((r + 1, c))] = find((r, c))
    extent: dict[tuple[int, int], list[int]] = {}
    for r, c in parent:
        e = extent.setdefault(find((r, c)), [r, c, r, c])
        e[0], e[1], e[2], e[3] = min(e[0], r), min(e[1], c), max(e[2], r), max(e[3], c)
    return {(e[0], e[1]): (e[2], e[3]) for e in extent.values()}


def _words_by_cell(
    words: list[Word], xs: list[float], ys: list[float], spans: dict[tuple[int, int], tuple[int, int]]
) -> dict[tuple[int, int], list[Word]]:
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in spans.items():
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                owner[(r, c)] = (r0, c0)
    out: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        cx, cy = (w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2
        if not (xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]):
            continue
        slot = (bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1)
        out.setdefault(owner[slot], []).append(w)
    return out


def _cell(
    r0: int, c0: int, r1: int, c1: int, xs: list[float], ys: list[float], words: list[Word]
) -> GridCell:
    lines = group_lines(words)
    text = "".join(join_words(line) for line in lines)
    return GridCell.model_construct(  # built here from the page: nothing to validate
        row=r0,
        col=c0,
        rowspan=r1 - r0 + 1,
        colspan=c1 - c0 + 1,
        text=text,
        box=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
        text_box=union(w.box for w in words) if words else None,
        indent=_indent(lines[0][0], xs[c0]) if lines else 0.0,
        centred=_centred(lines, xs[c0], xs[c1 + 1]),
    )


def _glyph_x(word: Word) -> float:
    """Where a word's first printed character starts: leading ideographic spaces ('\u3000\u3000行政运行',
    the way budget systems indent) print nothing."""
    blank = len(word.text) - len(word.text.lstrip())
    return word.box[0] + blank * (word.box[2] - word.box[0]) / max(len(word.text), 1)


def _em(word: Word) -> float:
    return max(word.box[3] - word.box[1], 1.0)


def _indent(word: Word, left: float) -> float:
    """How far in the first printed character starts, in character heights (ems)."""
    return (_glyph_x(word) - left) / _em(word)


def _centred(lines: list[list[Word]], left: float, right: float) -> bool:
    if len(lines) != 1:
        return False
    em = _em(lines[0][0])
    gap = _glyph_x(lines[0][0]) - left
    return gap > CENTRED * em and abs(gap - (right - lines[0][-1].box[2])) < em / 2
