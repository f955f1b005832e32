"""Ruling lines found in a page image, and rubbed out of it before OCR.

A scanned table's rules are pixels, not drawings. Tesseract reads a page with its rules badly (it
takes them for characters and loses the layout: "|", "ll", digits without their decimal point), so
they are found as long runs of dark pixels, returned as rules for the grid builder, and painted
white in the image OCR reads. Pure Python over the pixmap's bytes (regular expressions run the
loops in C): about 0.1 s for an A4 page at 300 dpi.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pymupdf

DARK = 150  # grey level below which a pixel is ink
GAP = 2  # pixels: breaks this short in a line (noise, JPEG) are bridged
H_MIN = 24.0  # points: a horizontal rule is at least this long (a cell's width)…
V_MIN = 12.0  # … and a vertical one this (a one-line row)
LONG = 60.0  # points: a line this long is a rule by itself; a shorter one must meet rules at both
# ends (a large title's strokes are shorter, and meet none: rubbing them out would erase the title)
THICK = 4.0  # points: thicker than this is a filled area, not a line
BREAK = 2.0  # points: a line broken for less than this (a faint stretch in a scan) is one line
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
    hs = _merge(
        [(y, a, b) for y in range(h) for a, b in _runs(dark[y * w : (y + 1) * w], H_MIN * zoom)], thick
    )
    vs = _merge([(x, a, b) for x in range(w) for a, b in _runs(dark[x::w], V_MIN * zoom)], thick)
    horizontal = [Line(a, p0, b, p1) for p0, p1, a, b in _joined(hs, int(BREAK * zoom))]
    vertical = [Line(p0, a, p1, b) for p0, p1, a, b in _joined(vs, int(BREAK * zoom))]
    long = LONG * zoom
    rules = {ln for ln in horizontal + vertical if max(ln.x1 - ln.x0, ln.y1 - ln.y0) >= long}
    for _ in range(2):  # short lines framed by rules: a header cell's sides, a narrow cell's top
        rules |= {ln for ln in horizontal + vertical if ln not in rules and _framed(ln, rules, GAP + 2)}
    return sorted(rules, key=lambda ln: (not ln.horizontal, ln.y0, ln.x0))


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


def printed(
    ink: bytes, w: int, box: tuple[int, int, int, int], margin: int
) -> tuple[int, int, int, int] | None:
    """The extent of what is printed inside `box` (pixel indices of a pixmap `w` wide), `margin`
    pixels in from its sides (clear of its rules); None when nothing (a speck or two) is."""
    x0, y0, x1, y1 = box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin
    rows = [y for y in range(y0, y1) if ink[y * w + x0 : y * w + x1].count(1) > 1]
    if len(rows) < 3:
        return None
    found = [x0 + r.find(1) for r in (ink[y * w + x0 : y * w + x1] for y in rows) if 1 in r]
    ends = [x0 + r.rfind(1) for r in (ink[y * w + x0 : y * w + x1] for y in rows) if 1 in r]
    return (min(found), rows[0], max(ends) + 1, rows[-1] + 1)


def bands(ink: bytes, w: int, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The printed lines inside `box` (pixel indices): runs of rows with ink, parted by blank rows
    (a gap under a fifth of the box's line height joins: a character's own gaps)."""
    x0, y0, x1, y1 = box
    inked = [ink[y * w + x0 : y * w + x1].count(1) > 0 for y in range(y0, y1)]
    runs: list[list[int]] = []
    for i, on in enumerate(inked):
        if on and runs and i - runs[-1][1] <= 2:
            runs[-1][1] = i
        elif on:
            runs.append([i, i])
    height = max((b - a for a, b in runs), default=0)
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < max(2, height // 5):
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return [(x0, y0 + a, x1, y0 + b + 1) for a, b in merged if b - a >= height // 3]


def _positions(values: list[int]) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if not out or v - out[-1] > GAP + 2:
            out.append(v)
    return out


def erase(pix: pymupdf.Pixmap, lines: list[Line]) -> pymupdf.Pixmap:
    """The grey pixmap with its rules painted white (a pixel's margin round each: anti-aliasing,
    JPEG ringing). A mask is built row by row and laid over the image as one big integer."""
    w, h = pix.width, pix.height
    mask = bytearray(w * h)
    for line in lines:
        x0, x1 = max(0, line.x0 - 1), min(w, line.x1 + 2)
        for y in range(max(0, line.y0 - 1), min(h, line.y1 + 2)):
            mask[y * w + x0 : y * w + x1] = b"\xff" * (x1 - x0)
    samples = (int.from_bytes(pix.samples, "big") | int.from_bytes(mask, "big")).to_bytes(w * h, "big")
    out = pymupdf.Pixmap(pymupdf.csGRAY, w, h, samples, False)
    out.set_origin(pix.x, pix.y)
    return out


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


def _joined(lines: list[tuple[int, int, int, int]], gap: int) -> list[tuple[int, int, int, int]]:
    """Pieces of one line (p0, p1, a, b) broken by a short gap (a faint stretch, JPEG) joined."""
    rows: list[list[tuple[int, int, int, int]]] = []  # lines at one position, within a few pixels
    for line in sorted(lines, key=lambda ln: ln[0] + ln[1]):
        if rows and (line[0] + line[1]) - (rows[-1][0][0] + rows[-1][0][1]) <= 2 * (GAP + 1):
            rows[-1].append(line)
        else:
            rows.append([line])
    out: list[tuple[int, int, int, int]] = []
    for row in rows:
        pieces: list[list[int]] = []
        for p0, p1, a, b in sorted(row, key=lambda ln: ln[2]):
            if pieces and a - pieces[-1][3] <= gap:
                last = pieces[-1]
                last[0], last[1], last[3] = min(last[0], p0), max(last[1], p1), max(last[3], b)
            else:
                pieces.append([p0, p1, a, b])
        out += [(p0, p1, a, b) for p0, p1, a, b in pieces]
    return out


def _framed(line: Line, rules: set[Line], slack: int) -> bool:
    """Both ends of the line meet a rule across it."""
    across = [r for r in rules if r.horizontal != line.horizontal]
    if line.horizontal:
        ends = [(line.x0, (line.y0 + line.y1) // 2), (line.x1, (line.y0 + line.y1) // 2)]
    else:
        ends = [((line.x0 + line.x1) // 2, line.y0), ((line.x0 + line.x1) // 2, line.y1)]
    return all(any(_on(x, y, r, slack) for r in across) for x, y in ends)


def _on(x: int, y: int, r: Line, slack: int) -> bool:
    return r.x0 - slack <= x <= r.x1 + slack and r.y0 - slack <= y <= r.y1 + slack


STRIPS = 16  # vertical strips whose row profiles are shifted against each other to find the skew


def skew(pix: pymupdf.Pixmap, most: float = 3.0, step: float = 0.05) -> float:
    """The angle (degrees, counter-clockwise) the page's lines of text and rules are turned by:
    the one at which the page's rows of ink are sharpest (the sum of squared row counts is
    largest when lines run straight across). MuPDF's own estimate is unreliable here and crashes
    on small images."""
    ink_ = ink(pix)
    w, h = pix.width, pix.height
    bounds = [round(w * k / STRIPS) for k in range(STRIPS + 1)]
    strips = list(zip(bounds, bounds[1:], strict=False))
    profiles = [[ink_[y * w + a : y * w + b].count(1) for y in range(h)] for a, b in strips]
    middles = [(a + b) / 2 - w / 2 for a, b in strips]
    pad = int(abs(w / 2 * math.tan(math.radians(most)))) + 1

    def sharpness(angle: float) -> int:
        t = math.tan(math.radians(angle))
        shifted = []
        for profile, x in zip(profiles, middles, strict=True):
            d = pad + round(x * t)  # a line turned by `angle` is d rows lower at this strip
            shifted.append([0] * (2 * pad - d) + profile + [0] * d)
        return sum(s * s for s in map(sum, zip(*shifted, strict=True)))

    angles = [k * step for k in range(-round(most / step), round(most / step) + 1)]
    best = max(angles, key=lambda a: (sharpness(a), -abs(a)))
    return round(best, 2)


_LONELY = bytes([1, 1] + [0] * 254)  # a count of ink neighbours below two
_PAINT = bytes([0] + [255] * 255)  # 1 → white


def despeckle(pix: pymupdf.Pixmap) -> pymupdf.Pixmap:
    """The grey pixmap with specks of noise painted white: ink pixels with fewer than two ink
    pixels among their eight neighbours (a stroke, even a decimal point, has more). The image is
    worked on as one big integer, a byte a pixel, so each step runs in C."""
    w, size = pix.width, pix.width * pix.height
    dark = ink(pix)
    grid = int.from_bytes(dark, "big")
    mask = (1 << (8 * size)) - 1
    near = 0
    for shift in (8, 8 * w - 8, 8 * w, 8 * w + 8):  # a neighbour's byte moved onto each pixel's
        near += ((grid << shift) & mask) + (grid >> shift)
    # each byte of `near` counts the ink round its pixel (at most 8: nothing carries between bytes)
    lonely = near.to_bytes(size, "big").translate(_LONELY)
    removed = (grid & int.from_bytes(lonely, "big")).to_bytes(size, "big").translate(_PAINT)
    samples = (int.from_bytes(pix.samples, "big") | int.from_bytes(removed, "big")).to_bytes(size, "big")
    return pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, samples, False)
