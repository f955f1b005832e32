"""The structured description a fixture PDF is rendered from, and its ground truth.

A fixture document is a list of blocks (headings, paragraphs, tables, page breaks). Tables say
what every column *is* (code, label, ordinal, value) and which side it belongs to, so the ground
truth facts are derived from meaning, independently of how the extractor reads geometry.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ColumnRole = Literal["code", "label", "ordinal", "value"]


class HeaderCell(BaseModel):
    text: str
    colspan: int = 1
    rowspan: int = 1


class TableSpec(BaseModel):
    """One printed table. ``header`` rows use HTML-like spans over the leaf columns."""

    table: str | None = Field(None, description="canonical table name; None for an unrecognised table")
    title: str = Field(description="title line as printed above the table")
    caption_left: str | None = Field(None, description="e.g. 部门：武汉市江汉区科学技术协会")
    unit: str | None = Field("单位：万元", description="unit line as printed, or None")
    roles: list[ColumnRole] = Field(description="one role per leaf column")
    sides: list[str] | None = Field(
        None, description="per leaf column, the side it belongs to ('收入'/'支出') for two-sided tables"
    )
    header: list[list[HeaderCell]]
    column_numbers: list[str] | None = Field(
        None, description="an optional printed 栏次 row, one string per leaf column"
    )
    rows: list[list[str]] = Field(description="data rows, one string per leaf column, '' for empty")
    notes: list[str] = Field(default_factory=list, description="lines printed under the table")
    statement: str | None = Field(None, description="e.g. 本单位无“三公”经费支出。 printed under the table")
    landscape: bool = False
    split_codes: bool = Field(False, description="render the code column as three 类/款/项 columns")
    max_rows_per_page: int | None = Field(None, description="force a page break inside the table")
    repeat_header: bool = Field(True, description="repeat the header on continuation pages")
    form: bool = Field(
        False,
        description="a key–value form (项目 … 绩效目标申报表), not a grid of rows and columns: the reader "
        "does not read forms yet, so the ground truth leaves it out and tests compare the other tables",
    )


class FormSpec(BaseModel):
    """A form (绩效自评表): every row ruled its own way, cells placed HTML-like with their spans."""

    title: str
    rows: list[list[HeaderCell]] = Field(description="each row's cells left to right; spans skip slots")
    widths: list[float] = Field(description="relative width of each slot")


class Block(BaseModel):
    type: Literal["heading", "paragraph", "table", "form", "page_break"]
    text: str = ""
    level: int = 1
    table: TableSpec | None = None
    form: FormSpec | None = None


class DocumentSpec(BaseModel):
    name: str = Field(description="file stem, e.g. jianghan-2020-final")
    doc_kind: Literal["final", "budget", "performance"]
    department: str = Field("", description="the department as its cover names it: every fact's entity")
    cover: list[str] = Field(description="cover page lines")
    blocks: list[Block]


def placements(header: list[list[HeaderCell]]) -> list[tuple[int, int, HeaderCell]]:
    """(row, first leaf column, cell) for every header cell, HTML table layout (spans skip slots)."""
    out: list[tuple[int, int, HeaderCell]] = []
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(header):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            occupied.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            out.append((r, c, cell))
            c += cell.colspan
    return out
