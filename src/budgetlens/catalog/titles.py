"""Table titles as printed → the name a table is known by, and the key it is recognised by.

Offices number and dress the same table differently: "表1：2026年市级部门收支预算总表",
"公开01表 收支总表", "表一 2026年部门收支总体情况表", "预算01表收支总表". The printed name drops
the numbering, the year and the level words; the key also drops qualifiers in brackets, quotes and
the words that say nothing about which table it is (情况, 明细, 预算 before 表), so that titles
meaning the same table compare equal.
"""

from __future__ import annotations

import re
from functools import cache

_SPACE = re.compile(r"\s+")
_N = "(?:[0-9]+|[一二三四五六七八九十]+(?!般))"  # 5, 12, 一, 十二 (not the 一 of 一般)
# 表5 / 表5-1 / 表一 / 附表3 / 公开01表 / 预算01表 / 预算表12 / 附件2, alone or opening the title
NUMBERING = re.compile(
    rf"^(?:(?:附?表|附件){_N}(?:[-－—.][0-9]+)?|(?:公开|预算|部门)[0-9]+表|预算表[0-9]+)[:：.．、]?"
)
_NUMBER_SUFFIX = re.compile(
    rf"(?:[（(](?:附?表|公开){_N}(?:[-－—][0-9]+)?表?[)）]|(?:公开|预算)[0-9]+表|附?表{_N}(?:[-－—][0-9]+)?)$"
)
_LEAD = re.compile(r"^(?:[0-9]{1,2}[.．、]|[一二三四五六七八九十]+[、.．])")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}年度?")
_LEVEL = re.compile(r"^(?:省级|市级|区级|县级|本级|本部门|部门预算|部门|单位|预算单位)")
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
_QUALIFIER = re.compile(r"[（(][^（()）]*[)）]")
_PUNCT = re.compile(r"[、，,:：;；.．]")
_ENDINGS = [
    (re.compile(r"总体情况表$"), "总表"),
    (re.compile(r"(?:情况|明细)表$"), "表"),
    (re.compile(r"预算(总?表)$"), r"\1"),
]
# Words a title may add to a standard table's name without making it another table
# ("本年支出总表", "财务收支总表", "一般公共预算支出功能分类表", "三公经费、会议费、培训费支出表").
FILLERS = [
    "本年",
    "财务",
    "功能分类",
    "经济分类",
    "部门预算",
    "部门",
    "单位",
    "会议费",
    "培训费",
    "及",
    "和",
    "总",
]


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def is_numbering(text: str) -> bool:
    """A line that only numbers a table: '表5', '表一', '公开01表', '预算01表:'."""
    t = squeeze(text)
    m = NUMBERING.match(t)
    return m is not None and m.end() == len(t)


def printed_name(title: str, department: str | None = None) -> str:
    """The title without its numbering, year, level words, department name and whitespace:
    '表1：2026年市级部门收支预算总表' → '收支预算总表'."""
    text = _NUMBER_SUFFIX.sub("", squeeze(title))
    for _ in range(3):  # numbering, department and year come in any order
        before = text
        text = NUMBERING.sub("", text)
        text = _LEAD.sub("", text)
        if department:
            text = text.removeprefix(department)
        text = _YEAR.sub("", text, count=1) if _YEAR.match(text) else text
        text = _LEVEL.sub("", text)
        if text == before:
            break
    return text


def title_key(title: str, department: str | None = None) -> str:
    """What a title is recognised by: the printed name without qualifiers, quotes, punctuation and
    the words that do not tell tables apart."""
    key = _PUNCT.sub("", _QUALIFIER.sub("", _QUOTES.sub("", printed_name(title, department))))
    key = _YEAR.sub("", key)
    for pattern, repl in _ENDINGS:
        key = pattern.sub(repl, key)
    return key


def qualifier(title: str) -> str:
    """A bracketed qualifier closing the title ('（按功能分类）'), as printed; '' when there is none."""
    m = re.search(r"[（(][^（()）]*[)）]$", printed_name(title))
    return m.group(0) if m else ""


@cache
def alias_pattern(alias_key: str) -> re.Pattern[str]:
    """The alias's characters in order, with filler words allowed between and around them."""
    filler = "(?:" + "|".join(FILLERS) + ")*"
    return re.compile(filler + filler.join(re.escape(c) for c in alias_key) + filler)


def matches(key: str, alias_key: str) -> bool:
    return key == alias_key or bool(alias_pattern(alias_key).fullmatch(key))
