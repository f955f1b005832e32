"""How printed numbers are recognised and normalised. Money is Decimal, never float."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_AMOUNT = re.compile(r"^[-−－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
UNITS = {"万元": "万元", "元": "元", "亿元": "亿元", "千元": "千元", "万": "万元"}


def is_amount(text: str) -> bool:
    return bool(_AMOUNT.match(text.replace(" ", "")))


def is_code(text: str) -> bool:
    """A function (类3/款5/项7 digits) or economic (3/5 digits) subject code."""
    return bool(_CODE.match(text))


def normalise(text: str) -> str:
    """'2,940.05' → '2940.05'; '－3.2' → '-3.2'; '26%' → '26'. Digits are kept exactly as printed."""
    return text.replace(" ", "").replace(",", "").replace("−", "-").replace("－", "-").rstrip("%")


def to_decimal(text: str) -> Decimal:
    try:
        return Decimal(normalise(text))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


_UNIT = re.compile(r"单位[:：]\s*(万元|亿元|千元|元|万)")


def unit_in(text: str) -> str | None:
    """The unit a line such as '单位：万元' or '金额单位:元' declares."""
    m = _UNIT.search(text.replace(" ", ""))
    return UNITS[m.group(1)] if m else None


def typed_amount(text: str, unit: str = "") -> str:
    """A number a person typed, as a fact holds it: '１９９．３６' → '199.36', '1,234.5' → '1234.5',
    '199.36万元' → '199.36' (when the cell is in 万元, or `unit` is not known). ValueError says
    why a text is refused: a number in another unit than the cell's, or no number at all."""
    plain = unicodedata.normalize("NFKC", text).replace(" ", "").replace("−", "-")
    for suffix in sorted(UNITS, key=len, reverse=True):
        if plain.endswith(suffix) and plain != suffix:
            given = UNITS[suffix]
            if unit and unit != given:
                raise ValueError(f"{text!r} is in {given}, but the cell is in {unit}: type it in {unit}")
            plain = plain[: -len(suffix)]
            break
    if plain.endswith("%") and unit and unit != "%":
        raise ValueError(f"{text!r} is a percentage, but the cell is in {unit}")
    if not _AMOUNT.match(plain):
        raise ValueError(
            f"{text!r} is not a number: type digits with at most one decimal point "
            "(thousands may be separated by commas, e.g. 1,234.56)"
        )
    return plain.replace(",", "").rstrip("%")
