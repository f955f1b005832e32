"""What the load stage produces: pages as words and ruling lines in upright page coordinates."""

from __future__ import annotations

from pydantic import BaseModel

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in PDF points, origin top-left of the upright page."""


class Word(BaseModel):
    text: str
    box: Box


class Rule(BaseModel):
    """A horizontal or vertical ruling line (table border), from a stroke or a thin filled rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.y1 - self.y0)


class OcrNote(BaseModel):
    """How a page without a text layer was read: Tesseract (chi_sim) on an image of it."""

    dpi: int
    skew: float = 0.0  # degrees the image was turned back to read it straight
    seconds: float = 0.0


class Page(BaseModel):
    number: int  # 1-based
    width: float
    height: float
    rotation: int = 0  # degrees the page was turned to read it upright
    words: list[Word]
    rules: list[Rule]
    blank: bool = False  # nothing drawn at all: no text, no image, no drawing
    unread: str | None = None  # why the page could not be read at all (damaged, oversized content)
    damage: str | None = None  # what MuPDF reported while reading it: it may be read in part
    ocr: OcrNote | None = None  # no text layer: its words are what OCR read (load/ocr.py)

    @property
    def has_text(self) -> bool:
        return bool(self.words)


class LoadedDocument(BaseModel):
    path: str
    sha256: str
    producer: str = ""
    repaired: str | None = None  # MuPDF had to repair the file: what it said was wrong
    ocr_unavailable: str | None = None  # pages needed OCR but it could not run: why (one line)
    pages: list[Page]

    @property
    def pages_without_text(self) -> list[int]:
        """Pages of which no word was read: no text layer, and OCR did not run or read nothing."""
        return [p.number for p in self.pages if not p.has_text]

    @property
    def ocr_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.ocr is not None]
