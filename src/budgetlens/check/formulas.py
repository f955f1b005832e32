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
