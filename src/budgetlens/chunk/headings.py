"""Heading styles of the documents, and what a part or subsection heading announces."""

from __future__ import annotations

import re

from budgetlens.chunk.models import SectionKind
from budgetlens.chunk.text import squeeze

_NUM = "一二三四五六七八九十廿"
PART = re.compile(rf"^第[{_NUM}]+部分")
LEVEL2 = re.compile(rf"^[{_NUM}]+[、.．]")
LEVEL3 = re.compile(rf"^[（(][{_NUM}]+[)）]")
MAX_HEADING = 60  # characters: longer lines are sentences, not headings

# What a 第N部分 heading announces, first match wins.
PART_KINDS: list[tuple[str, SectionKind]] = [
    ("名词解释", "glossary"),
    ("概况", "overview"),
    ("情况说明", "narrative"),
    ("说明", "narrative"),
    ("决算表", "table"),
    ("预算表", "table"),
    ("报表", "table"),
]


def heading_level(text: str) -> int | None:
    """1 for 第N部分, 2 for 一、, 3 for （一）; None for body text."""
    t = squeeze(text)
    if len(t) > MAX_HEADING:
        return None
    if PART.match(t):
        return 1
    if t.endswith("。") and len(t) > 25:
        return None
    if LEVEL2.match(t):
        return 2
    if LEVEL3.match(t):
        return 3
    return None


def marker(text: str) -> str:
    """The numbering token of a heading ('第一部分', '一、'), to find a heading's second printing."""
    t = squeeze(text)
    for pattern in (PART, LEVEL2, LEVEL3):
        m = pattern.match(t)
        if m:
            return m.group(0)
    return t[:6]


def part_kind(text: str) -> SectionKind:
    t = squeeze(text)
    for word, kind in PART_KINDS:
        if word in t:
            return kind
    return "other"


def is_toc(text: str) -> bool:
    return squeeze(text) in ("目录", "目次")


def topic(text: str) -> str:
    """The subject of a heading, without its numbering: '一、收入决算情况说明' → '收入决算情况说明'."""
    t = squeeze(text)
    for pattern in (PART, LEVEL2, LEVEL3):
        t = pattern.sub("", t, count=1)
    return t
