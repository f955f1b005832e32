"""Pages → typed sections: cover, 目录, parts and their subsections, and one section per table.

The page stream is read top to bottom as text lines and ruled grids. Headings open sections;
a grid becomes a table section titled by the lines just above it; a grid at the top of a page
whose columns line up with the previous table continues it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetlens.catalog import TableKind, canonical_name, match_title
from budgetlens.catalog.parts import PartKind, part_of
from budgetlens.catalog.titles import printed_name
from budgetlens.chunk import headings
from budgetlens.chunk.aligned import page_grids
from budgetlens.chunk.aligned_grid import AlignedGrid
from budgetlens.chunk.grid import Grid
from budgetlens.chunk.identity import NAME_FIELD, SUBJECT_FIELD, Identity, identify, same_unit
from budgetlens.chunk.models import Document, Paragraph, Section, SectionKind, Table
from budgetlens.chunk.ocr_words import snapped
from budgetlens.chunk.per_unit import split_by_unit
from budgetlens.chunk.table import TableBuilder
from budgetlens.chunk.table_head import TableHead, names_table, read_head
from budgetlens.chunk.text import Line, lines_of, squeeze, union
from budgetlens.load.models import LoadedDocument, Page

MARGIN = 0.06  # share of the page height where running headers and page numbers live
RUNNING = 0.08  # a line repeated page after page within this share of the top or bottom is running text
_PAGE_NUMBER = re.compile(r"^[-—\s]*(第\s*)?\d+(\s*页)?[-—\s]*$|^\d+\s*/\s*\d+$")
_NOTE = re.compile(r"^(注|说明|备注)[:：]|[栏行]各?行?\s*[=＝]|[0-9]+\s*[栏行]\s*[=＝]")
_STATEMENT = re.compile(r"(无|没有|未发生|不涉及).{0,40}(收支|收入|支出|经费|数据|预算|决算)")


@dataclass
class _Grids:
    """A grid with the lines that stand between the previous block and it."""

    grid: Grid
    above: list[Line]


@dataclass
class _Builder:
    who: Identity
    sections: list[Section] = field(default_factory=list)
    part: SectionKind = "cover"
    open_table: tuple[Table, TableBuilder] | None = None
    grids_on_page: int = 0

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
    loaded = snapped(loaded)  # words of pages read by OCR put right where only one reading is near
    layouts = [_layout(page) for page in loaded.pages]
    running = _running_heads(layouts)
    streams = [
        _join_wrapped_headings(_stream(grids, [ln for ln in lines if _norm(ln.text) not in running]))
        for _, grids, lines in layouts
    ]
    who = _identity(loaded, streams)
    sections = _sections(loaded, streams, who)
    return Document(
        source=loaded.path,
        sha256=loaded.sha256,
        doc_kind=who.kind,
        title=who.title,
        year=who.year,
        department=who.department,
        page_count=len(loaded.pages),
        pages_without_text=loaded.pages_without_text,
        sections=sections,
    )


def _identity(loaded: LoadedDocument, streams: list[list[Line | _Grids]]) -> Identity:
    first = next((s for s in streams if s), [])
    grid = next((b for b in first if isinstance(b, _Grids)), None)
    head = {id(ln) for ln in read_head(grid.above, grid.grid.box[1]).lines} if grid else set()
    before = first[: first.index(grid)] if grid else first
    cover = [b.text for b in before if isinstance(b, Line) and id(b) not in head]
    grids = [b for stream in streams for b in stream if isinstance(b, _Grids)]
    heads = [read_head(b.above, b.grid.box[1]) for b in grids]
    captions = [ln.text for h in heads for ln in h.lines]
    captions += [f for b in grids[:1] for f in _name_fields(b.grid)]
    return identify(cover, [h.title for h in heads if h.title], captions)


def _name_fields(grid: Grid) -> list[str]:
    """A form's own 单位名称 field, as a caption ('部门（单位）名称 | 宁德市人民政府办公室' → '部门：…')."""
    return [f"部门：{value}" for value in _fields(grid, NAME_FIELD)]


def _fields(grid: Grid, label: re.Pattern[str]) -> list[str]:
    """The values of a grid's fields whose label matches: 'label | value' in one row."""
    cells = sorted(grid.cells, key=lambda c: (c.row, c.col))
    return [
        squeeze(value.text)
        for field, value in zip(cells, cells[1:], strict=False)
        if field.row == value.row and label.fullmatch(squeeze(field.text)) and value.text.strip()
    ]


def _sections(loaded: LoadedDocument, streams: list[list[Line | _Grids]], who: Identity) -> list[Section]:
    builder = _Builder(who=who)
    builder.open("cover", "封面", None, 1)
    toc_marker: str | None = None
    in_toc = False
    for page, stream in zip(loaded.pages, streams, strict=True):
        builder.grids_on_page = 0
        for block in stream:
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
            part = _report_part(who, builder, line.text, level)
            if part is not None:
                builder.part = "narrative"
                builder.open("narrative", headings.topic(line.text).rstrip("：:"), line.text, line.page)
                builder.current.part = part.id
            elif level == 1:
                builder.part = headings.part_kind(line.text)
                kind = builder.part if builder.part != "table" else "other"
                builder.open(kind, headings.topic(line.text), line.text, line.page)
            elif level == 2 and builder.part in ("overview", "narrative", "other"):
                builder.open(builder.part, headings.topic(line.text), line.text, line.page)
            else:
                if builder.part == "cover" and level:
                    # a performance report without parts is its narrative, heading after heading
                    builder.part = "narrative" if who.kind == "performance" else "other"
                    builder.open(builder.part, headings.topic(line.text), line.text, line.page)
                    continue
                builder.add_line(line)
    sections = [s for s in builder.sections if s.paragraphs or s.table or s.kind != "cover"]
    sections = [part for s in sections for part in _by_unit(s, who.department)]
    for section in sections:
        section.paragraphs = reflow(section.paragraphs)
    _read_once(sections)
    for section in sections:
        section.pages = sorted(
            {
                section.pages[0],
                *(p.page for p in [*section.paragraphs, *section.repeated]),
                *(section.table.pages if section.table else []),
            }
        )
    return sections


PART_LINE = 16  # characters: a 绩效 report's part named on a line of its own ('部门整体支出绩效情况')


def _report_part(who: Identity, builder: _Builder, text: str, level: int | None) -> PartKind | None:
    """The part of a 绩效 report a line opens: a 一、 heading, or a short line of its own, naming one."""
    if who.kind != "performance" or builder.part not in ("cover", "other", "narrative", "overview"):
        return None
    topic = headings.topic(text).rstrip("：:")
    alone = level is None and len(topic) <= PART_LINE and not re.search(r"[，。；,;：:]", topic)
    return part_of(topic) if level == 2 or alone else None


REPEATED = 30  # characters: a sentence this long printed again is the same passage, not a set phrase
PASSAGE = 80  # characters: printed again alone, a paragraph this long is pasted, not a unit's own line
_SENTENCE = re.compile(r"[，。；]")  # a passage, not a title or a running head printed again


def _read_once(sections: list[Section]) -> None:
    """A passage printed again word for word (a report pasting its parts twice) is kept apart, so that
    its figures are read once, where first printed. A passage is a long paragraph or two paragraphs in
    a row: one short sentence alike in two units' sections is each unit's own."""
    text = ""  # what was read so far: a paragraph split by a page break is in it piecewise
    for section in sections:
        keys = [squeeze(p.text) for p in section.paragraphs]
        again = [len(k) >= REPEATED and bool(_SENTENCE.search(k)) and k in text for k in keys]
        for i, k in enumerate(keys):
            beside = (i > 0 and again[i - 1]) or (i + 1 < len(keys) and again[i + 1])
            again[i] = again[i] and (len(k) >= PASSAGE or beside)
            if not again[i]:
                text += "\n" + k
        section.repeated = [p for p, a in zip(section.paragraphs, again, strict=True) if a]
        section.paragraphs = [p for p, a in zip(section.paragraphs, again, strict=True) if not a]


def _by_unit(section: Section, department: str | None) -> list[Section]:
    """A table printed unit by unit is one section per unit; the text around it stays with the first."""
    if section.table is None:
        return [section]
    parts = split_by_unit(section.table, department)
    if len(parts) == 1:
        return [section]
    return [
        section.model_copy(
            update={"table": t, "pages": t.pages, "paragraphs": section.paragraphs if n == 0 else []}
        )
        for n, t in enumerate(parts)
    ]


def reflow(lines: list[Paragraph]) -> list[Paragraph]:
    """Join printed lines into paragraphs: a line that runs to the right margin continues on the next,
    unless the next line is indented (a new paragraph), is a heading, or is on another page (a
    paragraph keeps one page and box, so every figure read from it is placed on its own page)."""
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
        same_page = line.page == prev.page
        if runs_on and not indented and same_page and headings.heading_level(line.text) is None:
            out[-1] = Paragraph(text=prev.text + line.text, page=prev.page, box=union([prev.box, line.box]))
        else:
            out.append(line)
    return out


def _layout(page: Page) -> tuple[Page, list[Grid], list[Line]]:
    """The page's grids, and its lines outside them (page numbers left out)."""
    grids = page_grids(page)  # ruled, and rebuilt from alignment where rules are partial or absent
    inside = [g.box for g in grids]
    words = [w for w in page.words if not any(_contains(b, w.box) for b in inside)]
    return page, grids, [ln for ln in lines_of(words, page.number) if not _running_text(ln, page)]


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", squeeze(text))


def _running_heads(layouts: list[tuple[Page, list[Grid], list[Line]]]) -> set[str]:
    """A line printed first or last on a page, in its margin, on a quarter of the pages or more (and
    at least three): a running header or footer ('无锡市教育局2026年度部门预算公开 - 17 -')."""
    counts: Counter[str] = Counter()
    for page, _, lines in layouts:
        ends = [lines[0], lines[-1]] if lines else []
        top, bottom = page.height * RUNNING, page.height * (1 - RUNNING)
        counts.update({_norm(ln.text) for ln in ends if ln.box[3] < top or ln.box[1] > bottom})
    least = max(3, len(layouts) / 4)
    return {text for text, n in counts.items() if n >= least}


def _stream(grids: list[Grid], lines: list[Line]) -> list[Line | _Grids]:
    """The page's lines outside tables and its grids, top to bottom."""
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
    builder.grids_on_page += 1
    head = read_head(block.above, block.grid.box[1])
    if _continues(builder, page, block.grid, head):
        return
    who = builder.who
    kind = match_title(head.title, who.kind, who.department) if head.title else None
    _take_head_lines(builder, head)
    rows = TableBuilder(block.grid)
    table = rows.table()
    table.title = head.title
    table.unit = head.unit
    table.captions = head.captions
    table.entity = _entity(head.entity, who.department)
    if kind is not None:
        table.kind, table.name = kind.id, canonical_name(kind, head.title, who.department)
        _apply_sides(table, kind)
    else:
        table.name = printed_name(head.title, who.department) or f"p{page.number}#{builder.grids_on_page}"
    section_kind: SectionKind = "performance" if _is_performance(table) else "table"
    section = builder.open(section_kind, table.name, head.title or None, page.number)
    section.table = table
    builder.open_table = (table, rows)


def _entity(caption: str | None, department: str | None) -> str | None:
    """The unit a caption names, unless it is the department itself (perhaps with a slip)."""
    if caption is None or (department is not None and same_unit(caption, department)):
        return department
    return caption


def _continues(builder: _Builder, page: Page, grid: Grid, head: TableHead) -> bool:
    """A grid at the top of the page after the open table's last page continues it, when it prints
    no title or the same one (and the same unit), and its columns line up."""
    if builder.open_table is None or builder.grids_on_page != 1:
        return False
    table, rows = builder.open_table
    if table.pages[-1] != page.number - 1:
        return False
    if head.title and printed_name(head.title) != printed_name(table.title) and not _reprinted(head, table):
        return False
    if head.entity and _entity(head.entity, builder.who.department) != table.entity:
        return False
    subject, first = _fields(grid, SUBJECT_FIELD), _fields(rows.layout.grid, SUBJECT_FIELD)
    if subject and first and subject != first:
        return False  # a form of the same title for another project or unit
    if _text_under(builder.current, table.pages[-1]) and AlignedGrid in (type(grid), type(rows.layout.grid)):
        # columns rebuilt from alignment line up loosely, so two tables of one title (one per
        # project) would; a table continued on the next page runs to the foot of its page
        return False
    if not rows.extend(grid):  # its columns don't line up
        return False
    table.rows, table.pages = rows.rows, rows.pages
    builder.current.pages = list(table.pages)
    _take_head_lines(builder, head)
    return True


def _reprinted(head: TableHead, table: Table) -> bool:
    """A short line over the grid that only prints again a cell of the table's last page: a cell
    spanning rows across the break, its text repeated atop the next page, is no title."""
    title = squeeze(head.title)
    if len(title) < 2 or names_table(title):
        return False
    last = table.pages[-1]
    return any(title in squeeze(c.text) for r in table.rows if r.page == last for c in r.cells.values())


def _text_under(section: Section, page: int) -> bool:
    """Text printed under the section's table on that page (its title and unit lines are taken; a
    page number is no text)."""
    return any(p.page == page and not _PAGE_NUMBER.match(p.text.strip()) for p in section.paragraphs)


def _take_head_lines(builder: _Builder, head: TableHead) -> None:
    """The title, caption and unit lines belong to the table, not to the previous section's text."""
    taken = {(ln.text, ln.page) for ln in head.lines}
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
