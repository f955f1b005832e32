"""Which table cell a narrative figure describes: subjects and cells reduced to comparable names.

A narrative subject ("一般公共预算财政拨款基本支出", "科学技术(类)支出", "收、支总计", "人员经费") and a
table cell (a row label, a column header, the table's own name) are both reduced to a *name*: NFKC,
no quotes, no 类/款/项 marks, no enumerator, synonyms folded (ALIASES, data), noise words dropped,
trailing 合计/小计 dropped. The fund a figure belongs to (一般公共预算 / 政府性基金预算 /
国有资本经营预算 / 财政拨款) is split off as its *scope*. A subject links to every cell whose names
contain it, in a table of the same scope (an unscoped subject links to any table): the check then
asks whether ANY candidate agrees, so a generous candidate set never invents a disagreement.

A subject naming a 类/款/项 path ("科学技术支出（类）科学技术普及（款）科普活动（项）") links to coded
rows whose own name is the last step and whose ancestors (by code prefix) carry the earlier steps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from budgetlens.check.findings import CellRef
from budgetlens.check.view import ColumnView, Line, TableView

# Synonyms folded before comparing (data, not per-document cases): longest first where they overlap.
ALIASES: tuple[tuple[str, str], ...] = (
    ("收入支出", "收支"),
    ("收、支", "收支"),
    ("总预算", "总计"),
    ("运行维护费", "运行费"),
    ("日常公用支出", "公用费"),  # DOMAIN.md: 人员支出 / 人员经费, 日常公用支出 / 公用经费
    ("公用支出", "公用费"),
    ("人员支出", "人员费"),
    ("经费", "费"),
    ("费用", "费"),
)
# Fund scopes, canonical name first; the pattern also eats a following 财政拨款 / 拨款.
FUNDS: tuple[tuple[str, str], ...] = (
    ("一般公共预算", r"一般公共预算(?:财政拨款|拨款)?"),
    ("政府性基金预算", r"政府性基金预算(?:财政拨款|拨款)?"),
    ("国有资本经营预算", r"国有资本经营预算(?:财政拨款|拨款)?"),
    ("财政拨款", r"财政拨款"),
)
_FUND_RE = [(name, re.compile(pattern)) for name, pattern in FUNDS]
_FUND_NAMES = {name for name, _ in FUNDS}
# Words that say when or whose, not what: "本年收入合计" and "收入合计" are the same figure.
_NOISE = re.compile(r"本年度|本年|当年|本部门|本单位|部门")
# 预算/决算 as words (not inside a fund name): a role (budget vs actual), decided elsewhere.
_ROLE_WORD = re.compile(r"(?<!一般公共)(?<!政府性基金)(?<!国有资本经营)(?:预算数|决算数|预算|决算)")
_MARKS = re.compile(r"[(（](?:类|款|项)[)）]")
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))+"
)
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_TRAILING_TOTAL = re.compile(r"(?:合计|小计|总额)+$")
# "机关运行经费支出" is the 机关运行经费, "公务接待费支出" the 公务接待费 (but 养老保险缴费支出 is a subject)
_SPENT = re.compile(r"(运行|购置|接待|三公|人员|公用|\(境\))费支出$")
_TABLE_SUFFIX = re.compile(r"(?:情况表|决算总表|决算表|预算表|总表|表)$")
_PARENS = re.compile(r"\([^)]*\)")
_GENERIC_COLUMN = {"", "金额", "合计", "小计"}
_SIDES = {"收入", "支出"}
_CARRIED = re.compile(r"结转|结余")


@lru_cache(maxsize=1 << 16)  # a document asks for the same labels thousands of times
def fold(text: str) -> str:
    """Width, quotes, whitespace, 类/款/项 marks, leading enumerators and synonyms folded."""
    t = unicodedata.normalize("NFKC", text)
    t = _QUOTES.sub("", re.sub(r"\s+", "", t))
    t = _ENUM.sub("", t)
    t = _MARKS.sub("", t)
    for old, new in ALIASES:
        t = t.replace(old, new)
    for name, pattern in _FUND_RE:
        t = pattern.sub(name, t)
    return t


def name(text: str) -> str:
    """The comparable name of a subject, a row label or a header part (scope still inside)."""
    t = _ROLE_WORD.sub("", _NOISE.sub("", fold(text))).removeprefix("的")
    return _SPENT.sub(r"\1费", _TRAILING_TOTAL.sub("", t))


def split_scope(n: str) -> tuple[str, str]:
    """("一般公共预算", "基本支出") from "一般公共预算基本支出"; ("", n) when no fund leads."""
    for fund in sorted(_FUND_NAMES, key=len, reverse=True):
        if n.startswith(fund):
            return fund, n[len(fund) :]
    return "", n


def path_steps(subject: str) -> list[str]:
    """The 类/款/项 steps a subject names, top first; [] when it names fewer than two."""
    t = unicodedata.normalize("NFKC", subject)
    parts = [p for p in re.split(r"\((?:类|款|项)\)", t)]
    steps: list[str] = []
    for part in parts:
        if part in ("支出", "") and steps:  # "一般公共服务（类）支出": the mark sat inside the name
            steps[-1] += part
        elif part:
            steps.append(name(part))
    return steps if len(steps) >= 2 else []


@dataclass(frozen=True)
class Cell:
    """A printed table cell a narrative figure may describe."""

    view: TableView
    line: Line
    column: str
    scope: str
    budget: bool  # a budget column (预算数) of a final-accounts table

    @property
    def value(self) -> str:
        return self.line.values[self.column].value

    def wan(self) -> str:
        """The value in 万元 as printed text, precision kept (元 tables shifted by four places)."""
        text = self.value
        if self.view.unit != "元":
            return text
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, _, frac = digits.replace(",", "").partition(".")
        whole = whole.rjust(5, "0")
        return f"{sign}{whole[:-4].lstrip('0') or '0'}.{whole[-4:]}{frac}"

    def ref(self) -> CellRef:
        return CellRef.of(self.line.values[self.column])

    def describe(self) -> str:
        return f"{self.view.name} {self.line.key} / {self.column} = {self.value}"


@dataclass
class Index:
    """Every numeric cell of the recognised tables under each of its names."""

    final: bool  # final accounts: 预算数 columns hold budgets, the others actuals
    by_name: dict[str, list[Cell]] = field(default_factory=dict)
    coded: list[tuple[str, Cell]] = field(default_factory=list)  # leaf name → cell of a coded row

    def add(self, names: set[str], cell: Cell) -> None:
        for n in names:
            self.by_name.setdefault(n, []).append(cell)

    def candidates(self, subject: str, budget: bool = False) -> list[Cell]:
        """Cells the subject may describe: actual amounts, or budgets (年初预算…) when ``budget``."""
        steps = path_steps(subject)
        found = self._by_path(steps) if steps else self._by_name(name(subject))
        return [c for c in unique(found) if not self.final or c.budget == budget]

    def _by_name(self, n: str) -> list[Cell]:
        if not n:
            return []
        # the whole name (a row "一般公共预算财政拨款收入" carries its fund itself), or the name without
        # its fund in a table (or column) of that fund
        scope, rest = split_scope(n)
        out = list(self.by_name.get(n, []))
        if scope and rest:
            out += [c for c in self.by_name.get(rest, []) if c.scope == scope]
        return out

    def _by_path(self, steps: list[str]) -> list[Cell]:
        leaf, above = steps[-1], steps[:-1]
        return [c for n, c in self.coded if n == leaf and _ancestors_match(c, above)]


def unique(cells: list[Cell]) -> list[Cell]:
    """The cells without repeats (a cell found under two of its names)."""
    seen: set[tuple[int, int, int, str]] = set()
    out = []
    for c in cells:
        key = (c.view.section, c.line.index, c.line.group, c.column)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _ancestors_match(cell: Cell, above: list[str]) -> bool:
    """Every earlier step names a row whose code is a prefix of the cell's code."""
    code = cell.line.code or ""
    names = {name(line.bare) for line in cell.view.lines if line.code and code.startswith(line.code)}
    return all(step in names for step in above)


# ------------------------------------------------------------------------------------ table side


def table_scope_and_name(view: TableView) -> tuple[str, str]:
    """("一般公共预算", "支出") for 一般公共预算财政拨款支出决算表; ("", "收支") for 收入支出决算总表."""
    title = _PARENS.sub("", unicodedata.normalize("NFKC", view.name))
    n = name(_TABLE_SUFFIX.sub("", title))
    return split_scope(n)


_last: tuple[list[TableView], bool, Index] | None = None


def build_index(views: list[TableView], final: bool) -> Index:
    """The cells narrative figures may restate: those of the standard tables (a table the catalog does
    not know may be about one project or unit, not the department the narrative speaks of). The last
    index is kept for the same views (check/view.py keeps them): the checks and the figures share it."""
    global _last
    if _last is not None and _last[0] is views and _last[1] == final:
        return _last[2]
    index = _index(views, final)
    _last = (views, final, index)
    return index


def _index(views: list[TableView], final: bool) -> Index:
    index = Index(final=final)
    for view in (v for v in views if v.kind):
        scope, whole = table_scope_and_name(view)
        for line in view.lines:
            for column in view.columns:
                if column.percent or column.path not in line.values:
                    continue
                cell_scope, col_name, budget = _column(column, whole)
                cell = Cell(view, line, column.path, cell_scope or scope, final and budget)
                only = len(view.amount_columns(column.group)) == 1
                names = _cell_names(view, line, col_name, whole, only)
                if cell_scope and not col_name and not only:
                    # a fund's column (本年收入.财政拨款.一般公共预算拨款) holds that fund's share of the row
                    names = {cell_scope + n for n in names if not n.startswith(cell_scope)} | {
                        n for n in names if n.startswith(cell_scope)
                    }
                index.add(names, cell)
                if line.code and (not col_name or only):
                    index.coded.append((name(line.bare), cell))
    return index


def _column(column: ColumnView, whole: str) -> tuple[str, str, bool]:
    """(fund scope, name, is a budget column) of a header path; the name is "" for a total column."""
    parts = [unicodedata.normalize("NFKC", p) for p in column.parts]
    budget = any("预算" in word for p in parts for word in _ROLE_WORD.findall(fold(p)))
    if parts and parts[0] in _SIDES and len(parts) > 1:
        parts = parts[1:]
    names = [name(p) for p in parts]
    scope = next((n for n in names if n in _FUND_NAMES), "")
    named = [n for n in names if n not in _GENERIC_COLUMN and n not in _FUND_NAMES]
    col = named[-1] if named else ""
    return scope, ("" if col == whole else col), budget


def _row_names(view: TableView, line: Line, whole: str) -> set[str]:
    if "." in line.key and not line.code:
        return {name(line.key.replace(".", ""))}  # a repeated label, qualified by its parent row
    if line.parent and _CARRIED.search(line.parent) and not line.code:
        # "上年结转 / 一般公共预算拨款": the carry-over of that fund, not the fund's whole figure
        return {name(line.parent + (line.bare or line.key))}
    n = name(line.bare or line.key)
    if line.is_total and n in ("", "合计"):
        return {whole}
    if n.endswith("总计"):
        return {n, "收支总计", "总计"}
    return {n}


def _cell_names(view: TableView, line: Line, col: str, whole: str, only: bool) -> set[str]:
    rows = _row_names(view, line, whole)
    if not col:
        return rows
    if line.is_total:
        return {col} | {r + col for r in rows if r not in ("", whole, col)}
    if only:  # the group's single amount column (人员经费 | 公用经费 side by side): the row is the figure
        return rows
    return {r + col for r in rows}
