"""Read a PDF with PyMuPDF into upright pages of words and ruling lines.

This is the only module that imports PyMuPDF for reading documents. Whether a file is a readable
PDF is what MuPDF says when it opens it (not a guess from its bytes); what MuPDF had to repair, and
pages it could not read, are kept so the result can say so.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf

from budgetlens.errors import BadInput
from budgetlens.load import ocr
from budgetlens.load.models import Box, LoadedDocument, Page, Rule, Word

THIN = 2.0  # a filled rectangle thinner than this (pt) is a drawn line
WHITE = (1.0, 1.0, 1.0)
# A page's content inflating beyond this is not read: MuPDF takes ~8 s per GiB of it, and a tiny
# file can hold gigabytes of it (a decompression bomb). Real pages hold a few MiB at most.
MAX_CONTENT = 256 << 20
# Bytes allowed after %%EOF: padding some producers (and file transfers) add; MuPDF looks for the
# cross-reference table near the end and would "repair" a sound file over it.
_PADDING = b" \t\r\n\f\x00"
SOUND = "get a sound copy of the file"

pymupdf.TOOLS.mupdf_display_errors(False)  # MuPDF's messages are collected and said once, in ours
pymupdf.TOOLS.mupdf_display_warnings(False)


def load_pdf(path: str | Path, password: str | None = None, jobs: int = 1) -> LoadedDocument:
    """Open ``path`` and return its pages, or raise BadInput with a one-line reason. Pages without
    a usable text layer are read by OCR when Tesseract is installed (`jobs` pages at a time)."""
    path = Path(path)
    data = _read_bytes(path)
    _warnings()  # MuPDF's warnings accumulate: start from none
    doc = _open(path, data, password)
    said = _warnings()
    try:
        pages = [_page(doc, n, said) for n in range(doc.page_count)]
        producer = (doc.metadata or {}).get("creator") or (doc.metadata or {}).get("producer") or ""
    finally:
        doc.close()
    pages, ocr_unavailable = ocr.read_pages(path, password, pages, jobs)
    repaired = _repair_note(said)
    if repaired and not any(p.words for p in pages):
        raise BadInput(
            f"{path.name}: damaged PDF: MuPDF repaired it ({repaired}) but no page could be read; {SOUND}"
        )
    return LoadedDocument(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        producer=producer,
        repaired=repaired,
        ocr_unavailable=ocr_unavailable,
        pages=pages,
    )


def open_pdf(path: Path, password: str | None = None) -> pymupdf.Document:
    """The PDF opened, or BadInput with a one-line reason (the caller closes it)."""
    return _open(path, _read_bytes(path), password)


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise BadInput(f"{path}: a folder, not a PDF file")
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        raise BadInput(f"{path.name}: empty file (0 bytes); {SOUND}")
    return data


def _open(path: Path, data: bytes, password: str | None) -> pymupdf.Document:
    trimmed = data.rstrip(_PADDING) + b"\n" if data.rstrip(_PADDING).endswith(b"%%EOF") else data
    try:
        doc = pymupdf.open(stream=trimmed, filetype="pdf")
    except Exception as exc:  # MuPDF's own error types vary by version
        said = _warnings()
        if any("version marker" in w for w in said):
            raise BadInput(f"{path.name}: not a PDF (no %PDF- version marker)") from exc
        why = _first(said, skip="repair") or _one_line(exc)
        raise BadInput(
            f"{path.name}: damaged or truncated PDF that MuPDF cannot repair ({why}); {SOUND}"
        ) from exc
    try:
        _usable(path, doc, password)
    except BaseException:
        doc.close()
        raise
    return doc


def _usable(path: Path, doc: pymupdf.Document, password: str | None) -> None:
    if not doc.is_pdf:
        what = (doc.metadata or {}).get("format") or "another kind of"
        raise BadInput(f"{path.name}: not a PDF (MuPDF reads it as {what} file)")
    if doc.needs_pass:
        if not password:
            raise BadInput(f"{path.name}: encrypted PDF: give its password with --password")
        if not doc.authenticate(password):
            raise BadInput(f"{path.name}: encrypted PDF: the password given does not open it")
    try:
        count = doc.page_count
    except Exception as exc:  # MuPDF refuses an impossible page tree (a count of millions)
        raise BadInput(f"{path.name}: damaged or truncated PDF ({_one_line(exc)}); {SOUND}") from exc
    if count == 0:
        why = _first(_warnings(), skip="repair")
        raise BadInput(f"{path.name}: PDF has no pages" + (f" (MuPDF: {why})" if why else ""))


def _page(doc: pymupdf.Document, number: int, said: list[str]) -> Page:
    """The page read; or, when MuPDF cannot read it, an empty page that says why. What MuPDF
    warns of meanwhile is added to `said` (a repair can happen while a page is loaded)."""
    _warnings()
    try:
        page = doc.load_page(number)
        width, height = page.rect.width, page.rect.height
        if (size := _content_size(doc, page)) > MAX_CONTENT:
            why = f"its content inflates to more than {MAX_CONTENT >> 20} MiB ({size >> 20} MiB read)"
            return Page(number=number + 1, width=width, height=height, words=[], rules=[], unread=why)
        read = _read_page(page)
    except Exception as exc:  # MuPDF's error types for damaged content vary by version
        warned = _warnings()
        said += warned
        why = f"damaged page ({_first(warned, skip='repair') or _one_line(exc)})"
        return Page(number=number + 1, width=0, height=0, words=[], rules=[], unread=why)
    warned = _warnings()
    said += warned
    return read.model_copy(update={"damage": _first(warned, skip="repair") or None}) if warned else read


def _content_size(doc: pymupdf.Document, page: pymupdf.Page) -> int:
    """Bytes the page's Flate-compressed content streams inflate to, counted up to MAX_CONTENT."""
    size = 0
    for xref in page.get_contents():
        if "FlateDecode" not in doc.xref_get_key(xref, "Filter")[1]:
            continue
        inflate, data = zlib.decompressobj(), doc.xref_stream_raw(xref)
        while data and size <= MAX_CONTENT:
            try:
                size += len(inflate.decompress(data, 1 << 20))
            except zlib.error:
                break  # damaged: MuPDF reads what it can and says so
            data = inflate.unconsumed_tail
    return size


def _warnings() -> list[str]:
    """What MuPDF warned about since last asked, one line each."""
    return [w for w in pymupdf.TOOLS.mupdf_warnings(reset=True).splitlines() if w.strip()]


def _repair_note(warnings: list[str]) -> str | None:
    if not any("repair" in w for w in warnings):
        return None
    return _first(warnings, skip="repair") or "its cross-reference table was broken"


def _first(warnings: list[str], skip: str) -> str:
    """MuPDF's first warning that says what is wrong (not that it is repairing)."""
    useful = [w for w in warnings if not (skip and skip in w)]
    return _one_line(useful[0]) if useful else ""


def _one_line(text: object) -> str:
    line = re.sub(r"\s+", " ", str(text)).strip()
    line = re.sub(r"^code=\d+: ", "", line)
    return line if len(line) <= 120 else line[:119] + "…"


def _read_page(page: pymupdf.Page) -> Page:
    textpage = page.get_textpage()
    turn = content_turn(textpage, page.rotation_matrix)
    # Text and drawings come in unrotated page space; this matrix makes them upright.
    matrix = page.rotation_matrix * pymupdf.Matrix(turn)
    upright = (page.rect * page.derotation_matrix) * matrix
    shift = pymupdf.Matrix(1, 0, 0, 1, -upright.x0, -upright.y0)
    matrix = matrix * shift
    drawings = page.get_drawings()
    to_upright = _upright(matrix)
    rules = [_rule(to_upright(*segment)) for segment in _rules(drawings)]
    words = _words(textpage, matrix, [r for r in rules if not r.horizontal])
    blank = not words and not drawings and not page.get_images()
    if ocr.unusable_text("".join(w.text for w in words)):
        words = []  # glyphs without Unicode: nothing readable, a case for OCR
    return Page(
        number=page.number + 1,
        width=upright.width,
        height=upright.height,
        rotation=(page.rotation + turn) % 360,
        words=words,
        rules=rules,
        blank=blank,
    )


def _words(textpage: pymupdf.TextPage, matrix: pymupdf.Matrix, verticals: list[Rule]) -> list[Word]:
    """Words in upright coordinates. A 'word' a vertical rule runs through is several cells' texts set
    without a space ('174,900.64101,833.84' over two amount columns): it is cut at the rules."""
    out: list[Word] = []
    chars: list[tuple[str, pymupdf.Rect]] | None = None
    rules = sorted((v.x0, v.y0, v.y1) for v in verticals)
    xs = [x for x, _, _ in rules]
    turn = _upright(matrix)
    for w in textpage.extractWORDS():
        if not w[4].strip():
            continue
        box = turn(w[0], w[1], w[2], w[3])
        mid = (box[1] + box[3]) / 2
        inside = rules[bisect_right(xs, box[0] + 1) : bisect_left(xs, box[2] - 1)]
        cuts = [x for x, y0, y1 in inside if y0 <= mid <= y1]
        if not cuts:
            out.append(Word.model_construct(text=w[4], box=box))  # MuPDF's own words: nothing to validate
            continue
        chars = chars if chars is not None else _chars(textpage, matrix)
        out.extend(_cut(pymupdf.Rect(box), w[4], cuts, chars))
    return out


def _upright(m: pymupdf.Matrix) -> Callable[[float, float, float, float], Box]:
    """The matrix as plain arithmetic on a box (a PyMuPDF Rect per word costs more than the reading)."""

    def turn(x0: float, y0: float, x1: float, y1: float) -> Box:
        ax, ay = m.a * x0 + m.c * y0 + m.e, m.b * x0 + m.d * y0 + m.f
        bx, by = m.a * x1 + m.c * y1 + m.e, m.b * x1 + m.d * y1 + m.f
        return (round(min(ax, bx), 2), round(min(ay, by), 2), round(max(ax, bx), 2), round(max(ay, by), 2))

    return turn


def _chars(textpage: pymupdf.TextPage, matrix: pymupdf.Matrix) -> list[tuple[str, pymupdf.Rect]]:
    return [
        (c["c"], pymupdf.Rect(c["bbox"]) * matrix)
        for block in textpage.extractRAWDICT()["blocks"]
        for line in block.get("lines", ())
        for span in line["spans"]
        for c in span["chars"]
    ]


# A glyph begun left of a rule was set by the cell on the left and ran over ('一般性支出情况' too long
# for its cell); a glyph of the next cell starts after the rule and its padding.
_SPILL = 0.1


def _cut(
    box: pymupdf.Rect, text: str, cuts: list[float], chars: list[tuple[str, pymupdf.Rect]]
) -> list[Word]:
    pieces: dict[int, list[tuple[str, pymupdf.Rect]]] = {}
    for c, r in _glyphs(box, text, chars):
        cx = (r.x0 + r.x1) / 2
        pieces.setdefault(sum(cx > x and r.x0 > x - _SPILL for x in cuts), []).append((c, r))
    out = []
    for _, piece in sorted(pieces.items()):
        piece.sort(key=lambda cr: cr[1].x0)
        rect = pymupdf.Rect(piece[0][1])
        for _, r in piece[1:]:
            rect |= r
        out.append(Word(text="".join(c for c, _ in piece), box=_box(rect)))
    return out


def _glyphs(
    box: pymupdf.Rect, text: str, chars: list[tuple[str, pymupdf.Rect]]
) -> list[tuple[str, pymupdf.Rect]]:
    """The word's own glyphs, left to right: those centred in its box that spell its text (a glyph of
    the next word may be centred inside a box that text ran over into)."""

    def centred(r: pymupdf.Rect) -> bool:
        return box.x0 <= (r.x0 + r.x1) / 2 <= box.x1 and box.y0 <= (r.y0 + r.y1) / 2 <= box.y1

    inside = sorted(((c, r) for c, r in chars if c.strip() and centred(r)), key=lambda cr: cr[1].x0)
    wanted = [c for c in text if c.strip()]
    own, k = [], 0
    for c, r in inside:
        if k < len(wanted) and c == wanted[k]:
            own.append((c, r))
            k += 1
    return own if k == len(wanted) else inside


def content_turn(textpage: pymupdf.TextPage, rotation: pymupdf.Matrix) -> int:
    """Degrees to turn a page whose text still runs vertically once the page's /Rotate is applied
    (a landscape table set sideways on a portrait page)."""
    dirs: Counter[tuple[int, int]] = Counter()
    for block in textpage.extractDICT()["blocks"]:
        for line in block.get("lines", ()):
            ux, uy = line["dir"]
            dx, dy = ux * rotation.a + uy * rotation.c, ux * rotation.b + uy * rotation.d
            dirs[(round(dx), round(dy))] += len("".join(s["text"] for s in line["spans"]))
    if not dirs:
        return 0
    (dx, dy), _ = dirs.most_common(1)[0]
    return {(0, -1): 90, (0, 1): 270, (-1, 0): 180}.get((dx, dy), 0)


def _rules(drawings: list[dict[str, Any]]) -> list[Box]:
    """The ruling lines drawn on the page, as segments in unrotated page space."""
    rules: list[Box] = []
    for path in drawings:
        stroked = path.get("color") is not None and tuple(path["color"] or ()) != WHITE
        filled = path.get("fill") is not None and tuple(path["fill"] or ()) != WHITE
        for item in path["items"]:
            rules.extend(_item_rules(item, stroked, filled))
        if filled:
            rules.extend(_thin_polygons(path["items"]))
    return rules


def _thin_polygons(items: list[tuple[Any, ...]]) -> list[Box]:
    """Filled outlines drawn segment by segment (four `l` items round a thin rectangle, as some
    exporters draw every border): a thin one is a ruling line."""
    out: list[Box] = []
    points: list[pymupdf.Point] = []
    for item in [*items, ("end",)]:
        if item[0] == "l" and (not points or abs(item[1] - points[-1]) < 0.01):
            points += [item[1], item[2]] if not points else [item[2]]
            continue
        if len(points) >= 4:
            r = pymupdf.Rect(points[0], points[0])
            for p in points[1:]:
                r |= p
            if min(r.width, r.height) < THIN and max(r.width, r.height) > THIN:
                out.append((r.x0, r.y0, r.x1, r.y1))
        points = [item[1], item[2]] if item[0] == "l" else []
    return out


def _item_rules(item: tuple[Any, ...], stroked: bool, filled: bool) -> list[Box]:
    op = item[0]
    if op == "l" and stroked:
        (a, b) = item[1], item[2]
        return [(min(a.x, b.x), min(a.y, b.y), max(a.x, b.x), max(a.y, b.y))]
    if op in ("re", "qu"):
        rect = item[1] if op == "re" else item[1].rect
        if filled and min(rect.width, rect.height) < THIN:
            return [(rect.x0, rect.y0, rect.x1, rect.y1)]
        if stroked:
            x0, y0, x1, y1 = rect
            return [(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)]
    return []


def _rule(box: Box) -> Rule:
    return Rule.model_construct(x0=box[0], y0=box[1], x1=box[2], y1=box[3])  # drawn, not typed: no validation


def _box(r: pymupdf.Rect) -> tuple[float, float, float, float]:
    r.normalize()
    return (round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2))
