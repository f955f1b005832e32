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

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pymupdf

from budgetlens.amounts import is_amount
from budgetlens.load import raster
from budgetlens.load.models import OcrNote, Page, Rule, Word
from budgetlens.load.ocr_text import clean_word

LANGUAGE = "chi_sim"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Measured on the Putuo 决算 rasterised at 300 dpi (scripts/ocr_accuracy.py, README): reading at
# 300 dpi gets its key right where 200 dpi loses characters of headers and decimal points; 400 dpi
# gains nothing and takes half as long again.
DPI = 300
PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
INSTALL = f"install Debian's {PACKAGES.replace(' ', ' and ')} (apt-get install {PACKAGES})"
MIN_SKEW = 0.05  # degrees: a page turned less than this is read as it is
LOW = 150  # dpi: a scan coarser than this is drawn at DPI to be read
SKEW_DPI = 100  # the skew is measured on an image this fine (0.05° steps; 0.15 s a page)
WRAPPED = 1.7  # a cell's print this many lines high is text wrapped over lines, read again alone
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
    # fork: workers start at once and need no importable __main__ (scripts, stdin); the document
    # is closed by then, so no MuPDF state is shared. Elsewhere (no fork), fresh interpreters.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
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
    dpi = _resolution(page, dpi)
    zoom = dpi / 72
    # get_pixmap draws the page as displayed (its /Rotate applied), in page.rect's coordinates
    skew = raster.skew(_pixmap(page, pymupdf.Identity, SKEW_DPI / 72))
    skew = skew if abs(skew) >= MIN_SKEW else 0.0
    pix = _pixmap(page, _turn(page.rect, -skew), zoom)
    lines = raster.find_lines(pix, zoom)
    pix = raster.despeckle(raster.erase(pix, lines))  # a scan's specks: Tesseract drops text among them
    ink = raster.ink(pix)
    image = _Image(pymupdf.Pixmap(pymupdf.csRGB, pix), dpi)  # MuPDF's OCR writer takes RGB only
    rules = [image.rule(line) for line in lines]
    verticals = [r for r in rules if not r.horizontal]
    cells = raster.cells(lines)
    tables = [_extent(group) for group in _touching(cells)]
    outside = _Image(pymupdf.Pixmap(pymupdf.csRGB, raster.erase(pix, [raster.Line(*t) for t in tables])), dpi)
    words = [_tight(w, image, ink, pix.width) for w in outside.words(outside.pix.irect, verticals)]
    bands = [band for table in tables for band in _bands(table, lines)]
    words += image.stacked([image.irect(band) for band in bands], verticals)
    words = _unit_lines(_joined_numbers(words))
    header = set(_header_cells(cells, image, words))
    for box in cells:
        text = raster.printed(ink, pix.width, box, margin=int(zoom * 1.5))
        if text is None:
            continue
        if box in header:
            words = _reread_label_cell(image, box, raster.bands(ink, pix.width, text), words)
        elif not any(_centre_in(w.box, image.points(box)) for w in words):
            words += image.words(image.irect(text), [])  # printed, but the page's reading lost it
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


def _resolution(page: pymupdf.Page, dpi: int) -> int:
    """The resolution to read the page at: `dpi`, or a scan's own when it is finer than LOW but
    coarser than `dpi` (drawn larger, a scan's specks and JPEG blur grow into strokes Tesseract
    reads as characters: measured, a 200 dpi scan read at 300 loses its titles and decimal
    points). A scan coarser than LOW is drawn at `dpi`: its text is too small for Tesseract."""
    area = abs(page.rect)
    images = [i for i in page.get_image_info() if abs(pymupdf.Rect(i["bbox"])) > 0.5 * area]
    if not images:
        return dpi
    image = max(images, key=lambda i: abs(pymupdf.Rect(i["bbox"])))
    native = round(image["width"] / (pymupdf.Rect(image["bbox"]).width / 72))
    return native if LOW <= native < dpi else dpi


def _turn(rect: pymupdf.Rect, degrees: float) -> pymupdf.Matrix:
    """A turn by `degrees` about the page's centre."""
    cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
    return pymupdf.Matrix(1, 0, 0, 1, -cx, -cy) * pymupdf.Matrix(degrees) * pymupdf.Matrix(1, 0, 0, 1, cx, cy)


def _pixmap(page: pymupdf.Page, matrix: pymupdf.Matrix, zoom: float) -> pymupdf.Pixmap:
    return page.get_pixmap(matrix=matrix * pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)


def _joined_numbers(words: list[Word]) -> list[Word]:
    """A number Tesseract cut after its decimal point ('307.' '82') joined again."""
    out: list[Word] = []
    for word in _in_reading_order(words):
        prev = out[-1] if out else None
        if (
            prev is not None
            and re.search(r"\d[.．]$", prev.text)
            and re.match(r"^\d", word.text)
            and abs(prev.box[1] - word.box[1]) < 0.5 * (word.box[3] - word.box[1])
            and word.box[0] - prev.box[2] < 0.6 * (word.box[3] - word.box[1])
        ):
            box = (prev.box[0], min(prev.box[1], word.box[1]), word.box[2], max(prev.box[3], word.box[3]))
            out[-1] = Word(text=clean_word(prev.text + word.text), box=box)
            continue
        out.append(word)
    return out


def _in_reading_order(words: list[Word]) -> list[Word]:
    """Lines (words whose middles lie within half a word's height), top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        mid, height = (word.box[1] + word.box[3]) / 2, word.box[3] - word.box[1]
        if (
            lines
            and abs(mid - sum((w.box[1] + w.box[3]) / 2 for w in lines[-1]) / len(lines[-1])) < height / 2
        ):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w.box[0])]


_UNIT_WORD = re.compile(r"^(金额)?单位[:：]?$")
_UNIT_NAME = re.compile(r"^[:：]?(万元|元|亿元|千元)$")


def _unit_lines(words: list[Word]) -> list[Word]:
    """'单位' and '万元' read as two words (the colon between them lost): the unit line again."""
    out: list[Word] = []
    for word in _in_reading_order(words):
        prev = out[-1] if out else None
        if prev is not None and _UNIT_WORD.match(prev.text) and _UNIT_NAME.match(word.text):
            near = abs(prev.box[1] - word.box[1]) < 0.5 * (word.box[3] - word.box[1])
            if (
                near
                and prev.box[0] < word.box[0]
                and word.box[0] - prev.box[2] < 3 * (word.box[3] - word.box[1])
            ):
                box = (prev.box[0], min(prev.box[1], word.box[1]), word.box[2], max(prev.box[3], word.box[3]))
                unit = word.text.lstrip(":：")
                out[-1] = Word(text=f"{prev.text.rstrip(':：')}：{unit}", box=box)
                continue
        out.append(word)
    return out


def _tight(word: Word, image: _Image, ink: bytes, width: int) -> Word:
    """The word's box cut down to the rows its ink is in: Tesseract gives a word its text line's
    height, and may make one line of a title and the unit line beside it (a box 28 pt high)."""
    x0, y0, x1, y1 = (round(v * image.zoom) for v in word.box)
    x0, y0 = max(x0 - image.pix.x, 0), max(y0 - image.pix.y, 0)
    x1, y1 = min(x1 - image.pix.x, width), min(y1 - image.pix.y, len(ink) // max(width, 1))
    rows = [y for y in range(y0, y1) if ink[y * width + x0 : y * width + x1].count(1) > 1]
    if not rows or rows[-1] - rows[0] < 2:
        return word
    top, bottom = (rows[0] + image.pix.y) / image.zoom, (rows[-1] + 1 + image.pix.y) / image.zoom
    return word.model_copy(update={"box": (word.box[0], round(top, 2), word.box[2], round(bottom, 2))})


def _extent(cells: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def _bands(table: tuple[int, int, int, int], lines: list[raster.Line]) -> list[tuple[int, int, int, int]]:
    """A ruled table cut into bands at the rules that run (nearly) all across it: each band a row
    of cells (or the header's rows), read alone so no text line of it runs into another's."""
    x0, y0, x1, y1 = table
    cuts = sorted(
        (ln.y0 + ln.y1) // 2
        for ln in lines
        if ln.horizontal and y0 - 3 <= ln.y0 <= y1 + 3 and ln.x1 - ln.x0 >= 0.9 * (x1 - x0)
    )
    cuts = sorted({y0, *cuts, y1})
    pad = 2
    return [
        (x0 + pad, a + pad, x1 - pad, b - pad)
        for a, b in zip(cuts, cuts[1:], strict=False)
        if b - a > 3 * pad
    ]


def _header_cells(
    cells: list[tuple[int, int, int, int]], image: _Image, words: list[Word]
) -> list[tuple[int, int, int, int]]:
    """Ruled cells above the first figure of their table (a table: cells that touch)."""
    tables = _touching(cells)
    out = []
    for table in tables:
        rects = [image.points(c) for c in table]
        area = pymupdf.Rect(
            min(r.x0 for r in rects),
            min(r.y0 for r in rects),
            max(r.x1 for r in rects),
            max(r.y1 for r in rects),
        )
        figures = [
            w.box[1] for w in words if _centre_in(w.box, area) and is_amount(w.text) and len(w.text) > 2
        ]
        top = min(figures, default=area.y1)
        out += [c for c, r in zip(table, rects, strict=True) if r.y1 <= top + 1]
    return out


def _touching(cells: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """Cells grouped by shared sides (one group per ruled table)."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_edge: dict[tuple[str, int], list[int]] = {}
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for key in (("x", x0), ("x", x1), ("y", y0), ("y", y1)):
            by_edge.setdefault(key, []).append(i)
    for i, (x0, y0, x1, y1) in enumerate(cells):
        for j in by_edge.get(("x", x1), []) + by_edge.get(("y", y1), []):
            b = cells[j]
            if (b[0] == x1 and b[1] < y1 and b[3] > y0) or (b[1] == y1 and b[0] < x1 and b[2] > x0):
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[int, int, int, int]]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(find(i), []).append(c)
    return list(groups.values())


def _reread_label_cell(
    image: _Image, box: tuple[int, int, int, int], lines: list[tuple[int, int, int, int]], words: list[Word]
) -> list[Word]:
    """A header cell read again on its own, one printed line at a time: Tesseract lays out a page
    of small cells badly (a header over two lines comes out garbled or in the wrong order), but
    reads one line alone well. A one-line header the page read as Chinese is kept (alone, two
    characters are often misread). Not a cell of figures: alone, Tesseract takes 6 for 0."""
    rect = image.points(box)
    inside = [w for w in words if _centre_in(w.box, rect)]
    if any(is_amount(w.text) and not w.text.isdigit() for w in inside):
        return words
    again = [w for line in lines for w in [_one_line(image.words(image.irect(line), []))] if w]
    if (
        not again
        or any(c.isdigit() for w in again for c in w.text)
        or not any(_CJK.search(w.text) for w in again)
    ):
        return words
    if len(lines) == 1 and not _known(again[0].text):
        page_text = "".join(w.text for w in inside)
        larger = _one_line(image.words(image.irect(lines[0]), [], scale=2))
        if larger is not None and _known(larger.text) and not _known(page_text):
            again = [larger]
        elif _known(page_text) or (inside and all(_CJK.fullmatch(c) for c in page_text)):
            return words  # one line the page read as Chinese: alone, two characters are often misread
    return [w for w in words if not _centre_in(w.box, rect)] + again


def _known(text: str) -> bool:
    """A word tables are printed with (catalog/words.py): the reading to prefer of two."""
    from budgetlens.catalog.words import vocabulary

    return text in vocabulary()


def _one_line(words: list[Word]) -> Word | None:
    """The words of one printed line as one word, left to right."""
    if not words:
        return None
    words = sorted(words, key=lambda w: w.box[0])
    box = (
        words[0].box[0],
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )
    return Word(text="".join(w.text for w in words), box=box)


def _centre_in(box: tuple[float, float, float, float], rect: pymupdf.Rect) -> bool:
    return rect.x0 <= (box[0] + box[2]) / 2 <= rect.x1 and rect.y0 <= (box[1] + box[3]) / 2 <= rect.y1


class _Image:
    """The page image OCR reads: pixel indices ↔ upright page points."""

    def __init__(self, pix: pymupdf.Pixmap, dpi: int) -> None:
        self.pix, self.dpi, self.zoom = pix, dpi, dpi / 72
        self.pix.set_dpi(dpi, dpi)  # so an OCR page is in points: a pixel is 72 / dpi of one

    def rule(self, line: raster.Line) -> Rule:
        """A rule as the line through the middle of its pixels (a slightly slanted line is some
        pixels high: its middle is where it is)."""
        r = self.points((line.x0, line.y0, line.x1 + 1, line.y1 + 1))
        if line.horizontal:
            y = round((r.y0 + r.y1) / 2, 2)
            return Rule(x0=round(r.x0, 2), y0=y, x1=round(r.x1, 2), y1=y)
        x = round((r.x0 + r.x1) / 2, 2)
        return Rule(x0=x, y0=round(r.y0, 2), x1=x, y1=round(r.y1, 2))

    def points(self, box: tuple[int, int, int, int]) -> pymupdf.Rect:
        """Pixel indices → upright page points (the pixmap's origin is where the page drew it)."""
        x, y, z = self.pix.x, self.pix.y, self.zoom
        return pymupdf.Rect((box[0] + x) / z, (box[1] + y) / z, (box[2] + x) / z, (box[3] + y) / z)

    def irect(self, box: tuple[int, int, int, int]) -> pymupdf.IRect:
        """Pixel indices → the pixmap's own coordinates."""
        x, y = self.pix.x, self.pix.y
        return pymupdf.IRect(box[0] + x, box[1] + y, box[2] + x, box[3] + y)

    def stacked(self, areas: list[pymupdf.IRect], verticals: list[Rule]) -> list[Word]:
        """What Tesseract reads in each area (the rows of a table), the areas set one under another
        with white between them and read at once: each row's text alone on its lines (so no line
        runs into the next row's), for the cost of one reading."""
        if not areas:
            return []
        gap = int(8 * self.zoom)
        width = max(a.width for a in areas) + 2 * gap
        sheet = pymupdf.Pixmap(
            pymupdf.csRGB, pymupdf.IRect(0, 0, width, sum(a.height + gap for a in areas) + gap), False
        )
        sheet.clear_with(255)
        places: list[tuple[int, pymupdf.IRect]] = []  # (top on the sheet, area)
        top = gap
        for area in areas:
            piece = pymupdf.Pixmap(pymupdf.csRGB, area, False)
            piece.copy(self.pix, area)
            piece.set_origin(gap, top)
            sheet.copy(piece, pymupdf.IRect(gap, top, gap + area.width, top + area.height))
            places.append((top, area))
            top += area.height + gap
        sheet.set_dpi(self.dpi, self.dpi)
        # page point = sheet point + shift of its area; the rules too, each only over its own area
        shifts = [((a.x0 - gap) / self.zoom, (a.y0 - t) / self.zoom) for t, a in places]
        cuts = [
            Rule(
                x0=v.x0 - dx,
                x1=v.x1 - dx,
                y0=max(v.y0, a.y0 / self.zoom) - dy,
                y1=min(v.y1, a.y1 / self.zoom) - dy,
            )
            for (t, a), (dx, dy) in zip(places, shifts, strict=True)
            for v in verticals
            if v.y1 > a.y0 / self.zoom and v.y0 < a.y1 / self.zoom
        ]
        return self._read(sheet, cuts, lambda w: _home(w, places, shifts, self.zoom, gap))

    def words(
        self, area: pymupdf.IRect, verticals: list[Rule], language: str = LANGUAGE, scale: int = 1
    ) -> list[Word]:
        """What Tesseract reads in `area` (the whole image, or one cell set on a white margin,
        perhaps drawn `scale` times larger)."""
        pix = self.pix
        if area != pix.irect:
            margin = int(6 * self.zoom)
            wider = pymupdf.IRect(area.x0 - margin, area.y0 - margin, area.x1 + margin, area.y1 + margin)
            pix = pymupdf.Pixmap(pymupdf.csRGB, wider, False)
            pix.clear_with(255)
            pix.copy(self.pix, area)
        origin = (pix.x / self.zoom, pix.y / self.zoom)
        if scale != 1:
            pix = pymupdf.Pixmap(pix, pix.width * scale, pix.height * scale, None)
        pix.set_dpi(self.dpi * scale, self.dpi * scale)  # an OCR page in points whatever the scale
        shifted = [
            Rule(x0=v.x0 - origin[0], x1=v.x1 - origin[0], y0=v.y0 - origin[1], y1=v.y1 - origin[1])
            for v in verticals
        ]
        dx, dy = origin
        return self._read(pix, shifted, lambda w: _moved(w, dx, dy), language)

    def _read(
        self,
        pix: pymupdf.Pixmap,
        cuts: list[Rule],
        place: Callable[[Word], Word | None],
        language: str = LANGUAGE,
    ) -> list[Word]:
        """Tesseract's words in the pixmap (in its own points), cut at `cuts`, put back on the page
        by `place`, their numbers put right (load/ocr_text.py)."""
        from budgetlens.load.pdf import _words

        with _quiet():
            data = pix.pdfocr_tobytes(compress=False, language=language, tessdata=tessdata())
        with pymupdf.open(stream=data, filetype="pdf") as ocr:
            words = _words(ocr[0].get_textpage(), pymupdf.Identity, cuts)
        out = []
        for word in words:
            text = clean_word(word.text)
            placed = place(word) if text.strip() else None
            if placed is not None:
                out.append(placed.model_copy(update={"text": text}))
        return out


@contextmanager
def _quiet() -> Iterator[None]:
    """Tesseract writes its own notes ('Image too small to scale!!') straight to the process's
    stderr, which is ours to speak on: they go to /dev/null while it reads."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _moved(word: Word, dx: float, dy: float) -> Word:
    x0, y0, x1, y1 = word.box
    return word.model_copy(
        update={"box": (round(x0 + dx, 2), round(y0 + dy, 2), round(x1 + dx, 2), round(y1 + dy, 2))}
    )


def _home(
    word: Word,
    places: list[tuple[int, pymupdf.IRect]],
    shifts: list[tuple[float, float]],
    zoom: float,
    gap: int,
) -> Word | None:
    """A word read on the sheet of stacked areas, moved back to where its area is on the page."""
    mid = (word.box[1] + word.box[3]) / 2 * zoom  # on the sheet, in pixels
    for (top, area), (dx, dy) in zip(places, shifts, strict=True):
        if top - gap / 2 <= mid < top + area.height + gap / 2:
            return _moved(word, dx, dy)
    return None


class BoxReader:
    """A second reading of single boxes of pages read by OCR: the box alone, drawn at twice the
    resolution, read by Tesseract in Chinese and in English (whose model reads lone figures
    differently). `with BoxReader(path, password, notes) as r: r.read(page, box)`."""

    def __init__(self, path: Path, password: str | None, notes: dict[int, OcrNote]) -> None:
        from budgetlens.load.pdf import open_pdf

        self._doc = open_pdf(path, password)
        self._notes = notes

    def __enter__(self) -> BoxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._doc.close()

    def read(self, page: int, box: tuple[float, float, float, float]) -> list[str]:
        """What each reading finds in the box (its words joined), in Chinese then in English."""
        note = self._notes.get(page)
        if note is None or tessdata() is None:
            return []
        pdf_page = self._doc[page - 1]
        turn = _turn(pdf_page.rect, -note.skew)
        dpi = note.dpi * 2
        zoom = dpi / 72
        pad = 2.0
        area = pymupdf.Rect(box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        clip = (area * ~turn) & pdf_page.rect  # the page's own coordinates, before the turn
        pix = pdf_page.get_pixmap(
            matrix=turn * pymupdf.Matrix(zoom, zoom), clip=clip, colorspace=pymupdf.csGRAY
        )
        image = _Image(pymupdf.Pixmap(pymupdf.csRGB, pix), dpi)
        inside = pymupdf.IRect(area * zoom) & image.pix.irect
        if inside.is_empty:
            return []
        out = []
        for language in (LANGUAGE, "eng"):
            words = image.words(inside, [], language=language)
            out.append("".join(w.text for w in sorted(words, key=lambda w: w.box[0])))
        return out
