"""Tables printed without ruling lines, or with only some of them, found from the alignment of
their words: the same `Grid`s as ruled tables give (chunk/grid.py), so everything downstream
(TableBuilder, forms, continuation over pages) reads them alike.

Where a table is: a block of printed lines with figures standing apart in columns that line up
from line to line (right edges, centres or left edges of numbers overlapping), its header the
lines just above the first line of figures, up to the title, the unit line or a rule across.
Strict, so that narrative (figures inside sentences), contents pages (dot leaders, page numbers)
and signature blocks never become tables: the figures must stand apart from the words around them,
line up in at least two lines, and either fill two columns or sit under a header.

Three-line tables (rules over and under the header and under the table) and tables in an outer
frame only are read the same way; their rules bound the header and the table. How the block
becomes a grid — columns, rows, spanning header cells — is chunk/aligned_grid.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetlens.amounts import is_amount, is_code
from budgetlens.chunk import headings
from budgetlens.chunk.aligned_grid import build
from budgetlens.chunk.grid import Grid, find_grids
from budgetlens.chunk.phrases import Phrase, PrintedLine, printed_lines
from budgetlens.chunk.table_head import is_caption, names_table
from budgetlens.chunk.text import squeeze, strip_enumerator
from budgetlens.load.models import Page, Rule, Word

LINE_GAP = 4.0  # character heights: a wider gap between printed lines ends a table
HEAD_GAP = 4.5  # … and between the header's lines, or the header and the first row
HEAD_LINES = 8  # a header is at most this many printed lines
MIN_ROWS = 2  # lines of figures a table has at least (one, under a header, with three figures or more)
LONG = 40  # characters: a phrase this long is a sentence, not a cell
TITLE = 1.25  # a line in a type this much larger than the body's is a title, not a header
HEAD_CHARS = 24  # … and a header cell's line is at most this long
_LEADER = re.compile(r"[.．·…。]{4,}|…{2,}|-{4,}")
_SENTENCE = re.compile(r"[。；;]|[，,].*[，,]")
_CLAUSE = re.compile(r"[，。；]")  # a header cell is a name, never a clause
_YEAR = re.compile(r"^(19|20)\d\d$")
MARGIN = 0.08  # share of the page height where page numbers are printed
_PAGE_NUMBER = re.compile(r"^[-—\s]*(第\s*)?\d+(\s*页)?[-—\s]*$|^\d+\s*/\s*\d+$")


@dataclass
class Block:
    """The printed lines of one table without rules: its header lines and its body lines."""

    head: list[PrintedLine]
    body: list[PrintedLine]
    rules: list[Rule]  # horizontal rules across it (a three-line table's), for the grid's bounds


def page_grids(page: Page) -> list[Grid]:
    """Every table on the page, top to bottom: ruled grids, and grids rebuilt from alignment where
    a table has no rules, only rules across (three-line), or only a frame."""
    ruled = find_grids(page)
    frames = [g for g in ruled if g.n_cols == 1]
    kept = [g for g in ruled if g.n_cols > 1]
    free = [w for w in page.words if not any(_inside(g.box, w.box) for g in kept) and not _folio(w, page)]
    aligned = [build(page.number, b) for b in find_blocks(free, _across(page, kept))]
    found = [g for g in aligned if g is not None]
    # an outer frame around a table without inner rules is no table of its own
    frames = [f for f in frames if not any(_inside(f.box, _centre_box(g.box)) for g in found)]
    return sorted(kept + frames + found, key=lambda g: g.box[1])


def find_blocks(words: list[Word], rules: list[Rule]) -> list[Block]:
    lines = printed_lines(words)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if not _row_like(lines[i]):
            i += 1
            continue
        end = _body_end(lines, i, rules)
        floor = blocks[-1].body[-1].y1 if blocks else None
        first = _body_start(lines, i, end, floor)
        extent = (min(ln.x0 for ln in lines[first:end]), max(ln.x1 for ln in lines[first:end]))
        start = _head_start(lines, first, rules, floor, extent)
        block = _numbers_row_to_head(Block(head=lines[start:first], body=lines[first:end], rules=rules))
        if _is_table(block):
            blocks.append(block)
            i = end
        else:
            i += 1
    return blocks


def _row_like(line: PrintedLine) -> bool:
    """A line that may be a table row: a figure standing apart, and no sentence or dot leader."""
    if _LEADER.search(line.text) or any(_sentence(p) for p in line.phrases):
        return False
    return any(_figure(p) for p in line.phrases) and len(line.phrases) >= 2 or _figures(line) >= 3


def _figure(p: Phrase) -> bool:
    return p.numeric and not _YEAR.match(squeeze(p.text))


def _figures(line: PrintedLine) -> int:
    return sum(_figure(p) for p in line.phrases)


def _sentence(p: Phrase) -> bool:
    t = squeeze(p.text)
    return len(t) > LONG or bool(_SENTENCE.search(t))


def _body_end(lines: list[PrintedLine], i: int, rules: list[Rule]) -> int:
    """The first line after the table body that starts at line i."""
    left, right = lines[i].x0, lines[i].x1
    j = i + 1
    while j < len(lines):
        line, prev = lines[j], lines[j - 1]
        if line.y0 - prev.y1 > LINE_GAP * prev.em or _rule_between(rules, prev, line):
            break
        if _is_note(line) or headings.heading_level(line.text) == 1:
            break
        prose = _LEADER.search(line.text) or any(_sentence(p) for p in line.phrases)
        if prose and not _cell_text(line, lines[i:j], right - left):
            break
        wide = line.x0 < left - 3 * line.em and line.x1 > right - line.em
        if not _figures(line) and len(line.phrases) <= 2 and wide:
            break  # a line of text as wide as the page, not a row of labels
        left, right = min(left, line.x0), max(right, line.x1)
        j += 1
    while j - 1 > i and not _figures(lines[j - 1]):
        starts = [p.x0 for ln in lines[i : j - 1] for p in ln.phrases]
        kinds = [(p.x0, _coded(p)) for ln in lines[i : j - 1] for p in ln.phrases]
        if _in_a_column(lines[j - 1], starts) or _set_like_rows(lines[j - 1], kinds):
            break
        j -= 1  # a line after the last row that starts where no column does: a caption, a signature
    return j


def _cell_text(line: PrintedLine, body: list[PrintedLine], width: float) -> bool:
    """A line of a long text in one cell of the rows above (a project's reasons, an indicator's
    basis): it starts where a phrase of those rows does, and is narrower than half the table."""
    starts = [p.x0 for ln in body for p in ln.phrases]
    return _in_a_column(line, starts, tight=True) and all(p.x1 - p.x0 < width / 2 for p in line.phrases)


def _in_a_column(line: PrintedLine, starts: list[float], tight: bool = False) -> bool:
    """Every phrase of the line starts where a phrase of the rows does (a label column)."""
    near = line.em * (0.2 if tight else 1.0)
    return all(any(abs(p.x0 - x) < near for x in starts) for p in line.phrases)


def _is_note(line: PrintedLine) -> bool:
    t = squeeze(line.text)
    return bool(re.match(r"^(注|说明|备注|附注)\d?[:：]", t)) or t.startswith(("单位负责人", "制表"))


def _body_start(lines: list[PrintedLine], i: int, end: int, floor: float | None) -> int:
    """Rows without figures over the first row of figures: lines whose phrases start where the body's
    phrases do (labels set left in their columns; a header is centred in its cells), or numbered
    labels in a label column (a page continuing a table without its header: '十六、金融支出')."""
    starts = [p.x0 for ln in lines[i:end] for p in ln.phrases]
    kinds = [(p.x0, _coded(p)) for ln in lines[i:end] for p in ln.phrases]
    labels = [p.x0 for ln in lines[i:end] if _figures(ln) for p in ln.phrases]
    while i > 0 and (floor is None or lines[i - 1].y0 > floor):
        line = lines[i - 1]
        if lines[i].y0 - line.y1 > LINE_GAP * line.em:
            break
        numbered = all(strip_enumerator(squeeze(p.text)) != squeeze(p.text) for p in line.phrases)
        close = lines[i].y0 - line.y1 < line.em  # the first lines of a cell's text centred on its row
        wrapped = close and len(line.phrases) == 1 and _in_a_column(line, starts, tight=True)
        if not (numbered and _in_a_column(line, labels)) and not _set_like_rows(line, kinds) and not wrapped:
            break
        starts += [p.x0 for p in line.phrases]
        kinds += [(p.x0, _coded(p)) for p in line.phrases]
        i -= 1
    return i


def _set_like_rows(line: PrintedLine, starts: list[tuple[float, bool]]) -> bool:
    """Two phrases or more, half of them at least, starting where phrases of the rows do, and of
    their kind: figures or codes where theirs are, words where theirs are (a header's '科目编码'
    over a column of codes is no row)."""
    near = 0.2 * line.em
    hits = sum(any(abs(p.x0 - x) < near and _coded(p) == coded for x, coded in starts) for p in line.phrases)
    return hits >= 2 and hits >= 0.5 * len(line.phrases)


def _coded(p: Phrase) -> bool:
    t = squeeze(p.text)
    return p.numeric or is_code(t) or t.isdigit()


def _head_start(
    lines: list[PrintedLine], i: int, rules: list[Rule], floor: float | None, extent: tuple[float, float]
) -> int:
    """The first line of the header over the body starting at line i (spanning `extent`): the lines
    above it up to the title, a caption or unit line, a rule across, a sentence or a wide gap."""
    start = i
    left, right = extent
    body_em = lines[i].em
    while start > 0 and i - start < HEAD_LINES:
        line, below = lines[start - 1], lines[start]
        if floor is not None and line.y0 < floor:
            break
        if below.y0 - line.y1 > HEAD_GAP * line.em:
            break
        if start < i and _rule_between(rules, line, below):
            break  # the rule over the header; the one under it (over the body) is crossed
        if not _header_line(line, left, right) or line.em > TITLE * body_em:
            break  # … or a title in a larger type
        right = max(right, line.x1)
        start -= 1
    return start


def _header_line(line: PrintedLine, left: float, right: float) -> bool:
    t = squeeze(line.text)
    if is_caption(t) or names_table(t) or headings.heading_level(t) is not None or _is_note(line):
        return False
    if any(_sentence(p) for p in line.phrases) or _LEADER.search(line.text) or _CLAUSE.search(line.text):
        return False
    # a header may run on to the right of the body (columns nobody filled in are only in the header)
    # and start left of it (figures set right in wide columns, under headers centred in them)
    short = all(len(squeeze(p.text)) <= HEAD_CHARS for p in line.phrases)
    return short and line.x1 > left - 6 * line.em


def _numbers_row_to_head(block: Block) -> Block:
    """A 栏次 line (1 2 3 …, or 栏次 and numbers) opening the body belongs to the header."""
    body = block.body
    while body and _column_numbers(body[0]):
        block = Block(head=[*block.head, body[0]], body=body[1:], rules=block.rules)
        body = block.body
    return block


def _column_numbers(line: PrintedLine) -> bool:
    """The 栏次 line: 1 2 3 … under the value columns (beside the labels' own headers: 类 款 项
    科目名称), or 栏次 and numbers."""
    texts = [squeeze(p.text) for p in line.phrases]
    nums = [int(t) for t in texts if t.isdigit()]
    if len(nums) < 2 or nums != list(range(nums[0], nums[0] + len(nums))) or nums[-1] > 99:
        return False
    return not any(is_amount(t) or is_code(t) for t in texts if not t.isdigit())


def _is_table(block: Block) -> bool:
    """Figures in columns: two columns lined up over two lines or more; or, under a header of two
    cells or more, one column over two lines (three lines at least in all), or three figures or more
    in one line, or two under a header with a cell over (nearly) every phrase of the line."""
    rows = [ln for ln in block.body if _figures(ln)]
    if not rows:
        return False
    aligned = [c for c in _figure_columns(rows) if c >= MIN_ROWS]
    named = any(sum(not _figure(p) for p in ln.phrases) >= 2 for ln in block.head)
    if len(aligned) >= 2:
        # a chart's labels line up too (axis ticks, values over bars), but name neither their
        # columns nor their rows
        return named or 2 * sum(_figures(ln) < len(ln.phrases) for ln in rows) >= len(rows)
    if not named:
        return False  # a header names its columns: figures above a row (a chart's axis) are none
    if len(aligned) == 1 and len(block.body) >= 3 and not _page_numbers(rows):
        return True
    if max(_figures(ln) for ln in rows) >= 3:
        return True
    widest = max(len(ln.phrases) for ln in block.head)
    return any(_figures(ln) >= 2 and len(ln.phrases) >= 3 and widest >= len(ln.phrases) - 1 for ln in rows)


def _figure_columns(rows: list[PrintedLine]) -> list[int]:
    """How many lines each column of figures spans (figures whose extents overlap are a column)."""
    spans: list[list[float]] = []  # [x0, x1, lines]
    for line in rows:
        for p in (p for p in line.phrases if _figure(p)):
            hit = next((s for s in spans if p.x0 <= s[1] and p.x1 >= s[0]), None)
            if hit is None:
                spans.append([p.x0, p.x1, 1])
            else:
                hit[0], hit[1], hit[2] = min(hit[0], p.x0), max(hit[1], p.x1), hit[2] + 1
    return [int(s[2]) for s in spans]


def _page_numbers(rows: list[PrintedLine]) -> bool:
    """A column of small whole numbers rising down the page at the line ends: a contents page."""
    last = [squeeze(ln.phrases[-1].text) for ln in rows]
    if not all(t.isdigit() for t in last):
        return False
    nums = [int(t) for t in last]
    return nums == sorted(nums) and nums[-1] < 1000


def _folio(word: Word, page: Page) -> bool:
    """A page number in the top or bottom margin ('7', '- 7 -', '第7页'): never a table's figure."""
    margin = page.height * MARGIN
    in_margin = word.box[3] < margin or word.box[1] > page.height - margin
    return in_margin and bool(_PAGE_NUMBER.match(word.text.strip()))


def _rule_between(rules: list[Rule], above: PrintedLine, below: PrintedLine) -> bool:
    x0, x1 = min(above.x0, below.x0), max(above.x1, below.x1)
    for r in rules:
        y = (r.y0 + r.y1) / 2
        if above.mid < y < below.mid and r.x0 <= x0 + (x1 - x0) / 4 and r.x1 >= x1 - (x1 - x0) / 4:
            return True
    return False


def _across(page: Page, grids: list[Grid]) -> list[Rule]:
    """Horizontal rules outside ruled grids: a three-line table's, or a frame's."""
    return [
        r
        for r in page.rules
        if r.horizontal
        and r.x1 - r.x0 > 20
        and not any(_inside(g.box, (r.x0, r.y0, r.x1, r.y1)) for g in grids)
    ]


def _inside(outer: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] - 1 <= cx <= outer[2] + 1 and outer[1] - 1 <= cy <= outer[3] + 1


def _centre_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (cx, cy, cx, cy)
