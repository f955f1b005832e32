"""Render a DocumentSpec into a realistic PDF, and write its ground truth beside it.

Writing PDFs uses PyMuPDF too (reading stays in budgetlens.load). Tables are ruled cell by cell,
with spanning header cells, wrapped labels, optional 类/款/项 code columns, landscape pages and
page breaks inside long tables (header repeated or not).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pymupdf

from budgetlens.amounts import is_amount, is_code
from budgetlens.testing.spec import Block, DocumentSpec, FormSpec, HeaderCell, TableSpec, placements
from budgetlens.testing.truth import table_truth

PORTRAIT = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)
MARGIN = 56.0
BODY = 10.5
CELL = 8.5
PAD = 3.0
# How table borders are drawn: every border as separate lines (WPS), cell rectangles (Word), only a
# rule over and under the header and under the table (a three-line table), an outer frame only, or
# none at all (columns by alignment alone, as Excel and WPS exports often print)
Style = Literal["lines", "rects", "threeline", "frame", "nolines"]
RULED: tuple[Style, ...] = ("lines", "rects")


@dataclass
class _Writer:
    doc: pymupdf.Document
    font: pymupdf.Font
    style: Style = "lines"
    department: str = ""
    page: pymupdf.Page | None = None
    writer: pymupdf.TextWriter | None = None
    shape: pymupdf.Shape | None = None
    advances: dict[str, float] = field(default_factory=dict)
    y: float = 0.0
    truth: list[dict[str, object]] = field(default_factory=list)

    def new_page(self, landscape: bool = False) -> pymupdf.Page:
        self.flush()
        w, h = LANDSCAPE if landscape else PORTRAIT
        self.page = self.doc.new_page(width=w, height=h)
        self.writer = pymupdf.TextWriter(self.page.rect)
        self.shape = self.page.new_shape()
        self.y = MARGIN
        number = self.doc.page_count
        self.text(str(number), (w / 2 - 4, h - 30), 9)  # page number in the bottom margin
        return self.page

    @property
    def width(self) -> float:
        assert self.page is not None
        return self.page.rect.width

    @property
    def bottom(self) -> float:
        assert self.page is not None
        return self.page.rect.height - MARGIN

    def text(self, s: str, at: tuple[float, float], size: float) -> None:
        assert self.writer is not None
        self.writer.append(at, s, font=self.font, fontsize=size)

    def flush(self) -> None:
        """Text is collected per page and written once: far faster than a write per string."""
        if self.page is not None and self.writer is not None and self.shape is not None:
            self.shape.finish(color=(0, 0, 0), width=0.6)
            self.shape.commit()
            self.writer.write_text(self.page)
            self.writer, self.shape = None, None

    def length(self, s: str, size: float) -> float:
        for ch in s:
            if ch not in self.advances:
                self.advances[ch] = float(self.font.text_length(ch, fontsize=1.0))
        return sum(self.advances[ch] for ch in s) * size

    def wrap(self, s: str, width: float, size: float, indent: float = 0.0) -> list[str]:
        lines, current, limit = [], "", width - indent
        for ch in s:
            if current and self.length(current + ch, size) > limit:
                lines.append(current)
                current, limit = "", width
            current += ch
        return [*lines, current] if current else lines or [""]

    def across(self, y: float, x0: float, x1: float) -> None:
        """A rule across the table, for a three-line table (its top, under its header, its bottom)."""
        if self.style == "threeline":
            self.line((x0, y), (x1, y))

    def frame(self, r: pymupdf.Rect) -> None:
        """The outer frame of the table's part on a page, for a table in a frame only."""
        if self.style == "frame":
            assert self.shape is not None
            self.shape.draw_rect(r)

    def line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        assert self.shape is not None
        self.shape.draw_line(a, b)

    def rect(self, r: pymupdf.Rect) -> None:
        assert self.shape is not None
        if self.style not in RULED:
            return
        if self.style == "rects":
            self.shape.draw_rect(r)
        else:
            for a, b in ((r.tl, r.tr), (r.bl, r.br), (r.tl, r.bl), (r.tr, r.br)):
                self.line(a, b)


def render(
    spec: DocumentSpec, out_dir: Path, style: Style = "lines", rotate_landscape: bool = False
) -> tuple[Path, Path]:
    """Write ``<name>.pdf`` and ``<name>.facts.jsonl`` (the ground truth) into ``out_dir``.

    ``style`` draws borders as separate lines (like WPS) or as cell rectangles (like Word), or a
    table's three rules only (``threeline``), its outer frame only (``frame``), or no rule at all
    (``nolines``);
    ``rotate_landscape`` stores landscape pages as portrait pages turned by /Rotate, as some
    word processors do, so the reader has to normalise them.
    """
    doc = pymupdf.open()
    w = _Writer(doc=doc, font=pymupdf.Font("cjk"), style=style, department=spec.department)
    _cover(w, spec.cover)
    for block in spec.blocks:
        _block(w, block)
    w.flush()
    if rotate_landscape:
        doc = _rotate_landscape(doc)
    doc.subset_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf, facts = out_dir / f"{spec.name}.pdf", out_dir / f"{spec.name}.facts.jsonl"
    doc.save(pdf, garbage=3, deflate=True)
    doc_id = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    lines = [json.dumps({"doc": doc_id, **f}, ensure_ascii=False) + "\n" for f in w.truth]
    facts.write_text("".join(lines), encoding="utf-8")
    return pdf, facts


def _cover(w: _Writer, lines: list[str]) -> None:
    w.new_page()
    y = 280.0
    for line in lines:
        size = 22.0
        w.text(line, ((w.width - w.length(line, size)) / 2, y), size)
        y += 44
    w.y = w.bottom + 1  # whatever follows starts a new page


def _block(w: _Writer, block: Block) -> None:
    if block.type == "page_break":
        w.new_page()
    elif block.type == "heading":
        size = {1: 16.0, 2: 12.5}.get(block.level, 11.0)
        _ensure(w, size * 2.4)
        x = (w.width - w.length(block.text, size)) / 2 if block.level == 1 else MARGIN + 2 * BODY
        w.y += size * 1.6
        w.text(block.text, (x, w.y), size)
        w.y += size * 0.8
    elif block.type == "paragraph":
        _paragraph(w, block.text)
    elif block.table is not None:
        _table(w, block.table)
    elif block.form is not None:
        _form(w, block.form)


def _ensure(w: _Writer, height: float) -> None:
    if w.page is None or w.y + height > w.bottom:
        w.new_page(landscape=bool(w.page and w.page.rect.width > w.page.rect.height))


def _paragraph(w: _Writer, text: str, size: float = BODY, indent: bool = True) -> None:
    width = w.width - 2 * MARGIN
    for i, line in enumerate(w.wrap(text, width, size, indent=2 * size if indent else 0)):
        _ensure(w, size * 1.8)
        w.y += size * 1.8
        w.text(line, (MARGIN + (2 * size if indent and i == 0 else 0), w.y), size)


# -- tables ---------------------------------------------------------------------------------------


def _table(w: _Writer, spec: TableSpec) -> None:
    header, roles, rows = _split_codes(spec) if spec.split_codes else (spec.header, spec.roles, spec.rows)
    if spec.column_numbers:
        numbers = _split_numbers(spec) if spec.split_codes else spec.column_numbers
        header = [*header, [HeaderCell(text=t) for t in numbers]]
    w.new_page(landscape=spec.landscape)
    widths = _widths(w, header, roles, rows)
    _table_heading(w, spec, sum(widths))
    pages: list[int] = []
    h_rows = _header_heights(w, header, widths)
    right = MARGIN + sum(widths)
    top = w.y
    _draw_header(w, header, widths, h_rows)
    on_page = 0
    for row in rows:
        height = _row_height(w, row, roles, widths)
        full = spec.max_rows_per_page is not None and on_page >= spec.max_rows_per_page
        if w.y + height > w.bottom or full:
            w.across(w.y, MARGIN, right)
            w.frame(pymupdf.Rect(MARGIN, top, right, w.y))
            w.new_page(landscape=spec.landscape)
            on_page, top = 0, w.y
            if spec.repeat_header:
                _draw_header(w, header, widths, h_rows)
            else:
                w.across(w.y, MARGIN, right)
        _draw_row(w, row, roles, widths, height)
        pages.append(w.doc.page_count)
        on_page += 1
    w.across(w.y, MARGIN, right)
    w.frame(pymupdf.Rect(MARGIN, top, right, w.y))
    w.y += 4
    for note in [*spec.notes, *([spec.statement] if spec.statement else [])]:
        _paragraph(w, note, size=9.0, indent=False)
    w.truth.extend(table_truth(spec, pages, w.department))


def _form(w: _Writer, spec: FormSpec) -> None:
    """A form on a page of its own: title, then every row ruled by its own cells (no truth is derived:
    a form's tests say what they expect)."""
    w.new_page()
    scale = (w.width - 2 * MARGIN) / sum(spec.widths)
    widths = [x * scale for x in spec.widths]
    size = 12.0
    w.y += size * 1.6
    w.text(spec.title, ((w.width - w.length(spec.title, size)) / 2, w.y), size)
    w.y += size * 1.4
    _draw_header(w, spec.rows, widths, _header_heights(w, spec.rows, widths))


def _split_codes(spec: TableSpec) -> tuple[list[list[HeaderCell]], list, list[list[str]]]:
    """Print the code column as three columns 类 | 款 | 项 (header and rows)."""
    k = spec.roles.index("code")
    header = [[c.model_copy() for c in row] for row in spec.header]
    _widen_code_header(header, k)
    roles = [*spec.roles[:k], "code", "code", "code", *spec.roles[k + 1 :]]
    rows = []
    for row in spec.rows:
        code = row[k].strip()
        parts = [code[:3], code[3:5], code[5:7]] if is_code(code) else [code, "", ""]
        rows.append([*row[:k], *parts, *row[k + 1 :]])
    return header, roles, rows


def _widen_code_header(header: list[list[HeaderCell]], k: int) -> None:
    """Cells over the code column span two more columns; the deepest one becomes 类 | 款 | 项."""
    depth = len(header)
    for r, c, cell in placements(header):  # positions before any widening
        if not c <= k < c + cell.colspan:
            continue
        if cell.colspan > 1 or r + cell.rowspan < depth:
            cell.colspan += 2
        elif cell.rowspan == 1:
            row = header[r]
            at = next(i for i, x in enumerate(row) if x is cell)
            row[at : at + 1] = _code_parts()
        else:  # the code's own header spans rows: it keeps the upper rows, 类 | 款 | 项 take the last
            cell.rowspan -= 1
            cell.colspan = 3
            at = sum(1 for rr, cc, _ in placements(header) if rr == depth - 1 and cc < k)
            header[depth - 1][at:at] = _code_parts()


def _code_parts() -> list[HeaderCell]:
    return [HeaderCell(text=t) for t in ("类", "款", "项")]


def _split_numbers(spec: TableSpec) -> list[str]:
    k = spec.roles.index("code")
    nums = spec.column_numbers or []
    return [*nums[:k], "类", "款", "项", *nums[k + 1 :]]


def _widths(w: _Writer, header: list[list[HeaderCell]], roles: list, rows: list[list[str]]) -> list[float]:
    total = w.width - 2 * MARGIN
    natural = []
    for i, role in enumerate(roles):
        longest = max((w.length(r[i], CELL) for r in rows), default=0.0)
        if role == "code":
            natural.append(max(longest + 2 * PAD, 26.0))
        elif role == "ordinal":
            natural.append(28.0)
        elif role == "value":
            natural.append(max(longest + 2 * PAD, 48.0))
        else:
            natural.append(min(max(longest + 2 * PAD, 60.0), 150.0))
    scale = total / sum(natural)
    return [x * scale for x in natural]


def _header_heights(w: _Writer, header: list[list[HeaderCell]], widths: list[float]) -> list[float]:
    heights = [CELL * 2.4] * len(header)
    for r, c, cell in placements(header):
        width = sum(widths[c : c + cell.colspan]) - 2 * PAD
        need = len(w.wrap(cell.text, width, CELL)) * CELL * 1.3 + 2 * PAD
        if need > sum(heights[r : r + cell.rowspan]):
            heights[r + cell.rowspan - 1] += need - sum(heights[r : r + cell.rowspan])
    return heights


def _table_heading(w: _Writer, spec: TableSpec, width: float) -> None:
    size = 12.0
    w.y += size * 1.6
    w.text(spec.title, ((w.width - w.length(spec.title, size)) / 2, w.y), size)
    w.y += size * 1.4
    if spec.caption_left:
        w.text(spec.caption_left, (MARGIN, w.y), 9.0)
    if spec.unit:
        w.text(spec.unit, (MARGIN + width - w.length(spec.unit, 9.0), w.y), 9.0)
    w.y += 6


def _draw_header(
    w: _Writer, header: list[list[HeaderCell]], widths: list[float], heights: list[float]
) -> None:
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [w.y + sum(heights[:i]) for i in range(len(heights) + 1)]
    for r, c, cell in placements(header):
        rect = pymupdf.Rect(xs[c], ys[r], xs[c + cell.colspan], ys[r + cell.rowspan])
        w.rect(rect)
        _cell_text(w, cell.text, rect, "center")
    w.across(ys[0], xs[0], xs[-1])
    w.across(ys[-1], xs[0], xs[-1])
    w.y = ys[-1]


def _row_height(w: _Writer, row: list[str], roles: list, widths: list[float]) -> float:
    lines = max(len(w.wrap(t, widths[i] - 2 * PAD, CELL)) for i, t in enumerate(row))
    return max(CELL * 2.2, lines * CELL * 1.3 + 2 * PAD)


def _draw_row(w: _Writer, row: list[str], roles: list, widths: list[float], height: float) -> None:
    x = MARGIN
    for i, text in enumerate(row):
        rect = pymupdf.Rect(x, w.y, x + widths[i], w.y + height)
        w.rect(rect)
        align = "right" if roles[i] == "value" and is_amount(text) else "left"
        _cell_text(w, text, rect, align)
        x += widths[i]
    w.y += height


def _cell_text(w: _Writer, text: str, rect: pymupdf.Rect, align: str) -> None:
    lines = w.wrap(text, rect.width - 2 * PAD, CELL) if text else []
    top = rect.y0 + (rect.height - len(lines) * CELL * 1.3) / 2
    for n, line in enumerate(lines):
        length = w.length(line, CELL)
        x = {"left": rect.x0 + PAD, "right": rect.x1 - PAD - length}.get(
            align, (rect.x0 + rect.x1 - length) / 2
        )
        w.text(line, (x, top + (n + 1) * CELL * 1.3 - 2), CELL)


def _rotate_landscape(doc: pymupdf.Document) -> pymupdf.Document:
    """Re-store each landscape page as a portrait page whose content is turned and /Rotate 90 set."""
    out = pymupdf.open()
    for page in doc:  # type: ignore[attr-defined]
        if page.rect.width <= page.rect.height:
            out.insert_pdf(doc, from_page=page.number, to_page=page.number)
            continue
        new = out.new_page(width=page.rect.height, height=page.rect.width)
        new.show_pdf_page(new.rect, doc, page.number, rotate=-90)
        new.set_rotation(90)
    return out


def load_spec(path: Path) -> DocumentSpec:
    return DocumentSpec.model_validate_json(path.read_text(encoding="utf-8"))


SEEDS = Path(__file__).parent / "seeds"


def seed_specs() -> list[Path]:
    return sorted(SEEDS.glob("*.json"))
