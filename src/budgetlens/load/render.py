"""Page images for people to look at (the review report), drawn upright exactly as `load_pdf`
turned the page, so a box read from the page lands on the same spot of the image."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from budgetlens.load.pdf import content_turn, open_pdf


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    width: float  # upright page size in points: boxes are in these coordinates
    height: float
    mime: str
    data: bytes


def page_images(
    path: str | Path,
    numbers: Iterable[int],
    zoom: float = 1.5,
    quality: int = 70,
    password: str | None = None,
) -> list[PageImage]:
    """JPEG images of the given pages (grey: tables are black on white, and compress far better)."""
    doc = open_pdf(Path(path), password)
    try:
        return [_image(doc[n - 1], zoom, quality) for n in sorted(set(numbers)) if 1 <= n <= doc.page_count]
    finally:
        doc.close()


def _image(page: pymupdf.Page, zoom: float, quality: int) -> PageImage:
    turn = content_turn(page.get_textpage(), page.rotation_matrix)
    # get_pixmap draws the page with its /Rotate applied; the extra turn is the one load_pdf made
    pix = page.get_pixmap(matrix=pymupdf.Matrix(turn) * pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    return PageImage(
        number=page.number + 1,
        width=pix.width / zoom,
        height=pix.height / zoom,
        mime="image/jpeg",
        data=pix.tobytes("jpeg", jpg_quality=quality),
    )
