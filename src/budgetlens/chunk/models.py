"""What the chunk stage produces: a document as typed sections, tables rebuilt cell by cell."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from budgetlens.load.models import Box

ColumnRole = Literal["code", "label", "ordinal", "value"]
SectionKind = Literal["cover", "toc", "overview", "table", "narrative", "glossary", "performance", "other"]
DocKind = Literal["final", "budget", "performance", "unknown"]


class Column(BaseModel):
    index: int  # position in the table, left to right
    role: ColumnRole
    path: list[str] = Field(default_factory=list, description="header levels, top first, no whitespace")
    group: int = 0  # side-by-side column groups (收入 | 支出, 人员经费 | 公用经费), left to right
    side: str | None = None  # 收入 / 支出 for two-sided tables
    number: str | None = None  # the printed 栏次 (column number) the table's notes refer to
    unit: str | None = None  # a column of its own unit (%, 人, 个, 分 …); None: the table's money unit


class Cell(BaseModel):
    text: str
    page: int
    box: Box
    indent: float | None = Field(default=None, description="label cells: indentation, in character heights")
    centred: bool = Field(default=False, description="label cells: as far from both rules (perhaps centred)")
    header: str | None = Field(default=None, description="forms: the label over the cell (chunk.form)")
    span: int = Field(default=1, description="forms: how many rows the cell is printed over")


class Row(BaseModel):
    cells: dict[int, Cell] = Field(description="non-empty cells by column index")
    page: int
    repeat: bool = Field(default=False, description="an earlier row printed again atop a continuation page")

    def text(self, index: int) -> str:
        cell = self.cells.get(index)
        return cell.text if cell else ""


class Table(BaseModel):
    title: str = ""  # as printed
    name: str = ""  # the catalog's name when recognised, else the printed title without numbering
    kind: str | None = None  # catalog id of the table type; None when the catalog does not know it
    entity: str | None = None  # the unit the table belongs to (a caption's 单位名称, else the department)
    own_row: int | None = None  # a unit's own row, printed over its block: the table's total (chunk.per_unit)
    form: bool = False  # rows ruled each their own way: numbers keyed by their own labels (chunk.form)
    unit: str | None = None  # 万元 / 元 / 亿元, as declared above the table
    captions: list[str] = Field(default_factory=list, description="lines between title and table")
    pages: list[int]
    box: Box  # on the first page
    columns: list[Column]
    header: list[list[Cell]] = Field(default_factory=list, description="header rows as printed")
    rows: list[Row]
    notes: list[str] = Field(default_factory=list)
    statement: str | None = None  # "本单位无…" printed instead of / under an empty table

    def values(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value"]


class Paragraph(BaseModel):
    text: str
    page: int
    box: Box


class Section(BaseModel):
    kind: SectionKind
    name: str  # canonical table name, narrative topic, or heading text
    heading: str | None = None
    pages: list[int]
    paragraphs: list[Paragraph] = Field(default_factory=list)
    table: Table | None = None
    repeated: list[Paragraph] = Field(
        default_factory=list, description="paragraphs printed again word for word: read where first printed"
    )
    part: str | None = Field(default=None, description="the part of a 绩效 report it is (catalog/parts.py)")


class Document(BaseModel):
    source: str
    sha256: str
    doc_kind: DocKind
    title: str
    year: int | None = None
    department: str | None = None
    page_count: int
    pages_without_text: list[int] = Field(default_factory=list)
    sections: list[Section]

    def tables(self) -> list[Table]:
        return [s.table for s in self.sections if s.table is not None]
