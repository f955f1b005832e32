"""Pages → typed sections: cover, 目录, parts and their subsections, and one section per table.

The page stream is read top to bottom as text lines and ruled grids. Headings open sections;
a grid becomes a table section titled by the lines just above it; a grid at the top of a page
whose columns line up with the previous table continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetlens.amounts import unit_in
from budgetlens.catalog import TableKind, canonical_name, match_title
from budgetlens.catalog.tables import printed_name
from budgetlens.chunk import headings
from budgetlens.chunk.grid import Grid, find_grids
from budgetlens.chunk.models import DocKind, Document, Paragraph, Section, SectionKind, Table
from budgetlens.chunk.table import build_table
from budgetlens.chunk.text import Line, lines_of, squeeze, union
from budgetlens.load.models import LoadedDocument, Page

MARGIN = 0.06  # share of the page height where running headers and page numbers live
_PAGE_NUMBER = re.compile(r"^[-—\s]*(第\s*)?\d+(\s*页)?[-—\s]*$|^\d+\s*/\s*\d+$")
_NOTE = re.compile(r"^(注|说明|备注)[:：]|[栏行]各?行?\s*[=＝]|[0-9]+\s*[栏行]\s*[=＝]")
_STATEMENT = re.compile(r"(无|没有|未发生|不涉及).{0,40}(收支|收入|支出|经费|数据|预算|决算)")
_NUMBERED = re.compile(r"^表\s*[0-9一二三四五六七八九十]+")
_CAPTION = re.compile(r"^(部门|单位|编制单位|预算单位)(名称)?[:：]")


@dataclass
class _Grids:
    """A grid with the lines that stand between the previous block and it."""

    grid: Grid
    above: list[Line]


@dataclass
class _Builder:
    doc_kind: DocKind
    sections: list[Section] = field(default_factory=list)
    part: SectionKind = "cover"
    open_table: tuple[Table, list[Grid]] | None = None

    def open(self, kind: SectionKind, name: str, heading: str | None, page: int) -> Section:
        section = Section(kind=kind, name=name, heading=heading, pages=[page])
        self.sections.append(section)
        self.open_table = None
        return section

    @property
    def current(self) -> Section:
        return self.sections[-1]

    def add_line(self, line: Line) -> None:
        section = self.current
        if line.page not in section.pages:
            section.pages.append(line.page)
        if section.table is not None and _is_table_note(line.text):
            _attach_note(section.table, line.text)
            return
        section.paragraphs.append(Paragraph(text=line.text, page=line.page, box=line.box))


def chunk(loaded: LoadedDocument) -> Document:
    """Split a loaded document into typed sections, in reading order."""
    sections = _sections(loaded)
    cover = next((s for s in sections if s.kind == "cover"), None)
    title = "".join(p.text for p in cover.paragraphs) if cover else ""
    return Document(
        source=loaded.path,
        sha256=loaded.sha256,
        doc_kind=detect_doc_kind(loaded),
        title=squeeze(title)[:200],
        page_count=len(loaded.pages),
        pages_without_text=loaded.pages_without_text,
        sections=sections,
    )


def _sections(loaded: LoadedDocument) -> list[Section]:
    builder = _Builder(doc_kind=detect_doc_kind(loaded))
    builder.open("cover", "封面", None, 1)
    toc_marker: str | None = None
    in_toc = False
    for page in loaded.pages:
        for block in _join_wrapped_headings(_stream(page)):
            if isinstance(block, _Grids):
                _table(builder, page, block)
                continue
            line = block
            level = headings.heading_level(line.text)
            if headings.is_toc(line.text) and not in_toc and builder.part == "cover":
                in_toc = True
                builder.open("toc", "目录", line.text, line.page)
                continue
            if in_toc:
                if level and toc_marker is None:
                    toc_marker = headings.marker(line.text)
                elif level and headings.marker(line.text) == toc_marker:
                    in_toc = False  # the first heading printed again: the body starts
                if in_toc:
                    builder.add_line(line)
                    continue
            if level == 1:
                builder.part = headings.part_kind(line.text)
                kind = builder.part if builder.part != "table" else "other"
                builder.open(kind, headings.topic(line.text), line.text, line.page)
            elif level == 2 and builder.part in ("overview", "narrative", "other"):
                builder.open(builder.part, headings.topic(line.text), line.text, line.page)
            else:
                if builder.part == "cover" and level:
                    builder.part = "other"
                    builder.open("other", headings.topic(line.text), line.text, line.page)
                    continue
                builder.add_line(line)
    sections = [s for s in builder.sections if s.paragraphs or s.table or s.kind != "cover"]
    for section in sections:
        section.paragraphs = reflow(section.paragraphs)
        section.pages = sorted(
            {
                section.pages[0],
                *(p.page for p in section.paragraphs),
                *(section.table.pages if section.table else []),
            }
        )
    return sections


def reflow(lines: list[Paragraph]) -> list[Paragraph]:
    """Join printed lines into paragraphs: a line that runs to the right margin continues on the next,
    unless the next line is indented (a new paragraph) or is a heading."""
    if not lines:
        return []
    right = max(p.box[2] for p in lines)
    left = min(p.box[0] for p in lines)
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        height = prev.box[3] - prev.box[1]
        runs_on = prev.box[2] >= right - 1.5 * height
        indented = line.box[0] > left + 1.2 * height
        if runs_on and not indented and headings.heading_level(line.text) is None:
            out[-1] = Paragraph(text=prev.text + line.text, page=prev.page, box=union([prev.box, line.box]))
        else:
            out.append(line)
    return out


def detect_doc_kind(loaded: LoadedDocument) -> DocKind:
    head = "".join(w.text for p in loaded.pages[:2] for w in p.words)
    for word, kind in (("决算", "final"), ("绩效", "performance"), ("预算", "budget")):
        if word in head:
            return kind  # type: ignore[return-value]
    return "unknown"


def _stream(page: Page) -> list[Line | _Grids]:
    """The page's lines outside tables and its grids, top to bottom."""
    grids = find_grids(page)
    inside = [g.box for g in grids]
    words = [w for w in page.words if not any(_contains(b, w.box) for b in inside)]
    lines = [ln for ln in lines_of(words, page.number) if not _running_text(ln, page)]
    out: list[Line | _Grids] = []
    pending: list[Line] = []
    items: list[tuple[float, Line | Grid]] = [(ln.box[1], ln) for ln in lines] + [
        (g.box[1], g) for g in grids
    ]
    for _, item in sorted(items, key=lambda x: x[0]):
        if isinstance(item, Grid):
            out.append(_Grids(grid=item, above=pending))
            pending = []
        else:
            out.append(item)
            pending.append(item)
    return out


def _contains(outer: tuple[float, ...], box: tuple[float, ...]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def _running_text(line: Line, page: Page) -> bool:
    """Page numbers and running headers in the top or bottom margin."""
    top, bottom = page.height * MARGIN, page.height * (1 - MARGIN)
    in_margin = line.box[3] < top or line.box[1] > bottom
    return in_margin and bool(_PAGE_NUMBER.match(line.text.strip()))


def _table(builder: _Builder, page: Page, block: _Grids) -> None:
    above = block.above
    if builder.open_table and not _titled(above, builder.doc_kind):
        table, grids = builder.open_table
        if table.pages[-1] == page.number - 1:
            merged = build_table([*grids, block.grid])  # stops at a grid whose columns don't line up
            if len(merged.pages) > len(grids):
                grids.append(block.grid)
                table.rows, table.pages = merged.rows, merged.pages
                builder.current.pages = list(table.pages)
                return
    kind, title = _title(above, builder.doc_kind)
    _take_title_lines(builder, above, title)
    table = build_table([block.grid])
    table.title = title
    table.unit = next((u for u in (unit_in(ln.text) for ln in above) if u), None)
    table.captions = [ln.text for ln in above if _CAPTION.match(squeeze(ln.text))]
    if kind is not None:
        table.kind, table.name = kind.id, canonical_name(kind, title)
        _apply_sides(table, kind)
    elif builder.doc_kind == "budget" and _NUMBERED.match(squeeze(title)):
        table.name = printed_name(title)  # a 预算 table is named by its printed title (the contract)
    section_kind: SectionKind = "performance" if _is_performance(table) else "table"
    name = table.name or squeeze(title) or "未识别表格"
    section = builder.open(section_kind, name, title or None, page.number)
    section.table = table
    builder.open_table = (table, [block.grid])


def _titled(above: list[Line], doc_kind: str) -> bool:
    return any(match_title(ln.text, doc_kind) or unit_in(ln.text) for ln in above)


def _title(above: list[Line], doc_kind: str) -> tuple[TableKind | None, str]:
    """The nearest line above the table that names a table kind; else the nearest title-like line."""
    for line in reversed(above[-6:]):
        kind = match_title(line.text, doc_kind)
        if kind is not None:
            return kind, line.text
    for line in reversed(above[-4:]):
        text = squeeze(line.text)
        if text.endswith("表") or re.search(r"表\s*[0-9一二三四五六七八九十]", text):
            return None, line.text
    return None, ""


def _take_title_lines(builder: _Builder, above: list[Line], title: str) -> None:
    """The title and the unit and caption lines under it belong to the table, not to the previous
    section's text; narrative lines above the title stay where they are."""
    near = above[-6:]
    start = next((i for i in range(len(near) - 1, -1, -1) if title and near[i].text == title), len(near))
    tail = [ln for ln in near[:start] if _CAPTION.match(squeeze(ln.text)) or unit_in(ln.text)]
    taken = {(ln.text, ln.page) for ln in [*tail, *near[start:]]}
    builder.current.paragraphs = [p for p in builder.current.paragraphs if (p.text, p.page) not in taken]


def _apply_sides(table: Table, kind: TableKind) -> None:
    """Two-sided tables name their side in every value column (收入.决算数, 支出.合计)."""
    if kind.sides is None:
        return
    groups = sorted({c.group for c in table.columns})
    if len(groups) != 2:
        return
    for column in table.columns:
        side = kind.sides[groups.index(column.group)]
        column.side = side
        if column.role == "value" and (not column.path or column.path[0] != side):
            column.path = [side, *column.path]


def _is_performance(table: Table) -> bool:
    header = "".join(c.text for row in table.header for c in row)
    return "三级指标" in header or "二级指标" in header or "绩效指标" in header or "绩效目标" in table.title


def _is_table_note(text: str) -> bool:
    t = squeeze(text)
    return bool(_NOTE.search(t) or _STATEMENT.search(t))


def _attach_note(table: Table, text: str) -> None:
    table.notes.append(text.strip())
    t = squeeze(text)
    if _STATEMENT.search(t) and (not t.startswith("注") or re.match(r"注[:：]本(单位|部门)", t)):
        table.statement = text.strip()  # the last such line: '说明：本单位…无…，故本表无数据。'


def _join_wrapped_headings(blocks: list[Line | _Grids]) -> list[Line | _Grids]:
    """A part heading wrapped onto a second short line ('…决算情况' / '说明') is one heading."""
    out: list[Line | _Grids] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(block, Line)
            and isinstance(prev, Line)
            and headings.heading_level(prev.text) == 1
            and len(squeeze(block.text)) <= 6
            and headings.heading_level(block.text) is None
        ):
            out[-1] = Line(text=prev.text + block.text, page=prev.page, box=union([prev.box, block.box]))
            continue
        out.append(block)
    return out
