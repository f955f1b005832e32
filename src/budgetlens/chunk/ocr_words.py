"""Words of pages read by OCR put back to the table words they can only be.

Tesseract misreads a character of a label now and then (合计 → 台计, 支出 → 文出, 决算数 → 决佐数).
A word on an OCR page that is not one of the words tables are printed with (catalog/words.py) but
differs from exactly one of them by one character (two in a word of eight or more; an enumerator
such as '一、' kept) is that word. Two candidates as near (台计: 合计 or 小计?) leave it as read.
"""

from __future__ import annotations

from budgetlens.catalog.words import vocabulary
from budgetlens.chunk.text import strip_enumerator
from budgetlens.load.models import LoadedDocument, Page


def snapped(loaded: LoadedDocument) -> LoadedDocument:
    """The document with the words of its OCR pages put right where only one reading is near."""
    if not loaded.ocr_pages:
        return loaded
    return loaded.model_copy(update={"pages": [_page(p) if p.ocr else p for p in loaded.pages]})


def _page(page: Page) -> Page:
    words = [w.model_copy(update={"text": snap(w.text)}) for w in page.words]
    return page.model_copy(update={"words": words})


def snap(text: str) -> str:
    bare = strip_enumerator(text)
    prefix = text[: len(text) - len(bare)]
    if len(bare) < 2 or bare in vocabulary():
        return text
    allowed = 2 if len(bare) >= 8 else 1
    near = [v for v in _candidates(bare) if _distance(bare, v, allowed) <= allowed]
    if not near:
        return text
    best = min(_distance(bare, v, allowed) for v in near)
    closest = [v for v in near if _distance(bare, v, allowed) == best]
    return prefix + closest[0] if len(closest) == 1 else text


def _candidates(text: str) -> list[str]:
    return [v for v in vocabulary() if abs(len(v) - len(text)) <= 1 and _shares(text, v)]


def _shares(a: str, b: str) -> bool:
    """Most characters in common: a word misread by a character or two, not another word."""
    return len(set(a) & set(b)) >= max(1, min(len(a), len(b)) - 2)


def _distance(a: str, b: str, cap: int) -> int:
    """Edit distance (insertions, deletions, substitutions), counted up to cap + 1."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > cap:
            return cap + 1
    return row[-1]
