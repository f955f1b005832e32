"""A second reading of single cells: the characters inside a cell's ruled rectangle, straight
from the PDF.

The first reading builds words from PyMuPDF's word list and gives each whole word to the grid cell
its centre falls in; a cell keeps the extent of its words as its box. This one finds the ruled
rectangle around that box (the nearest ruling lines on each side) and takes every character whose
centre lies inside it, so two numbers printed without a gap across a ruling line (one word to the
word list: "19.1736.00") or a word that runs over a rule read differently. Boxes are in the upright
page coordinates `pdf.load_pdf` gives (rotation undone).
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from budgetlens.load.models import Box, Page
from budgetlens.load.pdf import content_turn, open_pdf

Char = tuple[float, float, float, float, str]  # x0, y0, x1, y1, character


class Characters:
    """The characters of a PDF's pages, read once per page: `with Characters(path) as c:`."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        self._doc = open_pdf(path, password)
        self._pages: dict[int, list[Char]] = {}

    def __enter__(self) -> Characters:
        return self

    def __exit__(self, *exc: object) -> None:
        self._doc.close()

    def inside(self, page: int, box: Box) -> str:
        """The text printed inside `box` on page `page` (1-based): its characters in reading order."""
        if page not in self._pages:
            self._pages[page] = _upright_chars(self._doc[page - 1])
        return _inside(self._pages[page], box)


def _upright_chars(page: pymupdf.Page) -> list[Char]:
    """(x0, y0, x1, y1, character) for every character, in the upright page's coordinates (the
    same transformation the first reading applies)."""
    textpage = page.get_textpage()
    matrix = page.rotation_matrix * pymupdf.Matrix(content_turn(textpage, page.rotation_matrix))
    upright = (page.rect * page.derotation_matrix) * matrix
    matrix = matrix * pymupdf.Matrix(1, 0, 0, 1, -upright.x0, -upright.y0)
    chars = []
    for block in textpage.extractRAWDICT()["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                for char in span["chars"]:
                    r = pymupdf.Rect(char["bbox"]) * matrix
                    r.normalize()
                    chars.append((r.x0, r.y0, r.x1, r.y1, char["c"]))
    return chars


def _inside(chars: list[Char], box: Box) -> str:
    x0, y0, x1, y1 = box
    found = [c for c in chars if x0 <= (c[0] + c[2]) / 2 <= x1 and y0 <= (c[1] + c[3]) / 2 <= y1]
    found.sort(key=lambda c: (round((c[1] + c[3]) / 2 / 3), c[0]))  # rows of 3 pt, then left to right
    return "".join(c[4] for c in found).strip()


def enclosing(page: Page, box: Box) -> Box:
    """The ruled rectangle around `box`: the nearest rule on each side of its centre that crosses
    the centre's line (the box's own side where there is none: an unruled table)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    across = [(r.x0 + r.x1) / 2 for r in page.rules if not r.horizontal and r.y0 - 1 <= cy <= r.y1 + 1]
    down = [(r.y0 + r.y1) / 2 for r in page.rules if r.horizontal and r.x0 - 1 <= cx <= r.x1 + 1]
    left = max((x for x in across if x < cx), default=box[0])
    right = min((x for x in across if x > cx), default=box[2])
    top = max((y for y in down if y < cy), default=box[1])
    bottom = min((y for y in down if y > cy), default=box[3])
    ruled = (left, top, right, bottom)
    if any(_centre_in(w.box, ruled) and not _centre_in(w.box, box) for w in page.words):
        # rules around more than the cell: a three-line table's (the header's and the foot's) or a
        # frame around a table without inner rules; the cell is its text
        return box
    return ruled


def _centre_in(inner: Box, outer: Box) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]
