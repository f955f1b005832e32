"""The formulas tables print in their notes, parsed: machine-readable promises.

"27行 = (1+2+…+8)行", "1栏各行 = (2+3+4+5+6+7)栏各行", "6栏各行=（1+2-3）栏各行", "1栏=（2+3+6）栏".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

_FORMULA = re.compile(
    r"(?P<target>\d{1,3})\s*(?P<axis>行|栏)(?:各行)?\s*=\s*\(?\s*(?P<terms>[\d\s+\-.…]+?)\s*\)?\s*(?:行|栏)"
)
_TERM = re.compile(r"([+\-]?)\s*(\d{1,3}|…|\.{2,})")


@dataclass(frozen=True)
class Formula:
    axis: Literal["row", "column"]
    target: int
    terms: tuple[tuple[int, int], ...]  # (sign ±1, row or column number)
    text: str

    @property
    def numbers(self) -> set[int]:
        return {n for _, n in self.terms}


def parse_formulas(notes: list[str]) -> list[Formula]:
    text = unicodedata.normalize("NFKC", " ".join(notes))
    text = text.replace("……", "…").replace("...", "…").replace("。", ";")
    out = []
    for m in _FORMULA.finditer(text):
        terms = _terms(m.group("terms"))
        if terms:
            axis: Literal["row", "column"] = "row" if m.group("axis") == "行" else "column"
            out.append(Formula(axis, int(m.group("target")), terms, m.group(0).strip()))
    return out


def _terms(text: str) -> tuple[tuple[int, int], ...] | None:
    raw = _TERM.findall(text.replace(" ", ""))
    out: list[tuple[int, int]] = []
    expand = False
    for sign, token in raw:
        if not token[0].isdigit():
            expand = True
            continue
        n, s = int(token), -1 if sign == "-" else 1
        if expand:
            if not out or n <= out[-1][1]:
                return None
            out += [(s, k) for k in range(out[-1][1] + 1, n)]
            expand = False
        out.append((s, n))
    return tuple(out) if len(out) >= 2 and not expand else None


# -- formulas printed in column headers ------------------------------------------------------------
# A column marked ① / （A） is referred to by its mark: '小计③=①+②', '支出实现率(%)⑤=④/③', '执行率（B/A）'.
_MARK = r"[\u2460-\u2473]|(?<=[（(])[A-Z](?=[)）])"
_OWN = re.compile(rf"({_MARK})\s*(?:=|$)|[（(]([A-Z])[)）]\s*$")
_EXPRESSION = re.compile(r"=\s*(?P<after>[^=]+)$|[（(](?P<inner>[A-Z](?:\s*[+\-/]\s*[A-Z])+)[)）]")
_TOKEN = re.compile(r"([+\-/])?\s*([\u2460-\u2473A-Z])")


@dataclass(frozen=True)
class HeaderFormula:
    """A column a header defines from other columns: a sum of signed columns or one column over another."""

    target: str  # column path
    op: Literal["sum", "ratio"]
    terms: tuple[tuple[int, str], ...]  # sum: (sign, path); ratio: (1, numerator), (1, denominator)
    text: str


def header_formulas(paths: list[str]) -> list[HeaderFormula]:
    marks = {m: p for p in paths if (m := _own_mark(p.rpartition(".")[2]))}
    out = []
    for path in paths:
        header = path.rpartition(".")[2]
        found = _EXPRESSION.search(header)
        if found is None:
            continue
        expression = found.group("after") or found.group("inner")
        tokens = _TOKEN.findall(expression)
        if len(tokens) < 2 or "".join(op + m for op, m in tokens) != re.sub(r"\s", "", expression):
            continue  # not only marks and operators
        if any(m not in marks or marks[m] == path for _, m in tokens):
            continue  # refers to a column this table does not print
        ops = {op for op, _ in tokens[1:]}
        if ops <= {"+", "-"}:
            terms = tuple((-1 if op == "-" else 1, marks[m]) for op, m in tokens)
            out.append(HeaderFormula(path, "sum", terms, header))
        elif ops == {"/"} and len(tokens) == 2:
            out.append(
                HeaderFormula(path, "ratio", ((1, marks[tokens[0][1]]), (1, marks[tokens[1][1]])), header)
            )
    return out


def _own_mark(header: str) -> str | None:
    m = _OWN.search(header.split("=")[0] + ("=" if "=" in header else ""))
    return (m.group(1) or m.group(2)) if m else None
