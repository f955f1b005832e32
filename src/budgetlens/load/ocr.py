"""Pages without a usable text layer, read by Tesseract (`chi_sim`) through PyMuPDF's OCR.

The page is drawn upright in grey at `DPI`, straightened (MuPDF measures the skew), its ruling lines
found and rubbed out (load/raster.py: Tesseract misreads a page with its rules), and the image
read by Tesseract, which MuPDF links in (`Pixmap.pdfocr_tobytes`: a one-page PDF whose invisible
text is what Tesseract read). Its words, with their numbers put right where only one reading is
possible (load/ocr_text.py), and the rules found become the page's words and rules, in the same
upright page coordinates as a page with a text layer: the rest of the pipeline reads it like any
page. The page says it was read so (`Page.ocr`); facts from it have extractor `ocr`.

Tesseract's language data comes from Debian's `tesseract-ocr-chi-sim` (found as PyMuPDF finds it:
TESSDATA_PREFIX, else where the `tesseract` program keeps it). Without it, pages stay unread and
the result says why (`LoadedDocument.ocr_unavailable`).

Pages are read in parallel, one process each (`jobs`): PyMuPDF is not thread-safe, and Tesseract
on one core a page scales better than on several for one page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import pymupdf

from budgetlens.load import raster
from budgetlens.load.models import OcrNote, Page, Rule, Word
from budgetlens.load.ocr_text import clean_word

LANGUAGE = "chi_sim"
# Measured on the Putuo 决算 rasterised at 300 dpi (scripts/ocr_accuracy.py, README): reading at
# 300 dpi gets its key right where 200 dpi loses characters of headers and decimal points; 400 dpi
# gains nothing and takes half as long again.
DPI = 300
PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
INSTALL = f"install Debian's {PACKAGES.replace(' ', ' and ')} (apt-get install {PACKAGES})"
MIN_SKEW = 0.05  # degrees: a page turned less than this is read as it is
UNREADABLE = 0.3  # share of characters MuPDF cannot map to Unicode above which a text layer is unusable


@lru_cache(maxsize=1)
def tessdata() -> str | None:
    """The folder holding Tesseract's chi_sim data, or None when it is not installed."""
    try:
        folder = pymupdf.get_tessdata()
    except Exception:  # PyMuPDF raises a bare RuntimeError when it finds no Tesseract
        return None
    return folder if (Path(folder) / f"{LANGUAGE}.traineddata").is_file() else None


def unavailable() -> str | None:
    """Why OCR cannot run here (one line), or None when it can."""
    if tessdata() is None:
        return f"Tesseract with Chinese ({LANGUAGE}) is not installed: {INSTALL}"
    return None


def needs_ocr(page: Page) -> bool:
    """A page with something drawn on it but no text to read: a scan, or text drawn as outlines."""
    return not page.words and not page.blank and page.unread is None


def unusable_text(text: str) -> bool:
    """A text layer of characters MuPDF cannot map to Unicode (fonts without a ToUnicode map)."""
    chars = [c for c in text if not c.isspace()]
    bad = sum(c == "\ufffd" or "\ue000" <= c <= "\uf8ff" for c in chars)
    return bool(chars) and bad / len(chars) > UNREADABLE


def read_pages(
    path: Path, password: str | None, pages: list[Page], jobs: int = 1, dpi: int = DPI
) -> tuple[list[Page], str | None]:
    """`pages` with those that need it read by OCR; and why OCR could not run, if it could not."""
    todo = [p.number for p in pages if needs_ocr(p)]
    if not todo:
        return pages, None
    why = unavailable()
    if why is not None:
        return pages, why
    read = {p.number: p for p in _read_all(path, password, todo, jobs, dpi)}
    return [read.get(p.number, p) for p in pages], None


def _read_all(path: Path, password: str | None, numbers: list[int], jobs: int, dpi: int) -> list[Page]:
    workers = max(1, min(jobs, len(numbers)))
    if workers == 1:
        return _read_some(str(path), password, numbers, dpi)
    chunks = [numbers[i::workers] for i in range(workers)]
    # spawn: a fresh interpreter per worker (forking a process that holds MuPDF state is unsafe)
    context = __import__("multiprocessing").get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_one_thread) as pool:
        parts = pool.map(_read_some, [str(path)] * workers, [password] * workers, chunks, [dpi] * workers)
        return [page for part in parts for page in part]


def _one_thread() -> None:
    """Tesseract's own threads would compete with the other workers for the same cores."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _read_some(path: str, password: str | None, numbers: Sequence[int], dpi: int) -> list[Page]:
    from budgetlens.load.pdf import open_pdf

    doc = open_pdf(Path(path), password)
    try:
        return [read_page(doc[n - 1], dpi) for n in numbers]
    finally:
        doc.close()


def read_page(page: pymupdf.Page, dpi: int = DPI) -> Page:
    """The page's words and rules as Tesseract and the image give them, upright, in points."""
    started = time.perf_counter()
    zoom = dpi / 72
    # get_pixmap draws the page as displayed (its /Rotate applied), in page.rect's coordinates
    skew = pymupdf.mupdf.fz_detect_skew(_pixmap(page, pymupdf.Identity, zoom).this)
    skew = skew if abs(skew) >= MIN_SKEW else 0.0
    pix = _pixmap(page, _turn(page.rect, -skew), zoom)
    lines = raster.find_lines(pix, zoom)
    ink = raster.ink(pix)
    raster.erase(pix, lines)
    image = _Image(pymupdf.Pixmap(pymupdf.csRGB, pix), dpi)  # MuPDF's OCR writer takes RGB only
    rules = [image.rule(line) for line in lines]
    verticals = [r for r in rules if not r.horizontal]
    words = image.words(image.pix.irect, verticals)
    for box in raster.cells(lines):
        text = raster.printed(ink, pix.width, box, margin=int(zoom * 1.5))
        if text is not None:
            words = _reread_label_cell(image, box, text, words)
    note = OcrNote(dpi=dpi, skew=round(skew, 2), seconds=round(time.perf_counter() - started, 2))
    return Page(
        number=page.number + 1,
        width=page.rect.width,
        height=page.rect.height,
        rotation=page.rotation,
        words=words,
        rules=rules,
        ocr=note,
    )


def _turn(rect: pymupdf.Rect, degrees: float) -> pymupdf.Matrix:
    """A turn by `degrees` about the page's centre."""
    cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
    return pymupdf.Matrix(1, 0, 0, 1, -cx, -cy) * pymupdf.Matrix(degrees) * pymupdf.Matrix(1, 0, 0, 1, cx, cy)


def _pixmap(page: pymupdf.Page, matrix: pymupdf.Matrix, zoom: float) -> pymupdf.Pixmap:
    return page.get_pixmap(matrix=matrix * pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)


def _reread_label_cell(
    image: _Image, box: tuple[int, int, int, int], text: tuple[int, int, int, int], words: list[Word]
) -> list[Word]:
    """A ruled cell of text without digits (a header, a label) read again on its own: Tesseract
    lays out a page of small cells badly (headers over two lines come out garbled) but reads one
    cell well. Its digits stay as the page read them: alone, Tesseract takes 6 for 0 and 5 for 3."""
    rect = image.points(box)
    inside = [w for w in words if _centre_in(w.box, rect)]
    if any(c.isdigit() for w in inside for c in w.text):
        return words
    again = image.words(image.irect(text), [])  # what is printed, on a white margin
    if not again or any(c.isdigit() for w in again for c in w.text):
        return words
    return [w for w in words if not _centre_in(w.box, rect)] + again


def _centre_in(box: tuple[float, float, float, float], rect: pymupdf.Rect) -> bool:
    return rect.x0 <= (box[0] + box[2]) / 2 <= rect.x1 and rect.y0 <= (box[1] + box[3]) / 2 <= rect.y1


class _Image:
    """The page image OCR reads: pixel indices ↔ upright page points."""

    def __init__(self, pix: pymupdf.Pixmap, dpi: int) -> None:
        self.pix, self.dpi, self.zoom = pix, dpi, dpi / 72
        self.pix.set_dpi(dpi, dpi)  # so an OCR page is in points: a pixel is 72 / dpi of one

    def rule(self, line: raster.Line) -> Rule:
        r = self.points((line.x0, line.y0, line.x1 + 1, line.y1 + 1))
        return Rule(x0=round(r.x0, 2), y0=round(r.y0, 2), x1=round(r.x1, 2), y1=round(r.y1, 2))

    def points(self, box: tuple[int, int, int, int]) -> pymupdf.Rect:
        """Pixel indices → upright page points (the pixmap's origin is where the page drew it)."""
        x, y, z = self.pix.x, self.pix.y, self.zoom
        return pymupdf.Rect((box[0] + x) / z, (box[1] + y) / z, (box[2] + x) / z, (box[3] + y) / z)

    def irect(self, box: tuple[int, int, int, int]) -> pymupdf.IRect:
        """Pixel indices → the pixmap's own coordinates."""
        x, y = self.pix.x, self.pix.y
        return pymupdf.IRect(box[0] + x, box[1] + y, box[2] + x, box[3] + y)

    def words(self, area: pymupdf.IRect, verticals: list[Rule]) -> list[Word]:
        """What Tesseract reads in `area` (the whole image, or one cell set on a white margin)."""
        from budgetlens.load.pdf import _words

        pix = self.pix
        if area != pix.irect:
            margin = int(6 * self.zoom)
            wider = pymupdf.IRect(area.x0 - margin, area.y0 - margin, area.x1 + margin, area.y1 + margin)
            pix = pymupdf.Pixmap(pymupdf.csRGB, wider, False)
            pix.clear_with(255)
            pix.copy(self.pix, area)
            pix.set_dpi(self.dpi, self.dpi)
        data = pix.pdfocr_tobytes(compress=False, language=LANGUAGE, tessdata=tessdata())
        with pymupdf.open(stream=data, filetype="pdf") as ocr:
            shift = pymupdf.Matrix(1, 0, 0, 1, pix.x / self.zoom, pix.y / self.zoom)
            words = _words(ocr[0].get_textpage(), shift, verticals)
        out = []
        for word in words:
            text = clean_word(word.text)
            if text.strip():
                out.append(word.model_copy(update={"text": text}))
        return out
