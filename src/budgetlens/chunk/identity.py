"""Which document this is: its title, kind (预算 / 决算 / 绩效), year and department, read from the
cover and title, else from the tables' titles and captions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from budgetlens.chunk import headings
from budgetlens.chunk.models import DocKind
from budgetlens.chunk.text import squeeze

_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年度?")
_KIND_WORDS: list[tuple[re.Pattern[str], DocKind]] = [
    (re.compile(r"决算"), "final"),
    (re.compile(r"绩效(?:自评|评价|报告|目标表)"), "performance"),
    (re.compile(r"预算"), "budget"),
]
# What closes a title after the department: '部门预算', '单位决算信息公开', '部门预算情况说明',
# '整体支出绩效报告', '项目支出绩效自评'.
_TITLE_TAIL = re.compile(
    r"(?:(?:省级|市级|区级|县级)?(?:部门|单位))?(?:整体|项目|专项资金?)?(?:支出)?(?:预算|决算|绩效)\S*$"
)
_PLACE_ONLY = re.compile(r"^.{1,6}[省市区县]$")
_CAPTION = re.compile(
    r"^(?:编制|资金主管|主管|填报|预算|决算)?(?:部门|单位)(?:（单位）)?(?:名称)?[:：](?P<name>.+?)"
    r"(?:(?:金额)?单位[:：].*)?$"
)
# A form's field naming its unit: '部门（单位）名称 | 宁德市人民政府办公室', '单位名称 | …'
NAME_FIELD = re.compile(r"(部门|单位|预算单位|编制单位)(（单位）|\(单位\))?(名称)?")
SUBJECT_FIELD = re.compile(rf"(项目|专项|任务)名称|{NAME_FIELD.pattern}")  # what a form is about
COVER_LINES = 4
MAX_TITLE_LINE = 40


@dataclass(frozen=True)
class Identity:
    title: str
    kind: DocKind
    year: int | None
    department: str | None


def caption_entity(text: str) -> str | None:
    """The unit a caption names: '部门名称：杭州市公安局单位：万元' → '杭州市公安局'."""
    m = _CAPTION.match(squeeze(text))
    name = m.group("name").strip("：: ") if m else ""
    return name if name and name not in ("万元", "元", "亿元", "千元") else None


_PLACE = re.compile(r"^(?:中共)?(?:[\u4e00-\u9fff]{2,3}?[省市])?(?:[\u4e00-\u9fff]{1,3}?[市区县])?")


def same_unit(a: str, b: str) -> bool:
    """The same unit named twice, allowing for a place prefix left out (江汉区科协 / 武汉市江汉区科协) and
    a one-character slip (江北区 for 江汉区: the consistency check reports it)."""
    x, y = (squeeze(n) for n in (a, b))
    if x.endswith(y) or y.endswith(x):
        return True
    x, y = _PLACE.sub("", x, count=1) or x, _PLACE.sub("", y, count=1) or y
    if len(x) != len(y):
        return x.endswith(y) or y.endswith(x)
    return sum(p != q for p, q in zip(x, y, strict=True)) <= 1


def title_lines(lines: list[str]) -> str:
    """The cover's title: its first lines, up to the one that says what the document is."""
    out: list[str] = []
    for text in lines[:COVER_LINES]:
        t = squeeze(text)
        if headings.heading_level(t) is not None or len(t) > MAX_TITLE_LINE or t.endswith("。"):
            break  # the body has begun: a document without a cover
        if t in ("目录", "目次") or caption_entity(t) or re.fullmatch(r"[\d\-—第页]+", t):
            if out:
                break
            continue
        out.append(t)
        if any(p.search(t) for p, _ in _KIND_WORDS):
            break
    return "".join(out)


def identify(cover: list[str], table_titles: list[str], captions: list[str]) -> Identity:
    """``cover``: the first page's lines outside tables; ``table_titles`` and ``captions``: every table's."""
    title = title_lines(cover)
    kind = _kind(title) or _kind_by_count(table_titles) or "unknown"
    year = _year([title]) or _year(table_titles) or _year(captions)
    department = _department(title) or _most_common(caption_entity(c) for c in captions)
    return Identity(title=title[:200], kind=kind, year=year, department=department)


def _kind(text: str) -> DocKind | None:
    found = [(m.start(), kind) for p, kind in _KIND_WORDS if (m := p.search(text))]
    return min(found)[1] if found else None


def _kind_by_count(titles: list[str]) -> DocKind | None:
    counts = Counter(k for t in titles if (k := _kind(squeeze(t).removeprefix("预算"))) is not None)
    return counts.most_common(1)[0][0] if counts else None


def _year(texts: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for t in texts for m in _YEAR.finditer(squeeze(t)))
    return years.most_common(1)[0][0] if years else None


def _department(title: str) -> str | None:
    rest = _YEAR.sub("", title)
    rest = _TITLE_TAIL.sub("", rest).strip("：:-— ")
    if len(rest) < 3 or _PLACE_ONLY.match(rest):
        return None
    return rest


def _most_common(names: Iterable[str | None]) -> str | None:
    counts = Counter(n for n in names if n)
    return counts.most_common(1)[0][0] if counts else None
