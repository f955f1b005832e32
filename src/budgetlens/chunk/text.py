"""Words → text lines, and the string normalisations every later stage shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from budgetlens.load.models import Box, Word


class Line(BaseModel):
    text: str
    page: int
    box: Box


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def join_words(words: Sequence[Word]) -> str:
    """Join words read left to right: no space next to CJK, one space between Latin/digit runs."""
    out = ""
    for w in words:
        if out and not (_CJK.match(out[-1]) or _CJK.match(w.text[0])):
            out += " "
        out += w.text
    return out


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def group_lines(words: Sequence[Word]) -> list[list[Word]]:
    """Group words whose vertical centres lie within half a text height of each other."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        mid = (w.box[1] + w.box[3]) / 2
        if lines:
            last = lines[-1]
            ref = sum((x.box[1] + x.box[3]) / 2 for x in last) / len(last)
            height = max(x.box[3] - x.box[1] for x in last)
            if abs(mid - ref) <= height * 0.5:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]


def lines_of(words: Sequence[Word], page: int) -> list[Line]:
    return [Line(text=join_words(ws), page=page, box=union(w.box for w in ws)) for ws in group_lines(words)]


def squeeze(text: str) -> str:
    """Remove all whitespace: labels are compared without it (项 目 == 项目)."""
    return "".join(text.split())


_ENUM = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十廿]+[)）、.．]|[（(][0-9]+[)）]|[0-9]+[、.．](?![0-9])|[①-⑳])\s*"
)


def strip_enumerator(text: str) -> str:
    """'一、一般公共服务支出' → '一般公共服务支出'; '（二）…' and '1、…' likewise."""
    return _ENUM.sub("", text, count=1)
