"""Read a PDF with PyMuPDF into upright pages of words and ruling lines.

This is the only module that imports PyMuPDF for reading documents.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pymupdf

from budgetlens.errors import BadInput
from budgetlens.load.models import LoadedDocument, Page, Rule, Word

THIN = 2.0  # a filled rectangle thinner than this (pt) is a drawn line
WHITE = (1.0, 1.0, 1.0)


def load_pdf(path: str | Path) -> LoadedDocument:
    """Open ``path`` and return its pages, or raise BadInput with a one-line reason."""
    path = Path(path)
    data = _read_bytes(path)
    doc = _open(path, data)
    try:
        pages = [_read_page(page) for page in doc]  # type: ignore[attr-defined]
    except RuntimeError as exc:  # MuPDF raises on damaged page content
        raise BadInput(f"{path.name}: damaged PDF ({exc})") from exc
    finally:
        producer = (doc.metadata or {}).get("creator") or (doc.metadata or {}).get("producer") or ""
        doc.close()
    return LoadedDocument(
        path=str(path), sha256=hashlib.sha256(data).hexdigest(), producer=producer, pages=pages
    )


def open_pdf(path: Path) -> pymupdf.Document:
    """The PDF opened, or BadInput with a one-line reason (the caller closes it)."""
    return _open(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    data = path.read_bytes()
    if not data:
        raise BadInput(f"{path.name}: empty file")
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise BadInput(f"{path.name}: not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise BadInput(f"{path.name}: truncated PDF (no %%EOF trailer)")
    return data


def _open(path: Path, data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF's own error types vary by version
        raise BadInput(f"{path.name}: cannot be opened as a PDF ({exc})") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise BadInput(f"{path.name}: encrypted PDF (a password is needed)")
    if doc.page_count == 0:
        doc.close()
        raise BadInput(f"{path.name}: PDF has no pages")
    return doc


def _read_page(page: pymupdf.Page) -> Page:
    textpage = page.get_textpage()
    turn = content_turn(textpage, page.rotation_matrix)
    # Text and drawings come in unrotated page space; this matrix makes them upright.
    matrix = page.rotation_matrix * pymupdf.Matrix(turn)
    upright = (page.rect * page.derotation_matrix) * matrix
    shift = pymupdf.Matrix(1, 0, 0, 1, -upright.x0, -upright.y0)
    matrix = matrix * shift
    rules = [_transform(r, matrix) for r in _rules(page)]
    words = _words(textpage, matrix, [r for r in rules if not r.horizontal])
    return Page(
        number=page.number + 1,
        width=upright.width,
        height=upright.height,
        rotation=(page.rotation + turn) % 360,
        words=words,
        rules=rules,
    )


def _words(textpage: pymupdf.TextPage, matrix: pymupdf.Matrix, verticals: list[Rule]) -> list[Word]:
    """Words in upright coordinates. A 'word' a vertical rule runs through is several cells' texts set
    without a space ('174,900.64101,833.84' over two amount columns): it is cut at the rules."""
    out: list[Word] = []
    chars: list[tuple[str, pymupdf.Rect]] | None = None
    for w in textpage.extractWORDS():
        if not w[4].strip():
            continue
        box = pymupdf.Rect(w[:4]) * matrix
        mid = (box.y0 + box.y1) / 2
        cuts = sorted(v.x0 for v in verticals if box.x0 + 1 < v.x0 < box.x1 - 1 and v.y0 <= mid <= v.y1)
        if not cuts:
            out.append(Word(text=w[4], box=_box(box)))
            continue
        chars = chars if chars is not None else _chars(textpage, matrix)
        out.extend(_cut(box, cuts, chars))
    return out


def _chars(textpage: pymupdf.TextPage, matrix: pymupdf.Matrix) -> list[tuple[str, pymupdf.Rect]]:
    return [
        (c["c"], pymupdf.Rect(c["bbox"]) * matrix)
        for block in textpage.extractRAWDICT()["blocks"]
        for line in block.get("lines", ())
        for span in line["spans"]
        for c in span["chars"]
    ]


def _cut(box: pymupdf.Rect, cuts: list[float], chars: list[tuple[str, pymupdf.Rect]]) -> list[Word]:
    pieces: dict[int, list[tuple[str, pymupdf.Rect]]] = {}
    for c, r in chars:
        cx, cy = (r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2
        if box.x0 <= cx <= box.x1 and box.y0 <= cy <= box.y1 and c.strip():
            pieces.setdefault(sum(cx > x for x in cuts), []).append((c, r))
    out = []
    for _, piece in sorted(pieces.items()):
        piece.sort(key=lambda cr: cr[1].x0)
        rect = pymupdf.Rect(piece[0][1])
        for _, r in piece[1:]:
            rect |= r
        out.append(Word(text="".join(c for c, _ in piece), box=_box(rect)))
    return out


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


def _rules(page: pymupdf.Page) -> list[Rule]:
    rules: list[Rule] = []
    for path in page.get_drawings():
        stroked = path.get("color") is not None and tuple(path["color"] or ()) != WHITE
        filled = path.get("fill") is not None and tuple(path["fill"] or ()) != WHITE
        for item in path["items"]:
            rules.extend(_item_rules(item, stroked, filled))
        if filled:
            rules.extend(_thin_polygons(path["items"]))
    return rules


def _thin_polygons(items: list[tuple[Any, ...]]) -> list[Rule]:
    """Filled outlines drawn segment by segment (four `l` items round a thin rectangle, as some
    exporters draw every border): a thin one is a ruling line."""
    out: list[Rule] = []
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
                out.append(Rule(x0=r.x0, y0=r.y0, x1=r.x1, y1=r.y1))
        points = [item[1], item[2]] if item[0] == "l" else []
    return out


def _item_rules(item: tuple[Any, ...], stroked: bool, filled: bool) -> list[Rule]:
    op = item[0]
    if op == "l" and stroked:
        (a, b) = item[1], item[2]
        return [Rule(x0=min(a.x, b.x), y0=min(a.y, b.y), x1=max(a.x, b.x), y1=max(a.y, b.y))]
    if op in ("re", "qu"):
        rect = item[1] if op == "re" else item[1].rect
        if filled and min(rect.width, rect.height) < THIN:
            return [Rule(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1)]
        if stroked:
            x0, y0, x1, y1 = rect
            return [
                Rule(x0=x0, y0=y0, x1=x1, y1=y0),
                Rule(x0=x0, y0=y1, x1=x1, y1=y1),
                Rule(x0=x0, y0=y0, x1=x0, y1=y1),
                Rule(x0=x1, y0=y0, x1=x1, y1=y1),
            ]
    return []


def _transform(rule: Rule, matrix: pymupdf.Matrix) -> Rule:
    r = pymupdf.Rect(rule.x0, rule.y0, rule.x1, rule.y1) * matrix
    r.normalize()
    return Rule(x0=r.x0, y0=r.y0, x1=r.x1, y1=r.y1)


def _box(r: pymupdf.Rect) -> tuple[float, float, float, float]:
    r.normalize()
    return (round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2))
