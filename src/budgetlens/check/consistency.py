"""Names and years that must agree across the document.

- A subject or economic code carries the same name in every table (2210202 房租补贴 vs 提租补贴).
- The department's name is printed the same everywhere: a caption, cell or heading that differs from
  the cover's name by a single character (江北区 for 江汉区) is a slip, not another department.
- Table titles carry the document's year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlens.catalog.titles import NUMBERING
from budgetlens.check.findings import CellRef, Finding, TextRef
from budgetlens.check.view import TableView
from budgetlens.chunk.identity import NAME_FIELD, caption_entity
from budgetlens.chunk.text import squeeze
from budgetlens.result import Result

_KIND_MARK = re.compile(r"[（(][类款项][)）]")
_TITLE_NAME = re.compile(
    r"^(?:\d{4}\s*年度?)?(?P<name>.+?)(?:\d{4}\s*年度?)?(?:部门|单位)?(?:决算|预算|整体支出)"
)
_CITY = re.compile(r"^.{2,4}?[省市]")
_LEADING_YEAR = re.compile(r"^[^（(]{0,24}?((?:19|20)\d\d)年")  # a year before any bracket
_CLOSING_YEAR = re.compile(r"[（(]((?:19|20)\d\d)年度?[)）]$")


def subject_names(views: list[TableView]) -> Iterator[Finding]:
    names: dict[str, dict[str, list[CellRef]]] = {}
    for view in views:
        for line in view.lines:
            if line.code and line.bare:
                fact = next(iter(line.values.values()), None)
                page = fact.page if fact else view.pages[0]
                ref = CellRef(
                    entity=view.entity,
                    table=view.name,
                    row=line.code,
                    column="科目名称",
                    value=line.bare,
                    page=page,
                )
                names.setdefault(line.code, {}).setdefault(_norm(line.bare), []).append(ref)
    for code, by_name in names.items():
        if len(by_name) > 1:
            shown = " / ".join(
                f"{refs[0].value} ({', '.join(r.table for r in refs)})" for refs in by_name.values()
            )
            yield Finding(
                check="consistency.subject_name",
                severity="warning",
                kind="consistency",
                message=f"code {code} is named differently across tables: {shown}",
                cells=[r for refs in by_name.values() for r in refs],
                expected="one name per code",
                actual=shown,
            )


def _norm(label: str) -> str:
    return _KIND_MARK.sub("", squeeze(label)).replace("(", "（").replace(")", "）")


def department_names(result: Result) -> Iterator[Finding]:
    match = _TITLE_NAME.match(squeeze(result.document.title))
    if not match:
        return
    name = _CITY.sub("", match.group("name"))  # 武汉市江汉区科学技术协会 → 江汉区科学技术协会
    if len(name) < 5:
        return
    for ref in _texts(result):
        for slip in _near_misses(name, ref.text):
            yield Finding(
                check="consistency.department",
                severity="warning",
                kind="consistency",
                message=f"{ref.section} (page {ref.page}) names the department {slip}; the cover says {name}",
                cells=[ref.model_copy(update={"value": slip})],
                expected=name,
                actual=slip,
            )


def _texts(result: Result) -> Iterator[TextRef]:
    """Where the pages state the department: a table's caption (部门：…) and a form's 单位名称 field.
    Running text is left out: it names the department's work, not the department ('轨道交通工作')."""
    for section in result.sections:
        table = section.table
        if table is None:
            continue
        for caption in table.captions:
            named = caption_entity(caption)
            if named:
                yield TextRef(section=section.name, text=named, page=table.pages[0])
        lines = [sorted(r, key=lambda c: c.box[0]) for r in table.header]
        lines += [[c for _, c in sorted(row.cells.items())] for row in table.rows]
        for cells in lines:
            for field, value in zip(cells, cells[1:], strict=False):
                if NAME_FIELD.fullmatch(squeeze(field.text)):
                    yield TextRef(section=section.name, text=value.text, page=value.page, box=value.box)


def _near_misses(name: str, text: str) -> list[str]:
    """Windows of ``text`` that differ from ``name`` in exactly one character (a CJK one)."""
    text = squeeze(text)
    n, out = len(name), []
    for i in range(len(text) - n + 1):
        window = text[i : i + n]
        diff = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
        if len(diff) == 1 and "\u4e00" <= diff[0][0] <= "\u9fff":
            out.append(window)
    return out


def _title_year(title: str) -> re.Match[str] | None:
    """The year a table's title is of: leading ('2026年部门收支总体情况表') or closing ('（2024年度）');
    a year inside a qualifier names something else ('（2021年医疗卫生机构能力提升补助资金）项目…')."""
    t = NUMBERING.sub("", squeeze(title))
    return _LEADING_YEAR.match(t) or _CLOSING_YEAR.search(t)


def years(result: Result, views: list[TableView]) -> Iterator[Finding]:
    if result.document.year is None:
        return
    year = str(result.document.year)
    for view in views:
        printed = _title_year(view.title)
        if printed and printed.group(1) != year:
            yield Finding(
                check="consistency.year",
                severity="warning",
                kind="consistency",
                message=f"{view.name}: the title says {printed.group(1)}, the cover {year}",
                cells=[
                    TextRef(section=view.name, text=view.title, value=printed.group(1), page=view.pages[0])
                ],
                expected=year,
                actual=printed.group(1),
            )
