"""Ruling lines found in a page image, and rubbed out of it before OCR.

A scanned table's rules are pixels, not drawings. Tesseract reads a page with its rules badly (it
takes them for characters and loses the layout: "|", "ll", digits without their decimal point), so
they are found as long runs of dark pixels, returned as rules for the grid builder, and painted
white in the image OCR reads. Pure Python over the pixmap's bytes (regular expressions run the
loops in C): about 0.1 s for an A4 page at 300 dpi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

DARK = 150  # grey level below which a pixel is ink
GAP = 2  # pixels: breaks this short in a line (noise, JPEG) are bridged
H_MIN = 24.0  # points: a horizontal rule is at least this long (a 22 pt title's strokes are shorter)
V_MIN = 12.0  # points: a vertical rule at least this (a one-line row); it must meet a horizontal one
THICK = 6.0  # points: thicker than this is a filled area, not a line
_INK = bytes(1 if v < DARK else 0 for v in range(256))


@dataclass(frozen=True)
class Line:
    """A rule in pixels: x0, y0, x1, y1 (inclusive ranges)."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.y1 - self.y0


def find_lines(pix: pymupdf.Pixmap, zoom: float) -> list[Line]:
    """The rules of a grey pixmap (one byte a pixel): long horizontal runs, and vertical runs that
    meet one of them (a character's strokes are short and meet none)."""
    dark = ink(pix)
    w, h = pix.width, pix.height
    thick = int(THICK * zoom)
    hs = _merge([(y, a, b) for y in range(h) for a, b in _runs(dark[y * w : (y + 1) * w], H_MIN * zoom)], thick)
    vs = _merge([(x, a, b) for x in range(w) for a, b in _runs(dark[x::w], V_MIN * zoom)], thick)
    horizontal = [Line(a, p0, b, p1) for p0, p1, a, b in hs]
    vertical = [Line(p0, a, p1, b) for p0, p1, a, b in vs]
    slack = GAP + 2
    meets = [
        v for v in vertical if any(_touch(v, hl, slack) for hl in horizontal)
    ]
    return horizontal + meets


def cells(lines: list[Line]) -> list[tuple[int, int, int, int]]:
    """The ruled rectangles (x0, y0, x1, y1, between the rules' middles): for each slot between
    neighbouring rule positions, the nearest rule on each side that crosses its centre's line."""
    hs = [ln for ln in lines if ln.horizontal]
    vs = [ln for ln in lines if not ln.horizontal]
    ys = _positions([(ln.y0 + ln.y1) // 2 for ln in hs])
    xs = _positions([(ln.x0 + ln.x1) // 2 for ln in vs])
    out: set[tuple[int, int, int, int]] = set()
    slack = GAP + 2
    for top, bottom in zip(ys, ys[1:], strict=False):
        cy = (top + bottom) // 2
        across = [(v.x0 + v.x1) // 2 for v in vs if v.y0 - slack <= cy <= v.y1 + slack]
        for left, right in zip(xs, xs[1:], strict=False):
            cx = (left + right) // 2
            down = [(h.y0 + h.y1) // 2 for h in hs if h.x0 - slack <= cx <= h.x1 + slack]
            box = (
                max((x for x in across if x < cx), default=None),
                max((y for y in down if y < cy), default=None),
                min((x for x in across if x > cx), default=None),
                min((y for y in down if y > cy), default=None),
            )
            if None not in box:
                out.add(box)  # type: ignore[arg-type]
    return sorted(out, key=lambda b: (b[1], b[0]))


def ink(pix: pymupdf.Pixmap) -> bytes:
    """One byte a pixel of a grey pixmap: 1 where it is ink."""
    return pix.samples.translate(_INK)


def printed(ink: bytes, w: int, box: tuple[int, int, int, int], margin: int) -> tuple[int, int, int, int] | None:
    """The extent of what is printed inside `box` (pixel indices of a pixmap `w` wide), `margin`
    pixels in from its sides (clear of its rules); None when nothing (a speck or two) is."""
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    rows = [y for y in range(y0, y1) if ink[y * w + x0 : y * w + x1].count(1) > 1]
    if len(rows) < 3:
        return None
    found = [x0 + r.find(1) for r in (ink[y * w + x0 : y * w + x1] for y in rows) if 1 in r]
    ends = [x0 + r.rfind(1) for r in (ink[y * w + x0 : y * w + x1] for y in rows) if 1 in r]
    return (min(found), rows[0], max(ends) + 1, rows[-1] + 1)


def _positions(values: list[int]) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if not out or v - out[-1] > GAP + 2:
            out.append(v)
    return out


def erase(pix: pymupdf.Pixmap, lines: list[Line]) -> None:
    """Paint the rules white (a pixel's margin round each: anti-aliasing, JPEG ringing)."""
    x, y = pix.x, pix.y  # set_rect is in the pixmap's own coordinates, which start at its origin
    for line in lines:
        rect = pymupdf.IRect(x + line.x0 - 1, y + line.y0 - 1, x + line.x1 + 2, y + line.y1 + 2) & pix.irect
        pix.set_rect(rect, (255,) * pix.n)


def _runs(ink: bytes, least: float) -> list[tuple[int, int]]:
    pattern = re.compile(rb"\x01(?:\x00{0,%d}\x01)*" % GAP)
    return [(m.start(), m.end() - 1) for m in pattern.finditer(ink) if m.end() - m.start() >= least]


def _merge(runs: list[tuple[int, int, int]], thick: int) -> list[tuple[int, int, int, int]]:
    """Runs on neighbouring pixel rows (or columns) that overlap → one line (p0, p1, a, b); a line
    drawn several pixels thick, or slightly slanted, is one line."""
    open_: list[list[int]] = []  # [p0, p1, a, b]
    done: list[list[int]] = []
    for p, a, b in sorted(runs):
        for line in open_:
            if p - line[1] <= GAP + 1 and a <= line[3] + GAP and b >= line[2] - GAP:
                line[1], line[2], line[3] = p, min(line[2], a), max(line[3], b)
                break
        else:
            open_.append([p, p, a, b])
        done += [ln for ln in open_ if p - ln[1] > GAP + 1]
        open_ = [ln for ln in open_ if p - ln[1] <= GAP + 1]
    return [(p0, p1, a, b) for p0, p1, a, b in done + open_ if p1 - p0 <= thick]


def _touch(v: Line, h: Line, slack: int) -> bool:
    return h.x0 - slack <= v.x0 <= h.x1 + slack and v.y0 - slack <= h.y0 <= v.y1 + slack
