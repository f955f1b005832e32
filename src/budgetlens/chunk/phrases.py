"""A page's words as printed lines of phrases: what a table without rules is rebuilt from.

A phrase is the words printed together on one line (a label with a space in it, '项 目'); a wider
gap, or a number beside anything, starts another. Lines are the phrases whose vertical centres lie
close together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from budgetlens.amounts import is_amount, quantity
from budgetlens.chunk.text import group_lines, join_words, squeeze
from budgetlens.load.models import Word

GAP = 0.45  # character heights: words closer than this are one phrase (a space: about 0.3)
TIGHT = 0.35  # … and a number joins a word only this close ('2024 年')
PLACEHOLDERS = {"-", "—", "－", "--", "——", "/", "…", "……", "*"}
_PERCENT = re.compile(r"^[-−－]?\d+(?:\.\d+)?\s*[%％]$")


@dataclass
class Phrase:
    words: list[Word]

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def x0(self) -> float:
        return self.words[0].box[0]

    @property
    def x1(self) -> float:
        return max(w.box[2] for w in self.words)

    @property
    def y0(self) -> float:
        return min(w.box[1] for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.box[3] for w in self.words)

    @property
    def mid(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def em(self) -> float:
        return max(min(w.box[3] - w.box[1] for w in self.words), 1.0)

    @property
    def numeric(self) -> bool:
        """A figure a table prints in a value column: an amount, a share, a placeholder, or an
        indicator's quantity ('≥300 场/年', '12 万册'), as forms print their targets."""
        t = squeeze(self.text)
        return is_amount(t) or bool(_PERCENT.match(t)) or t in PLACEHOLDERS or quantity(t) is not None

    @property
    def amount(self) -> bool:
        return is_amount(squeeze(self.text))


@dataclass
class Phrases:
    """Phrases taken together (a printed line, a header cell, a column's text): their extent."""

    phrases: list[Phrase]

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.phrases)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.phrases)

    @property
    def y0(self) -> float:
        return min(p.y0 for p in self.phrases)

    @property
    def y1(self) -> float:
        return max(p.y1 for p in self.phrases)


@dataclass
class PrintedLine(Phrases):
    @property
    def mid(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def em(self) -> float:
        return sorted(p.em for p in self.phrases)[len(self.phrases) // 2]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.phrases)


def printed_lines(words: Sequence[Word]) -> list[PrintedLine]:
    return [PrintedLine(phrases=_phrases(line)) for line in group_lines(words)]


def _phrases(line: list[Word]) -> list[Phrase]:
    out: list[Phrase] = []
    for word in line:
        if out and _joins(out[-1], word):
            out[-1].words.append(word)
        else:
            out.append(Phrase(words=[word]))
    return out


def _joins(phrase: Phrase, word: Word) -> bool:
    em = max(min(phrase.em, word.box[3] - word.box[1]), 1.0)
    gap = word.box[0] - phrase.x1
    numbers = phrase.amount or is_amount(squeeze(word.text))
    return gap < (TIGHT if numbers else GAP) * em
