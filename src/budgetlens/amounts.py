"""How printed numbers are recognised and normalised. Money is Decimal, never float."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

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


BOUNDS = {
    "≥": "≥",
    "≧": "≥",
    ">=": "≥",
    "≤": "≤",
    "≦": "≤",
    "<=": "≤",
    ">": ">",
    "＞": ">",
    "<": "<",
    "＜": "<",
    "=": "=",
    "＝": "=",
}
# What indicators count in: money, shares, and the things a department does (a known word, so that
# '127部门整体' or '300多人' is not read as a quantity); '元/人月' is one unit over another.
_MEASURE = (
    r"%|个百分点|百分点|万元|亿元|千元|元|万人次|人次|万人|人|个月|个|万次|次|场次|场|辆|台|套|户|家|项|件|天|"
    r"小时|分钟|日|周|年|吨|万吨|份|册|篇|分|所|批|部|座|处|条|张|本|棵|株|亩|公顷|平方米|平方公里|立方米|"
    r"公里|千米|米|m2|km|kg|h|床|间|名|位|期|课时|学时|班|校|园|种|类|支|组|人天|工日|千瓦时|度|GB|TB|M|Mbps"
)
_QUANTITY = re.compile(
    rf"^(?P<bound>>=|<=|[≥≧≤≦>＞<＜=＝])?(?P<number>[-−－]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)"
    rf"(?P<unit>(?:万|亿|千)?(?:{_MEASURE})(?:/(?:{_MEASURE}|[\u4e00-\u9fff]{{1,2}}))?)?$"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
_BRACKETED = re.compile(rf"[(]((?:万|亿|千)?(?:{_MEASURE})(?:/(?:{_MEASURE}))?)[)]$")
_YEAR_MONTH = re.compile(r"^(19|20)\d\d\.(0?[1-9]|1[0-2])$")
_SPELLED = {"m2": "平方米", "km": "公里", "kg": "千克", "h": "小时"}  # symbols as the documents' own words


@dataclass(frozen=True)
class Quantity:
    """A measured value as an indicator prints it: '≥95%' → (≥, 95, %), '≤3843.67万元' → (≤, 3843.67,
    万元), '16个' → ('', 16, 个), '12' → ('', 12, '')."""

    bound: str
    number: str  # as normalise() gives it
    unit: str


@lru_cache(maxsize=1 << 16)  # every cell of every row asks, and most cells print the same few texts
def quantity(text: str) -> Quantity | None:
    """The bound, number and unit of a cell such as '≥95%' or '=24小时'; None for text ('按时完成'),
    dates ('2021年12月底'), ordinals ('第3期') and approximations ('300多人')."""
    plain = unicodedata.normalize("NFKC", text).replace(" ", "").replace("％", "%")
    m = _QUANTITY.match(plain)
    if m is None:
        return None
    unit = m.group("unit") or ""
    if unit == "年" and _YEAR.match(m.group("number")):
        return None  # a year, not a count of years
    return Quantity(BOUNDS.get(m.group("bound") or "", ""), normalise(m.group("number")), _named(unit))


def _named(unit: str) -> str:
    return UNITS.get(unit) or _SPELLED.get(unit, unit)


def bracketed_unit(label: str) -> str | None:
    """The unit a label closes with in brackets: '惠及人口（人次）' → 人次, '金额(万元)' → 万元."""
    m = _BRACKETED.search(unicodedata.normalize("NFKC", label).replace(" ", ""))
    return _named(m.group(1)) if m else None


def looks_like_a_month(q: Quantity) -> bool:
    """'2022.12' printed as a deadline: a year and a month, not a number."""
    return not q.unit and not q.bound and bool(_YEAR_MONTH.match(q.number))
