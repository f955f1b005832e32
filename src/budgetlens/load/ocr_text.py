"""What Tesseract reads wrong in numbers, put right where only one reading is possible.

Tesseract turns "12,954.16" into "12.954.16", reads 0 as O and 1 as l, and a thousands comma as the
ideographic "，". A run of digits and separators is rewritten only when its groups leave one
reading: "12.954.16" (groups of three between separators, the last one shorter) is 12,954.16;
"1O5.2l" between non-Latin characters is 105.21. What stays ambiguous ("1.234": one thousand or a
fraction?) is left as read, for the checks to decide (check/ocr.py says which cells are in doubt).
"""

from __future__ import annotations

import re

_SEP = ",，.．。"
_DOT = ".．。"
_LOOKS_ZERO = "Oo〇"
_LOOKS_ONE = "Il|"
# a run of what a printed number is made of, as OCR reads it; bounded by no Latin letter, so a
# code such as 'ISO9001' or a unit such as 'PM2.5' is left alone
_RUN = re.compile(rf"(?<![A-Za-z])[0-9{_LOOKS_ZERO}{_LOOKS_ONE}{_SEP}]+(?![A-Za-z])")
_STRAY = re.compile(r"^[|丨_~`'\"“”‘’—\-]+$")  # what is left of a ruling line, read as a 'word'
_EDGES = re.compile(r"^[|丨“”‘’\"']+|[|丨“”‘’\"']+$")
_CLOSING_FIRST = re.compile(r"^[|丨”’]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[|丨“‘]+$")
_PERCENT_TAIL = re.compile(r"\$?%\d(?![\d.])|\$%")
_OPENING = re.compile(r"[(（]?〈")
_SCRAP = re.compile(r"^[A-Za-z]{1,3}$")
_PUNCTUATION = re.compile(r"^[，。、,.;；:：·]+$")
_UNIT = re.compile(r"((?:金额)?单位)(?:[;；:,，.。]|(?=万元|元|亿元|千元))")
_DOUBTFUL = re.compile(r"^-?\d{1,3}\.\d{3}$")


def clean_word(text: str) -> str:
    """A word OCR read, with the numbers in it put right where that is unambiguous; '' for a word
    that is only what is left of a ruling line."""
    if _STRAY.match(text) or _PUNCTUATION.match(text) or _SCRAP.match(text) and not text.isupper():
        return ""  # a rule's remnant, a speck read as a comma, a blot read as 'Ti' (not 'GDP')
    text = _UNIT.sub(r"\1：", text)  # '单位;万元': the colon of a unit line
    text = _OPENING.sub("（", text)  # '(〈表2)', '〈境)': an opening bracket read twice or as an angle
    text = _PERCENT_TAIL.sub("%", text)  # '90%4。': Tesseract reads a per cent sign with a figure after it
    text = _CLOSING_FIRST.sub("", text)  # '”事业运行': a rule's stroke read as a closing quote
    stripped = _EDGES.sub("", text)
    if stripped and any(c.isdigit() for c in stripped) and _EDGES.search(text):
        text = stripped  # '|30202', '6.18|': a rule's stroke beside a number
    whole = _RUN.fullmatch(text) is not None
    return _RUN.sub(lambda m: _number(m.group(0), whole), text)


def doubtful(text: str) -> bool:
    """A number OCR may have misread one way or the other: one dot before exactly three digits
    ('1.234': 1.234, or 1,234 with its comma read as a dot)."""
    return bool(_DOUBTFUL.match(text.strip()))


def _number(run: str, whole: bool) -> str:
    digits = sum(c.isdigit() for c in run)
    if digits == 0 or (digits < 2 and not run.isdigit()):
        return run
    fixed = _letters(run)
    if fixed is None:
        return run
    groups = re.split(f"[{_SEP}]", fixed.strip(_SEP))
    seps = [c for c in fixed.strip(_SEP) if c in _SEP]
    if not seps:
        return fixed
    body = _grouped(groups, seps, whole) if all(groups) else None
    if body is None:
        return run  # no number reads this way: left as read (a letter stays a letter)
    lead = fixed[: len(fixed) - len(fixed.lstrip(_SEP))]
    tail = fixed[len(fixed.rstrip(_SEP)) :]
    if whole:
        lead, tail = "", ""  # a cell's number: a dot or comma either side of it is a speck
    return lead + body + tail


def _letters(run: str) -> str | None:
    """O/o/〇 → 0 and I/l/| → 1 where they stand among digits; None when letters outnumber digits
    (a word, not a number)."""
    letters = sum(c in _LOOKS_ZERO + _LOOKS_ONE for c in run)
    if letters == 0:
        return run
    if letters * 2 >= sum(c.isdigit() for c in run) + letters:
        return None
    out = run
    for c in _LOOKS_ZERO:
        out = out.replace(c, "0")
    for c in _LOOKS_ONE:
        out = out.replace(c, "1")
    return out


def _grouped(groups: list[str], seps: list[str], whole: bool) -> str | None:
    """Digits split by separators → the one number they can be, or None."""
    if len(groups) == 2:
        a, b = groups
        if seps[0] in _DOT:
            return f"{a}.{b}"
        if len(b) == 3 and len(a) <= 3:
            return f"{a},{b}"
        if whole and len(b) <= 2:
            return f"{a}.{b}"  # '12,95' is no grouping of thousands: its comma is a decimal point
        return None
    first, *middle, last = groups
    if len(first) > 3 or any(len(g) != 3 for g in middle):
        return None
    if len(last) == 3 and len(set(seps)) == 1:
        return ",".join(groups)  # '1.234.567': thousands only
    if len(last) <= 2 or seps[-1] != seps[0]:
        return ",".join([first, *middle]) + "." + last
    return None
