"""Deterministic reader of the narrative (情况说明) sentences of budget / final-account documents.

``read_facts(text)`` returns one :class:`NarrativeFact` per checkable statement:

- ``amount``   "基本支出 217.74 万元" (also list items after 其中/包括/主要用于以下方面)
- ``share``    "基本支出 217.74 万元，占本年支出 43.1%" / "科学技术(类)支出 399.22 万元，占 79.1%"
- ``change``   "比 2019 年度增加 5.81 万元，增长 46.2%" / "与 2019 年度相比，收、支总计各减少 212.28 万元，
  下降 29.6%" (current amount looked up by subject, ``prior`` = current − change) / "与 2024 年预算持平"
- ``execution`` "年初预算为 466.80 万元，支出决算为 399.22 万元，完成年初预算的 85.5%" (``budgets`` keeps
  every budget printed — "年初预算为0万元，全年预算为321.02万元" — and ``budget`` is the one the
  completion clause names)
- ``missing_number`` "支出决算为 万元" (unit printed, number missing)
- ``unparsed``  a clause with a money amount or percentage that none of the patterns explains

A 其中/包括 list (``list_id``) ends at a hard break, at an item marked differently, at a delimiter
stronger than the one between its first items ("甲、乙；丙"), or at a sentence about one of its items
("项目支出主要用于…"); "主要用于：" followed by figures opens a list of that item's own parts.

Template placeholders ("XXX 万元", "XX%") are skipped. Line breaks inside sentences (PDF text extraction)
are joined; ``span`` always indexes the original ``text``. Amounts are normalised to 万元 (``amount``,
``change``, ``prior``, ``budget``); the printed text is kept in ``amount_printed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

FactKind = Literal["amount", "share", "change", "execution", "rate", "count", "missing_number", "unparsed"]
Role = Literal["amount", "percent", "change", "budget", "prior", "count"]


class Printed(BaseModel):
    """One number as the sentence prints it, and what it is in its fact."""

    role: Role = Field(
        description="amount (the current or actual amount), percent (share, rate of change or completion "
        "rate), change (the amount of a change), budget, prior (a prior-year amount printed), count"
    )
    text: str = Field(description="the number as printed, sign kept, without thousands separators")
    unit: str = Field(description="万元 / 元 / 亿元 / 千元 / % / 人, 个, 台 …")
    span: tuple[int, int] = Field(description="where the number is printed: offsets into the text read")
    name: str = Field(default="", description="for budgets: which (年初预算, 全年预算, 预算)")


class NarrativeFact(BaseModel):
    kind: FactKind
    subject: str = Field(default="", description="what the number is about, e.g. 基本支出, 收、支总计")
    amount: str | None = Field(default=None, description="current amount in 万元 (actual for execution)")
    amount_printed: str | None = Field(default=None, description="the amount as printed, with its unit")
    unit: str | None = Field(
        default=None, description="unit printed with the amount: 万元 / 元 / 亿元 / 千元"
    )
    percent: str | None = Field(default=None, description="share, change rate (signed) or completion rate")
    change: str | None = Field(default=None, description="signed change in 万元: 减少/下降 → negative")
    prior: str | None = Field(default=None, description="derived prior-year value (amount − change), 万元")
    budget: str | None = Field(
        default=None, description="the budget the completion rate is of (execution sentences), 万元"
    )
    budgets: dict[str, str] = Field(
        default_factory=dict,
        description="every budget printed in the sentence by its name (年初预算, 全年预算, 预算), 万元",
    )
    base: str | None = Field(default=None, description="what a share is a share of, when printed (本年支出)")
    span: tuple[int, int] = Field(..., description="character offsets into the text read")
    sentence: str = Field(default="", description="the sentence, line breaks removed")
    list_id: int | None = Field(default=None, description="facts of one 其中/包括 list share this id")
    list_role: Literal["total", "item"] | None = None
    partial: bool | None = Field(
        default=None, description="list may be partial (True unless the text says 合计/分别/共计)"
    )
    bound: str | None = Field(
        default=None,
        description="a bound printed with a percentage or a count: at_least (≥, 以上), at_most, above "
        "(超过, 300多人), below, about (近, 约)",
    )
    measure: str | None = Field(
        default=None,
        description="the measure printed beside the amount ('预算数') when the subject is the heading's",
    )
    item_of: int | None = Field(
        default=None,
        description="a list's total that is itself an item of another list (a list inside a list): that list",
    )
    count: str | None = Field(
        default=None, description="a count (人, 个, 台 …): the number, its unit in `unit`"
    )
    printed_prior: str | None = Field(
        default=None,
        description="the prior-year amount when the sentence prints it ('比上年的466.80万元增加…'), 万元",
    )
    numbers: list[Printed] = Field(
        default_factory=list, description="every number printed for this fact, where, and its role"
    )
    note: str | None = None
    extractor: str = Field(default="reader", description="'reader' (deterministic) or 'model:<name>'")


# ---------------------------------------------------------------------------------------------- cleaning

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "％": "%",
    "．": ".",
    "－": "-",
    "−": "-",
    "＋": "+",
    "Ｘ": "X",
    "ｘ": "x",
}
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|图\s*\d)"
)
_PAGE_NO = re.compile(r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
_HAS_AMOUNT = re.compile(r"\d\s*(?:亿元|万元|千元|元|%|％)")
_ASCII_WORD = re.compile(r"[0-9A-Za-z.]")
HARD = "\n"


def _clean(text: str) -> tuple[str, list[int]]:
    """Join wrapped lines; keep a hard break around headings. Returns (clean text, index map)."""
    out: list[str] = []
    pos: list[int] = []
    offset = 0
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if not body.strip() or _PAGE_NO.match(body):
            continue
        if body.strip().isdigit() and len(body.strip()) <= 4:
            prev_blank = n == 0 or not lines[n - 1].strip()
            next_blank = n + 1 >= len(lines) or not lines[n + 1].strip()
            if prev_blank and next_blank:  # a bare page number between blank lines
                continue
        heading = bool(_HEADING.match(body)) and not _HAS_AMOUNT.search(body)
        if heading and out and out[-1] != HARD:
            out.append(HARD)
            pos.append(start)
        for i, ch in enumerate(body):
            ch = _FULLWIDTH.get(ch, ch)
            if ch.isspace():
                continue
            if out and out[-1] != HARD and _ASCII_WORD.match(ch) and _ASCII_WORD.match(out[-1]):
                # keep one space between two ASCII words / numbers that whitespace separated
                j = i - 1
                if j < 0 or body[j].isspace():
                    out.append(" ")
                    pos.append(start + max(j, 0))
            out.append(ch)
            pos.append(start + i)
        if heading:
            out.append(HARD)
            pos.append(start + len(body))
    return "".join(out), pos


# ---------------------------------------------------------------------------------------------- patterns

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"亿元|万元|千元|元"
_AMT = rf"(?P<neg>(?<![\d.])-?)(?P<num>{_NUM})\s?(?P<unit>{_UNIT})"
_PCT = rf"(?P<pneg>(?<![\d.%])-?)(?P<pnum>{_NUM})\s?%"
_PLACEHOLDER = re.compile(r"[XxＸｘ×*＊]+(?:\.[XxＸｘ×*＊]+)?\s?(?:亿元|万元|千元|元|%)")
_MISSING = re.compile(r"(?<=[为是计达出额共有的占长降少加])\s?(?P<u>亿元|万元|%)$")
_AMOUNT_RE = re.compile(_AMT)
_PCT_RE = re.compile(_PCT)
_COMPLETION = re.compile(
    rf"(?:完成(?:了)?(?P<ckind>年初|全年|调整)?预算(?:数)?(?:{_AMT})?的?|执行率(?:为|是)?){_PCT}$"
)
_BUDGET = re.compile(
    rf"^(?P<subj>.*?)(?:(?P<bkind>年初|全年|调整后?)预算数?(?:为|是)?|预算数?(?:为|是))\s?{_AMT}$"
)
_ACTUAL = re.compile(rf"^(?P<subj>.*?)(?:支出决算数|支出决算|决算数|执行数|决算|实际支出)(?:为|是)?{_AMT}$")
_SHARE = re.compile(rf"^(?:占比|占)(?P<base>.*?){_PCT}$")
_UP = "增加|增长|上升|提高|增幅|涨幅|变化|变动|增"
_DOWN = "减少|下降|降低|降幅|减幅|减"
_CHANGE_PCT = re.compile(rf"^(?P<pre>.*?)(?P<verb>{_UP}|{_DOWN})了?(?:幅度为|幅度|为)?{_PCT}$")
_CHANGE_AMT = re.compile(
    rf"^(?P<pre>.*?)(?P<verb>{_UP}|{_DOWN})了?(?P<neg>-?)(?P<num>{_NUM})\s?(?P<unit>{_UNIT})?$"
)
_FLAT = re.compile(r"(?:持平|无变化|没有变化)$")
_COMPARE_MARK = re.compile(r"(?:与|同).*(?:相比|相较)$|^同比$")
_COMPARE_IN = re.compile(r"比|较|同比")
_LIST_INTRO = re.compile(r"^(?:其中|.{0,12}包括|主要用于以下方面|具体(?:使用)?情况如下|分别为|分别是)$")
_ITEM_MARK = re.compile(
    r"^(?:\d+ ?[.、．]|[（(]\d+[)）]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)"
)
_YEAR = re.compile(r"\d{4}年(?:度)?")
_ORG = re.compile(r"^.*?[省市区县州].*?(?:科学技术协会|协会|委员会|局|中心|办公室|政府|学会)(?=.)")
_TRAILING_VERB = re.compile(r"(?:均为|各为|合计为|总额为|共计|为|是|达到|达|共有|共|有)$")
# "货物采购授予中小企业合同金额占货物支出金额的9.16%": a share whose amount is not printed
_SHARE_OF = re.compile(rf"^(?P<subj>.+?)占(?P<base>.*?){_PCT}$")
# Bounds printed around a percentage ("满意度达到85.0%以上", "≥95%", "不低于95%")
_AT_LEAST = r"≥|≧|>=|不低于|不少于|不得低于|大于等于|高于等于"
_AT_MOST = r"≤|≦|<=|不高于|不超过|不得高于|小于等于|低于等于"
_BOUND_BEFORE = re.compile(rf"(?:{_AT_LEAST}|{_AT_MOST}|大于|小于|高于|低于|超过|＞|＜|>|<)$")
_BOUND_AFTER = re.compile(r"^(?:及以上|以上|及以下|以下|以内)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT_MARK = re.compile(r"[（(]%[)）]")
_RANGE = re.compile(r"[-—–~～至到]")
_RATE_VERB = re.compile(r"(?:已经|已|均|都|将|可|达到了|达到|达|为|是|约|在|保持在|控制在|＝|=)+$")
_ACTUAL_WORDS = re.compile(r"(?:支出决算数|支出决算|决算数|执行数|决算|实际支出)$")
# A subject that names only a measure: what it is the 预算 of is the heading before it
_MEASURE = re.compile(r"^(?:本年|当年|全年|年初)?(?:支出|收入)?(?:预算|决算|执行)(?:数|金额)?$")
_INNER_ENUM = re.compile(
    r"(?<=[^\s，。；：、])(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)"
)
_LEAD_WORDS = re.compile(r"^(?:其中|主要原因是|主要是|(?:主要|具体)?包括|分别为|分别是)[：:]?")
_DELIM = re.compile(r"[，；：;:]|,(?!\d{3})|(?<=[元%])、")
_DOWN_WORDS = set(_DOWN.split("|"))
# Counts: 人, 个, 台（套）… (not 年/月/日: dates; not after 第: ordinals; not inside a longer number)
_COUNT = re.compile(
    r"(?P<pre>近|约|超过|逾)?(?<![\d.,第])(?P<num>\d+(?:\.\d+)?)(?P<approx>多|余)?\s?"
    r"(?P<unit>万?(?:人次|场次|人|名|位|个|家|台（套）|台\(套\)|台|辆|次|项|套|所|户|场|批|件|篇|条"
    r"|座|栋|间|处|份|期|册|张|本|课时|学时))"
)
_APPROX = {"近": "about", "约": "about", "超过": "above", "逾": "above", "多": "above", "余": "above"}


def _signed(verb: str, neg: str, num: str) -> Decimal:
    d = Decimal(num.replace(",", ""))
    if neg:
        d = -d
    return -d if verb in _DOWN_WORDS else d


_TO_WAN = {"万元": 0, "亿元": 4, "千元": -1, "元": -4}


def _wan(num: str, neg: str = "", unit: str | None = "万元") -> Decimal:
    d = Decimal(num.replace(",", ""))
    if neg:
        d = -d
    return d.scaleb(_TO_WAN.get(unit or "万元", 0))


def in_wan(num: str, unit: str | None) -> str:
    """A printed amount in 万元, exact: '2177400' 元 → '217.7400'."""
    return _s(_wan(num, "", unit)) or "0"


def _s(d: Decimal | None) -> str | None:
    if d is None:
        return None
    s = format(d, "f")
    return "0" if s == "-0" else s


def _subject(raw: str) -> str:
    s = raw.strip(" ，。；：、")
    # a chart's caption or a heading run into the sentence: "…情况（三）年终结转结余资金"
    s = _INNER_ENUM.split(s)[-1] or s
    s = _LEAD_WORDS.sub("", s)
    while True:
        m = _ITEM_MARK.match(s)
        if not m:
            break
        s = s[m.end() :]
    parts = _YEAR.split(s)
    if len(parts) > 1:
        before = parts[0].strip(" ，")
        after = parts[-1]
        after_bare = _TRAILING_VERB.sub("", after)
        s = before if before and after_bare in ("", "预算数", "决算数", "预算", "决算") else after
        if before and s is before and after_bare:
            s = before
    if "的" in s:
        tail = s.rsplit("的", 1)[1]
        if len(tail) >= 4:
            s = tail
    m = _ORG.match(s)
    if m and len(s) - m.end() >= 2:
        s = s[m.end() :]
    s = re.sub(r"^(?:本年度|本年|当年|全年)", "", s)
    s = _TRAILING_VERB.sub("", s)
    return s.strip(" ，")


# ---------------------------------------------------------------------------------------------- reading


def _bound(before: str, after: str) -> str | None:
    """at_least, at_most, above or below, as printed around a percentage; None when it is exact."""
    before = _RATE_VERB.sub("", before)
    m = _BOUND_BEFORE.search(before)
    word = m.group() if m else ""
    if re.fullmatch(_AT_LEAST, word) or re.match(r"及?以上", after):
        return "at_least"
    if re.fullmatch(_AT_MOST, word) or re.match(r"及?以下|以内", after):
        return "at_most"
    if word in ("大于", "高于", "超过", "＞", ">"):
        return "above"
    if word in ("小于", "低于", "＜", "<"):
        return "below"
    return None


def _printed_prior(text: str, offset: int) -> _Amt | None:
    """The prior amount a comparison prints: '比2025年年初预算数101989.82万元', '与上年的466.80万元相比'."""
    m = re.search(r"比|较|与|同", text)
    am = _AMOUNT_RE.search(text, m.end()) if m else None
    if m is None or am is None:
        return None
    return _Amt.of(_subject(text[m.end() : am.start()]), am, offset)


def _strip_intro(text: str) -> str:
    return re.sub(r"^其中[：:，,]?", "", text)


@dataclass
class _Amt:
    subject: str
    value: Decimal
    printed: str
    unit: str
    start: int
    end: int
    nstart: int = -1  # where the number itself is printed (clean text), -1 when not known
    nend: int = -1
    measure: str | None = None  # the measure printed for a subject taken from the heading (预算数)

    @classmethod
    def of(cls, subject: str, m: re.Match[str], offset: int) -> _Amt:
        """The amount a match of _AMT (groups neg, num, unit) printed, ``offset`` into the clean text."""
        printed = m.group("neg") + m.group("num") + m.group("unit")
        value = _wan(m.group("num"), m.group("neg"), m.group("unit"))
        start = offset + m.start("neg")
        return cls(
            subject, value, printed, m.group("unit"), offset, offset + m.end(), start, offset + m.end("num")
        )


@dataclass
class _List:
    id: int
    partial: bool
    marked: str | None = None  # marker style of the items ("dot", "paren", …, "" = none); None until known
    sentence: int = -1  # start of the sentence the item separator below was seen in
    items: int = 0  # items begun in that sentence
    sep: str | None = None  # the delimiter between the first two items of that sentence


# how strongly a delimiter separates: items joined by 、 end at a ；
_STRENGTH = {"、": 0, "，": 1, ",": 1, "：": 1, ":": 1, "；": 2, ";": 2}
_SUBLIST = re.compile(r"^(?:主要)?(?:用于|包括)$")
# Words that open the parts of one item, not a breakdown of their own: a list inside a list
_SUB_INTRO = re.compile(r"包括|用于|^含")
# "主要包括创业担保贷款贴息7,000.00万元": the intro and the first item in one clause
_INLINE_INTRO = re.compile(r"^(?:主要|具体)?包括[：:]?(?=.)")


@dataclass
class _Sentence:
    text: str
    start: int
    hard_before: bool
    facts: list[NarrativeFact] = field(default_factory=list)


def _marker_style(text: str) -> str:
    """'dot' for "1." items, 'paren' for "(1)", 'cn' for "(一)", 'cn2' for "一、"; '' when unmarked."""
    text = _strip_intro(text)
    if re.match(r"^\d+ ?[.、．]", text):
        return "dot"
    if re.match(r"^[（(]\d+[)）]", text):
        return "paren"
    if re.match(r"^[（(][一二三四五六七八九十]+[)）]", text):
        return "cn"
    if re.match(r"^[一二三四五六七八九十]+、", text):
        return "cn2"
    return ""


def _is_item_heading(sent: _Sentence) -> bool:
    """A short sentence that only names a numbered item: "1.科学技术支出。"."""
    text = _strip_intro(sent.text)
    return not sent.facts and len(text) < 80 and bool(_ITEM_MARK.match(text)) and not _HAS_AMOUNT.search(text)


class _Reader:
    def __init__(self, text: str) -> None:
        self.src = text
        self.clean, self.pos = _clean(text)
        self.facts: list[NarrativeFact] = []
        self.next_list = 1
        self.cur_list: _List | None = None
        self.heading = ""  # subject of the last item heading ("1.科学技术支出（类）…（项）。")
        self.open_heading: str | None = None  # its marker style, until a sentence with figures follows
        self.block = 0  # index into facts where the current block (after a hard break) begins
        self.counts: list[NarrativeFact] = []  # kept apart: a count is no list item, total or amount
        self.outer: list[_List] = []  # lists a list inside a list was opened in, innermost last

    # -- helpers
    def span(self, a: int, b: int) -> tuple[int, int]:
        if not self.pos:
            return (0, 0)
        a = min(max(a, 0), len(self.pos) - 1)
        b = min(max(b - 1, a), len(self.pos) - 1)
        return (self.pos[a], self.pos[b] + 1)

    def emit(self, sent: _Sentence, a: int, b: int, **kw: object) -> NarrativeFact:
        fact = NarrativeFact(span=self.span(a, b), sentence=sent.text, **kw)  # type: ignore[arg-type]
        sent.facts.append(fact)
        self.facts.append(fact)
        listed = kw.get("kind") not in ("unparsed", "count", "rate") and kw.get("amount") is not None
        if self.cur_list is not None and (
            listed or kw.get("kind") in ("amount", "execution", "missing_number")
        ):
            fact.list_id, fact.list_role, fact.partial = self.cur_list.id, "item", self.cur_list.partial
        return fact

    def emit_amount(self, sent: _Sentence, amt: _Amt) -> NarrativeFact:
        return self.emit(
            sent,
            amt.start,
            amt.end,
            kind="amount",
            subject=amt.subject,
            amount=_s(amt.value),
            amount_printed=amt.printed,
            unit=amt.unit,
            measure=amt.measure,
            numbers=self.printed("amount", amt),
        )

    def printed(self, role: Role, amt: _Amt | None, name: str = "") -> list[Printed]:
        """The number of an amount, as a list of one (none when it was not printed here)."""
        if amt is None or amt.nstart < 0:
            return []
        number = self.clean[amt.nstart : amt.nend].replace(",", "").replace(" ", "")
        return [
            Printed(role=role, text=number, unit=amt.unit, span=self.span(amt.nstart, amt.nend), name=name)
        ]

    def percent(self, m: re.Match[str], offset: int) -> list[Printed]:
        """The percentage a match of _PCT (groups pneg, pnum) printed, ``offset`` into the clean text."""
        a, b = offset + m.start("pneg"), offset + m.end("pnum")
        text = (m.group("pneg") + m.group("pnum")).replace(",", "")
        return [Printed(role="percent", text=text, unit="%", span=self.span(a, b + 1))]

    def find_current(self, subject: str, sent: _Sentence) -> NarrativeFact | None:
        for fact in reversed(self.facts[-30:]):
            if (
                fact.amount is not None
                and fact.kind in ("amount", "share", "change")
                and fact.subject == subject
            ):
                return fact
        return None

    # -- sentences
    def sentences(self) -> list[_Sentence]:
        out: list[_Sentence] = []
        start, hard = 0, True
        for m in re.finditer(r"[。！？!?]|\n", self.clean + HARD):
            end = m.end() if m.group() != HARD else m.start()
            body = self.clean[start:end]
            if body.strip():
                out.append(_Sentence(body, start, hard))
            hard = m.group() == HARD
            start = m.end()
        return out

    def read(self) -> list[NarrativeFact]:
        prev: _Sentence | None = None
        for sent in self.sentences():
            lst = self.cur_list
            stale = lst is not None and prev is not None and not self.continues_list(sent, lst)
            if sent.hard_before or stale:
                self.cur_list = None
            if sent.hard_before:
                self.heading, self.open_heading, self.block = "", None, len(self.facts)
                self.outer = []
            elif self.cur_list is None and prev is not None:
                self.resume(sent)
            self.read_sentence(sent, prev)
            self.note_heading(sent)
            prev = sent
        return _merged(self.facts, self.counts)

    def read_rates(self, sent: _Sentence, clause: str, offset: int, why: str, named_by: str = "") -> None:
        """Percentages about what the clause names ('预算执行率74.67%', '满意度达到85.0%以上'): rates of
        a subject; one with nothing before it that names a subject is left unplaced (for the model).
        ``named_by``: the clause before, when it names what this one gives ("正常运行率：99%")."""
        prev_end = 0
        last = next((f for f in reversed(sent.facts) if f.kind == "rate"), None)
        for m in _PCT_RE.finditer(clause):
            before = clause[prev_end : m.start()]
            bound = _bound(before, clause[m.end() :])
            subject = _subject(_RATE_VERB.sub("", _BOUND_BEFORE.sub("", _RATE_VERB.sub("", before))))
            if last is not None and _RANGE.fullmatch(before.strip()):
                # "预算执行控制率97%-100%": the upper end of a range of the same rate
                subject, bound, last.bound = last.subject, "at_most", "at_least"
            elif not _CJK.search(subject) and prev_end == 0 and named_by:
                subject = _subject(_UNIT_MARK.sub("", named_by))  # "数据准确率（%）：≥99%"
            elif not _CJK.search(subject) and last is not None and bound:
                subject = last.subject  # "不得低于5%，不得高于12%": the other bound of the same rate
            named = len(_CJK.findall(subject)) >= 2
            last = self.emit(
                sent,
                offset + prev_end,
                offset + m.end(),
                kind="rate" if named else "unparsed",
                subject=subject if named else "",
                percent=_s(_wan(m.group("pnum"), m.group("pneg"))),
                bound=bound,
                note=None if named else why,
                numbers=self.percent(m, offset),
            )
            prev_end = m.end()

    def resume(self, sent: _Sentence) -> None:
        """After a list inside a list, a sentence that goes on with the outer list ("3.…" after the
        parts of "2.…") takes it up again; outer lists it does not go on with are done."""
        while self.outer:
            lst = self.outer.pop()
            if self.continues_list(sent, lst):
                self.cur_list = lst
                return

    def read_counts(self, sent: _Sentence, clause: str, offset: int) -> None:
        """Counts printed in a clause, each a fact of its own, away from the amounts and percentages."""
        taken = [m.span() for m in (*_AMOUNT_RE.finditer(clause), *_PCT_RE.finditer(clause))]
        for m in _COUNT.finditer(clause):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            a, b = offset + m.start("num"), offset + m.end()
            self.counts.append(
                NarrativeFact(
                    kind="count",
                    subject=_subject(clause[: m.start()]),
                    count=m.group("num"),
                    unit=m.group("unit"),
                    bound=_APPROX.get(m.group("approx") or m.group("pre") or ""),
                    span=self.span(a, b),
                    sentence=sent.text,
                    numbers=[
                        Printed(role="count", text=m.group("num"), unit=m.group("unit"), span=self.span(a, b))
                    ],
                )
            )

    def note_heading(self, sent: _Sentence) -> None:
        """Item headings name what the following sentences' figures are about, until the next one."""
        if _is_item_heading(sent):
            # "4.信访干部培训专项项目绩效自评综述：根据…": the heading's name, before what it says
            self.heading = _subject(
                re.split(r"[：:，,]", _strip_intro(sent.text).rstrip("。"), maxsplit=1)[0]
            )
            self.open_heading = _marker_style(sent.text)
        elif sent.facts:
            self.open_heading = None

    def separator(self, sent: _Sentence, delim: str) -> None:
        """Items of one list are separated alike within a sentence: after "甲、乙" a "；丙" is no item."""
        lst = self.cur_list
        if lst is None:
            return
        if lst.sentence != sent.start:
            lst.sentence, lst.items, lst.sep = sent.start, 0, None
        lst.items += 1
        if lst.items == 2:
            lst.sep = delim
        elif lst.sep is not None and _STRENGTH.get(delim, 0) > _STRENGTH.get(lst.sep, 0):
            self.cur_list = None

    def elaborates(self, text: str, lst: _List) -> bool:
        """ "项目支出主要用于…287.03万元" after the item 项目支出 says more about it: it is not a sibling."""
        m = _AMOUNT_RE.search(text)
        subject = _subject(text[: m.start()]) if m else ""
        items = [f.subject for f in self.facts if f.list_id == lst.id and f.list_role == "item"]
        return any(s and subject != s and subject.startswith(s) for s in items)

    def continues_list(self, sent: _Sentence, lst: _List) -> bool:
        text = sent.text
        style = _marker_style(text)
        if style:
            if lst.marked is None:
                lst.marked = style
            return lst.marked == style
        if lst.marked and self.open_heading == lst.marked:
            return True  # an item heading ("1.科学技术支出。") came since the last figures
        if not _HAS_AMOUNT.search(text):
            return True  # neutral ("主要是用于……。")
        if lst.marked:
            return False
        first = _DELIM.split(text, maxsplit=1)[0]
        m = _AMOUNT_RE.search(first)
        if m is None or self.elaborates(first, lst):
            return False
        ok = not re.search(r"\d", first[: m.start()]) and not _COMPARE_IN.search(first)
        if ok and lst.marked is None:
            lst.marked = ""
        return ok

    def clauses(self, sent: _Sentence) -> list[tuple[str, int, str]]:
        """(clause, start, the delimiter before it)."""
        out: list[tuple[str, int, str]] = []
        i, delim = 0, ""
        body = sent.text.rstrip("。！？!?")
        for m in _DELIM.finditer(body):
            out.append((body[i : m.start()], sent.start + i, delim))
            i, delim = m.end(), m.group()
        out.append((body[i:], sent.start + i, delim))
        return [(c, s, d) for c, s, d in out if c.strip()]

    def read_sentence(self, sent: _Sentence, prev: _Sentence | None) -> None:  # noqa: C901
        pending: _Amt | None = None
        last: NarrativeFact | None = None  # last fact with an amount in this sentence
        open_change: NarrativeFact | None = None
        compare = False
        prior_amt: _Amt | None = None  # "与2024年预算数100万元相比": the prior year's amount, printed
        skip_share = False
        budget: _Amt | None = None
        budgets: dict[str, _Amt] = {}  # every budget printed so far, by name (年初预算, 全年预算)
        actual: _Amt | None = None
        actual_missing = False
        exec_subject = ""

        def flush() -> None:
            nonlocal pending, last
            if pending is not None:
                last = self.emit_amount(sent, pending)
                pending = None

        def budget_as_amount() -> None:
            """'预算数为4,112.82万元，比上年预算数增加11.97万元': a budget compared with a year before,
            or shared out, is the amount the sentence is about, not one an actual amount is held to."""
            nonlocal pending, budget, budgets
            if pending is None and budget is not None and actual is None and not actual_missing:
                pending, budget, budgets = budget, None, {}

        def budget_numbers() -> list[Printed]:
            return [p for name, b in budgets.items() for p in self.printed("budget", b, name)]

        clauses = self.clauses(sent)
        for n, (clause, cstart, delim) in enumerate(clauses):
            c = clause.strip()
            cend = cstart + len(clause)
            cstart += len(clause) - len(clause.lstrip())
            self.read_counts(sent, c, cstart)
            if _PLACEHOLDER.search(c):
                flush()
                skip_share = True
                continue
            if c.startswith("其中") and len(c) > 2 and not _LIST_INTRO.match(c):
                self.start_list(sent, c, pending, last, c[2:])
                pending = None
                c = c[2:]
                cstart += 2
            m = _INLINE_INTRO.match(c)
            if m and _AMOUNT_RE.search(c) and (pending or last):
                self.start_list(sent, c, pending, last, c[m.end() :])
                pending = None
                c = c[m.end() :]
                cstart += m.end()
            if _LIST_INTRO.match(c) and "主要包括" not in c:
                flush()
                self.start_list(sent, c, None, last, self.clean[cend : sent.start + len(sent.text)])
                continue
            following = clauses[n + 1][0] if n + 1 < len(clauses) else ""
            if _SUBLIST.match(c) and (pending or last) and _AMOUNT_RE.search(following):
                # "一般行政管理事务54万元，主要用于：1.科普经费33.2万元…": what follows are its parts
                flush()
                self.start_list(sent, c, None, last, following)
                continue
            m = _MISSING.search(c)
            if m and not _AMOUNT_RE.search(c) and not _PCT_RE.search(c):
                flush()
                self.emit(
                    sent,
                    cstart,
                    cend,
                    kind="missing_number",
                    subject=_subject(c[: m.start()]),
                    unit=m.group("u"),
                    note="unit printed without a number",
                )
                if budget is not None and "决算" in c:
                    actual_missing = True
                continue
            m = _COMPLETION.search(c)
            if m:
                if actual is None and pending is not None and not actual_missing:
                    # "公务接待费支出决算为0.16万元，完成预算…": the amount before the rate is the actual,
                    # about what it names unless a budget printed before it named the subject
                    actual, pending = pending, None
                    if budget is None:
                        exec_subject = _ACTUAL_WORDS.sub("", actual.subject) or exec_subject
                if m.group("num") is not None:  # "完成预算0万元的0%": the budget inside the rate's clause
                    budget = _Amt.of(exec_subject, m, cstart)
                    budgets[(m.group("ckind") or "") + "预算"] = budget
                flush()
                pct = _s(_wan(m.group("pnum"), m.group("pneg")))
                if budget is not None or actual is not None or actual_missing:
                    first = next(iter(budgets.values()), None)
                    start = first.start if first else (actual.start if actual else cstart)
                    named = budgets.get((m.group("ckind") or "") + "预算") if m.group("ckind") else None
                    budget = named or budget
                    last = self.emit(
                        sent,
                        start,
                        cend,
                        kind="execution",
                        subject=exec_subject,
                        amount=_s(actual.value) if actual else None,
                        amount_printed=actual.printed if actual else None,
                        unit=actual.unit if actual else None,
                        budget=_s(budget.value) if budget else None,
                        budgets={k: _s(v.value) or "" for k, v in budgets.items()},
                        percent=pct,
                        note="actual amount missing" if actual_missing else None,
                        numbers=[
                            *budget_numbers(),
                            *self.printed("amount", actual),
                            *self.percent(m, cstart),
                        ],
                    )
                    budget, actual, actual_missing, budgets, exec_subject = None, None, False, {}, ""
                else:
                    self.read_rates(sent, c, cstart, "completion rate without amounts")
                continue
            m = _BUDGET.match(c)
            if m:
                flush()
                # a second budget in the sentence ("年初预算为0万元，全年预算为321.02万元") keeps the subject
                # "54.…二期扩建项目绩效自评综述：全年预算数…": the clause before the colon names it
                colon = _subject(clauses[n - 1][0]) if n and delim in "：:" and delim else ""
                fallback = exec_subject if budgets else (colon or self.heading)
                exec_subject = _subject(m.group("subj")) or fallback
                budget = _Amt.of(exec_subject, m, cstart)
                budgets[(m.group("bkind") or "").removesuffix("后") + "预算"] = budget
                continue
            m = _ACTUAL.match(c)
            if m and budget is not None:
                actual = _Amt.of(exec_subject, m, cstart)
                continue
            m = _SHARE.match(c)
            if m:
                if skip_share:
                    skip_share = False
                    continue
                budget_as_amount()
                pct = _s(_wan(m.group("pnum"), m.group("pneg")))
                base = m.group("base").removesuffix("的") or None
                if pending is not None:
                    last = self.emit(
                        sent,
                        pending.start,
                        cend,
                        kind="share",
                        subject=pending.subject,
                        amount=_s(pending.value),
                        amount_printed=pending.printed,
                        unit=pending.unit,
                        percent=pct,
                        base=base,
                        numbers=[*self.printed("amount", pending), *self.percent(m, cstart)],
                    )
                    pending = None
                elif last is not None and last.amount is not None and last.sentence == sent.text:
                    # "支出决算296,047.75万元，完成年初预算的212.65%，占本年支出合计的14.27%"
                    self.emit(
                        sent,
                        cstart,
                        cend,
                        kind="share",
                        subject=last.subject,
                        amount=last.amount,
                        amount_printed=last.amount_printed,
                        unit=last.unit,
                        percent=pct,
                        base=base,
                        note="share of the amount printed before it in the sentence",
                        numbers=self.percent(m, cstart),
                    )
                else:
                    self.emit(
                        sent,
                        cstart,
                        cend,
                        kind="unparsed",
                        percent=pct,
                        base=base,
                        note="share without an amount before it",
                        numbers=self.percent(m, cstart),
                    )
                continue
            skip_share = False
            m = _CHANGE_PCT.match(c)
            if m and not _AMOUNT_RE.search(c):
                budget_as_amount()
                pct = _s(_signed(m.group("verb"), m.group("pneg"), m.group("pnum")))
                if open_change is not None:
                    open_change.percent = pct
                    open_change.span = (open_change.span[0], self.span(cstart, cend)[1])
                    open_change.numbers += self.percent(m, cstart)
                    open_change = None
                elif (_COMPARE_IN.search(m.group("pre")) or compare) and (pending or last):
                    cur = pending
                    flush()
                    src = last
                    assert src is not None
                    self.emit(
                        sent,
                        cur.start if cur else cstart,
                        cend,
                        kind="change",
                        subject=src.subject,
                        amount=src.amount,
                        amount_printed=src.amount_printed,
                        unit=src.unit,
                        percent=pct,
                        printed_prior=_s(prior_amt.value) if prior_amt else None,
                        numbers=[*self.printed("prior", prior_amt), *self.percent(m, cstart)],
                    )
                    prior_amt = None
                else:
                    # "增长5%" with nothing it is compared with: a rate of change of what the clause names
                    subject = _subject(m.group("pre")) or (last.subject if last else "")
                    self.emit(
                        sent,
                        cstart,
                        cend,
                        kind="change" if subject else "unparsed",
                        subject=subject,
                        percent=pct,
                        note="rate of change without the amounts it is of",
                        numbers=self.percent(m, cstart),
                    )
                continue
            m = _CHANGE_AMT.match(c)
            if m and (_COMPARE_IN.search(m.group("pre")) or compare):
                budget_as_amount()
                pre = m.group("pre")
                subj = _subject(re.split(r"比|较|与", pre, maxsplit=1)[0].removesuffix("各"))
                subj = subj.removesuffix("各")
                unit = m.group("unit")
                change = _signed(m.group("verb"), m.group("neg"), m.group("num")).scaleb(
                    _TO_WAN.get(unit or "万元", 0)
                )
                cur_value: Decimal | None = None
                cur_subject, cur_printed, cur_unit, start = subj, None, None, cstart
                own: _Amt | None = None  # the current amount, when printed in this sentence
                if pending is not None and (not subj or subj == pending.subject or subj == "决算数"):
                    own, cur_value, cur_subject, cur_printed, cur_unit = (
                        pending,
                        pending.value,
                        pending.subject,
                        pending.printed,
                        pending.unit,
                    )
                    start = pending.start
                    pending = None
                elif not subj or subj == "决算数":
                    flush()
                    if last is None and prev is not None and prev.facts:
                        last = prev.facts[-1]
                    if last is not None and last.amount is not None:
                        cur_value, cur_subject = Decimal(last.amount), last.subject
                        cur_printed, cur_unit = last.amount_printed, last.unit
                else:
                    flush()
                    found = self.find_current(subj, sent)
                    if found is not None and found.amount is not None:
                        cur_value, cur_printed, cur_unit = (
                            Decimal(found.amount),
                            found.amount_printed,
                            found.unit,
                        )
                prior = cur_value - change if cur_value is not None else None
                prior_amt = _printed_prior(pre, cstart + m.start("pre")) or prior_amt
                amount_at = m.start("neg")
                number = Printed(
                    role="change",
                    text=(m.group("neg") + m.group("num")).replace(",", ""),
                    unit=unit or "万元",
                    span=self.span(cstart + amount_at, cstart + m.end("num")),
                )
                open_change = last = self.emit(
                    sent,
                    start,
                    cend,
                    kind="change",
                    subject=cur_subject,
                    amount=_s(cur_value),
                    amount_printed=cur_printed,
                    unit=cur_unit,
                    change=_s(change),
                    prior=_s(prior),
                    printed_prior=_s(prior_amt.value) if prior_amt else None,
                    note=None if unit else "change printed without a unit; 万元 assumed",
                    numbers=[*self.printed("amount", own), *self.printed("prior", prior_amt), number],
                )
                prior_amt = None
                continue
            if _FLAT.search(c):
                src_amt = pending
                if src_amt is not None:
                    pending = None
                    last = self.emit(
                        sent,
                        src_amt.start,
                        cend,
                        kind="change",
                        subject=src_amt.subject,
                        amount=_s(src_amt.value),
                        amount_printed=src_amt.printed,
                        unit=src_amt.unit,
                        change="0",
                        prior=_s(src_amt.value),
                        numbers=self.printed("amount", src_amt),
                    )
                continue
            if _COMPARE_MARK.search(c):
                flush()
                compare = True
                prior_amt = _printed_prior(c, cstart)
                continue
            found_any = False
            prev_end = 0
            for am in _AMOUNT_RE.finditer(c):
                flush()
                if not found_any:
                    self.separator(sent, delim)
                found_any = True
                subj = _subject(c[prev_end : am.start()])
                measure = subj if _MEASURE.match(subj) and self.heading else None
                if measure:
                    subj = self.heading  # "（一）因公出国（境）费用。2026年预算数59万元"
                pending = _Amt.of(subj, am, cstart)
                pending.measure = measure
                pending.start = cstart + prev_end
                prev_end = am.end()
            if found_any:
                continue
            m = _SHARE_OF.match(c)
            if m and len(_subject(m.group("subj"))) >= 2:
                self.emit(
                    sent,
                    cstart,
                    cend,
                    kind="share",
                    subject=_subject(m.group("subj")),
                    percent=_s(_wan(m.group("pnum"), m.group("pneg"))),
                    base=m.group("base").removesuffix("的") or None,
                    note="share of an amount not printed",
                    numbers=self.percent(m, cstart),
                )
                continue
            if _PCT_RE.search(c):
                named_by = clauses[n - 1][0] if n and delim in "：:" and delim else ""
                self.read_rates(sent, c, cstart, "percentage not understood", named_by)
        flush()
        if budget is not None or actual is not None:
            printed_budgets = {k: _s(v.value) or "" for k, v in budgets.items()}
            if budget is not None and actual is not None:
                self.emit(
                    sent,
                    next(iter(budgets.values())).start,
                    actual.end,
                    kind="execution",
                    subject=exec_subject,
                    amount=_s(actual.value),
                    amount_printed=actual.printed,
                    unit=actual.unit,
                    budget=_s(budget.value),
                    budgets=printed_budgets,
                    note="no completion rate printed",
                    numbers=[*budget_numbers(), *self.printed("amount", actual)],
                )
            elif budget is not None:
                self.emit(
                    sent,
                    budget.start,
                    budget.end,
                    kind="execution",
                    subject=exec_subject,
                    budget=_s(budget.value),
                    budgets=printed_budgets,
                    note="budget only",
                    numbers=budget_numbers(),
                )

    def start_list(
        self,
        sent: _Sentence,
        intro: str,
        pending: _Amt | None,
        last: NarrativeFact | None,
        rest: str,
    ) -> None:
        total: NarrativeFact | None = None
        outer = self.cur_list
        if pending is not None:
            total = self.emit_amount(sent, pending)  # while the list it may be an item of is open
        self.cur_list = None
        if total is not None:
            pass
        elif last is not None:
            total = last
        elif sent.facts:
            total = sent.facts[-1]
        elif sent.text.startswith("其中") and len(self.facts) > self.block:
            total = self.facts[-1]  # the last figure before "其中" in this block
        partial = not re.search(r"合计|分别|共计", intro)
        rest = rest.lstrip("：:，,")
        lst = _List(self.next_list, partial, _marker_style(rest) if rest else None)
        self.next_list += 1
        if total is not None and total.kind != "unparsed":
            inside = outer is not None and total.list_id == outer.id and total.list_role == "item"
            if inside and outer is not None and _SUB_INTRO.search(intro):
                # "2.促进就业管理10,744.73万元，主要包括…": the item's own parts, a list inside the list
                total.item_of = outer.id
                self.outer.append(outer)
            total.list_id, total.list_role, total.partial = lst.id, "total", partial
        self.cur_list = lst


def _merged(facts: list[NarrativeFact], counts: list[NarrativeFact]) -> list[NarrativeFact]:
    """The counts put among the other facts where they are printed, the others' order kept."""
    out: list[NarrativeFact] = []
    rest = list(counts)
    for fact in facts:
        while rest and rest[0].span[0] < fact.span[0]:
            out.append(rest.pop(0))
        out.append(fact)
    return out + rest


def join_paragraphs(paragraphs: list[str]) -> tuple[str, list[int]]:
    """The text the reader reads for a section: paragraphs one per line (a line break inside a
    sentence is a PDF wrap, so sentences may run on), and where each paragraph starts in it."""
    starts, at = [], 0
    for text in paragraphs:
        starts.append(at)
        at += len(text) + 1
    return "\n".join(paragraphs), starts


def read_facts(text: str) -> list[NarrativeFact]:
    """Read the checkable facts of narrative text (see the module docstring for the patterns)."""
    return _Reader(text).read()
