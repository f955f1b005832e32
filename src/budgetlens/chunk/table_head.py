"""The lines printed between the text above a table and its grid: numbering ('表5', '公开01表'),
title (perhaps wrapped over two lines), caption ('部门名称：…') and unit ('单位：万元').

Read bottom-up from the grid, so narrative above the table is never taken for its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetlens.amounts import unit_in
from budgetlens.catalog.titles import is_numbering, printed_name
from budgetlens.chunk import headings
from budgetlens.chunk.identity import caption_entity
from budgetlens.chunk.text import Line, squeeze

NEAR = 6  # lines above a grid that may belong to it
MAX_TITLE = 60
_QUALIFIER_LINE = re.compile(r"^[（(][^（()）]{1,20}[)）]$")  # '（2024年度）' under a title
_CAPTION = re.compile(r"^(部门|单位|编制单位|预算单位)(名称)?[:：]")


@dataclass
class TableHead:
    title: str = ""  # as printed: numbering and title lines joined
    lines: list[Line] = field(default_factory=list)  # every line that belongs to the table
    entity: str | None = None  # the unit a caption names
    unit: str | None = None
    captions: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return printed_name(self.title)


def is_caption(text: str) -> bool:
    t = squeeze(text)
    return bool(_CAPTION.match(t) or caption_entity(t) or unit_in(t))


def names_table(text: str) -> bool:
    """A line that titles a table: it ends in 表 (before a closing qualifier) and is not a heading."""
    t = squeeze(text)
    if len(t) > MAX_TITLE or headings.heading_level(t) == 1 or t.endswith(("。", "；", ";")):
        return False
    name = re.sub(r"[（(][^（()）]*[)）]$", "", printed_name(t))
    return name.endswith("表") and len(name) >= 3


def read_head(above: list[Line], top: float) -> TableHead:
    """``above``: the lines between the previous block and the grid, whose top is at ``top``."""
    near = above[-NEAR:]
    head = TableHead()
    start, below = len(near), top
    for j in range(len(near) - 1, -1, -1):
        t = squeeze(near[j].text)
        if is_caption(t) or _QUALIFIER_LINE.match(t) or is_numbering(t):
            start, below = j, near[j].box[1]
            continue
        if names_table(t):
            start = _wrapped_start(near, j)
        elif _short_title(near[j], below):
            start = j
        break
    head.lines = near[start:]
    texts = [ln.text for ln in head.lines]
    title_lines = [t for t in texts if not is_caption(t) and not _QUALIFIER_LINE.match(squeeze(t))]
    if any(not is_numbering(t) for t in title_lines):
        head.title = _join(title_lines)
    head.captions = [t for t in texts if is_caption(t) and not unit_only(t)]
    head.entity = next((e for t in texts if (e := caption_entity(t))), None)
    head.unit = next((u for t in texts if (u := unit_in(t))), None)
    return head


def _short_title(line: Line, below: float) -> bool:
    """A short line just above the table that is not a sentence: a sub-table's title ('项目支出情况',
    '年度绩效指标') even without 表."""
    t = squeeze(line.text)
    height = line.box[3] - line.box[1]
    close = below - line.box[3] <= 2.5 * height
    sentence = re.search(r"[。：:；;，,]", t) is not None or headings.heading_level(t) is not None
    return close and not sentence and 2 <= len(t) <= 30


def unit_only(text: str) -> bool:
    t = squeeze(text)
    return (
        bool(unit_in(t)) and not caption_entity(t) and re.fullmatch(r"(金额)?单位[:：].{1,3}", t) is not None
    )


def _wrapped_start(near: list[Line], j: int) -> int:
    """A title wrapped onto a second line ('公开09表：…会议费、培训费' over '支出预算表') starts a line up."""
    if j == 0:
        return j
    upper = squeeze(near[j - 1].text)
    if names_table(upper) or is_caption(upper) or headings.heading_level(upper) is not None:
        return j
    if upper.endswith(("。", "，", "；")) or len(upper) > MAX_TITLE:
        return j
    joined = upper + squeeze(near[j].text)
    return (
        j - 1
        if is_numbering(upper[:6])
        or re.match(r"^(附?表|公开|预算)\S{0,4}[表:：]", upper)
        or (len(squeeze(near[j].text)) <= 8 and names_table(joined))
        else j
    )


def _join(texts: list[str]) -> str:
    out = ""
    for t in texts:
        t = t.strip()
        out = f"{out} {t}" if out and is_numbering(out.split()[-1]) else out + t
    return out
