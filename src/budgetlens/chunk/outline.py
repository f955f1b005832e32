"""How the rows of a table nest, read from what the page shows.

- **Label columns.** Of a group's label columns, the one with the most distinct labels names the
  rows; columns left of it are outer labels (a group merged over its rows, '其他资金' over its 小计 and
  items; '产出指标' over its indicators), columns right of it describe the row ('分散自行组织').
- **Levels.** Outer labels make levels; so does indentation (budget systems print classes, 款 and 项
  by name, one step in each), else the enumerators (一、 / （一） / 1、 / （1）).
- **Parents.** A row's parent is the outer label it stands under, or the nearest row above at a
  shallower level: what a repeated label is prefixed with in its key.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from budgetlens.amounts import is_code
from budgetlens.chunk.models import Column, Row, Table
from budgetlens.chunk.text import squeeze, strip_enumerator

T = TypeVar("T")
TOTAL = re.compile(r"(合计|总计|小计)$|^(合计|总计|小计)")
_CN = "一二三四五六七八九十廿百"
_NUMBERED = [
    re.compile(rf"^[{_CN}]+[、.．]"),  # 一、
    re.compile(rf"^[（(][{_CN}]+[)）]"),  # （一）
    re.compile(r"^\d{1,2}[、.．](?!\d)"),  # 1、
    re.compile(r"^[（(]\d{1,2}[)）]"),  # （1）
]
_FIRST = re.compile(r"^(?:一[、.．]|[（(]一[)）]|1[、.．]|[（(]1[)）])")  # the first of a numbering
DENSE = 0.8  # share of rows an outer label column fills when it classifies every row
INDENT_STEP = 0.75  # character heights: a label starting this much further right is one level deeper


@dataclass
class RowLabel:
    """What names one printed row within one column group."""

    label: str  # as printed, enumerator kept
    code: str | None
    indent: float | None  # None: centred text, whose position says nothing of the outline
    parent: str | None = None  # the bare label of the row or outer cell it stands under
    level: int | None = None  # 1 = top of the outline; None when the page shows no outline
    ancestors: list[str] = field(default_factory=list)  # bare labels it stands under, outermost first
    centred: float | None = None  # the indentation of text as far from both rules (perhaps centred)

    @property
    def bare(self) -> str:
        return bare(self.label)

    @property
    def is_total(self) -> bool:
        return self.code is None and bool(TOTAL.search(self.bare))


def bare(label: str) -> str:
    """A label without enumerator and whitespace: '一、 一般公共服务支出' → '一般公共服务支出'."""
    return squeeze(strip_enumerator(squeeze(label)))


def numbered_level(label: str) -> int | None:
    """Outline level from the enumerator (一、=1, （一）=2, 1、=3, （1）=4); None without one."""
    text = squeeze(label)
    return next((n + 1 for n, p in enumerate(_NUMBERED) if p.match(text)), None)


def row_labels(table: Table) -> dict[tuple[int, int], RowLabel]:
    """(row index, column group) → how that row is named and where it sits in the outline."""
    return per_table(table, "labels", _row_labels)


_CACHE: OrderedDict[tuple[int, int, int, str], tuple[Table, object]] = OrderedDict()


def per_table(table: Table, what: str, compute: Callable[[Table], T]) -> T:
    """What is read of a table once and asked for by several stages in one run (facts, schema, checks).
    The entry holds the table itself, so its id cannot be another table's while cached."""
    key = (id(table), id(table.rows), len(table.rows), what)
    if key not in _CACHE:
        _CACHE[key] = (table, compute(table))
        while len(_CACHE) > 64:
            _CACHE.popitem(last=False)
    return _CACHE[key][1]  # type: ignore[return-value]


def _row_labels(table: Table) -> dict[tuple[int, int], RowLabel]:
    out: dict[tuple[int, int], RowLabel] = {}
    for group in sorted({c.group for c in table.columns}):
        cols = [c for c in table.columns if c.group == group]
        out.update({(i, group): r for i, r in _group_labels(table.rows, cols).items()})
    return out


def outer_columns(table: Table) -> int:
    """How many label columns stand left of the one naming the rows, at most, over the column groups."""
    counts = [0]
    for group in {c.group for c in table.columns}:
        labels = [c for c in table.columns if c.group == group and c.role == "label"]
        counts.append(key_column(table.rows, labels) if labels else 0)
    return max(counts)


def key_column(rows: list[Row], labels: list[Column]) -> int:
    """Position in ``labels`` of the column that names the rows: the one with the most distinct labels."""
    counts = [len({squeeze(r.text(c.index)) for r in rows} - {""}) for c in labels]
    return max(range(len(labels)), key=lambda k: (counts[k], -k))


def _group_labels(rows: list[Row], cols: list[Column]) -> dict[int, RowLabel]:
    labels = [c for c in cols if c.role == "label"]
    codes = [c for c in cols if c.role == "code"]
    k = key_column(rows, labels) if labels else 0
    outer = labels[:k]
    # a column filled on (nearly) every row classifies each row; one printed once over a block heads it
    dense = [sum(bool(r.text(c.index)) for r in rows) >= DENSE * len(rows) for c in outer]
    context: list[str | None] = [None] * len(outer)
    out: dict[int, RowLabel] = {}
    for i, row in enumerate(rows):
        code = next((row.text(c.index) for c in codes if row.text(c.index)), None)
        own = labels[k] if labels and row.text(labels[k].index) else None
        # a row without a label of its own is named by its leftmost outer label; the outer labels
        # right of that describe it ('办公设备购置费 | 办公设备购置': project, then its economic class)
        named_by = k if own else next((j for j in range(len(outer)) if row.text(outer[j].index)), None)
        for j, column in enumerate(outer[: (named_by or 0) + 1] if named_by != k else outer):
            if row.text(column.index):
                context[j:] = [row.text(column.index)] + [None] * (len(outer) - j - 1)
            elif dense[j]:
                context[j:] = [None] * (len(outer) - j)
        if named_by is None and code is None:
            continue
        cell = row.cells.get(labels[named_by].index) if named_by is not None else None
        depth = named_by if named_by is not None else len(outer)
        above = [(j, c) for j, c in enumerate(context[:depth]) if c]
        r = RowLabel(
            label=cell.text if cell else "",
            code=code,
            indent=cell.indent if cell and not cell.centred else None,
            centred=cell.indent if cell and cell.centred else None,
            parent=bare(above[-1][1]) if above else None,
            ancestors=[bare(c) for _, c in above],
        )
        if outer and named_by is not None and not code:
            # a group's 小计 stands for the group: one level up, over the group's items
            r.level = above[-1][0] + 1 if r.is_total and above and named_by == k else named_by + 1
        out[i] = r
    if outer:
        _compress(list(out.values()))
    else:
        _uncentre(list(out.values()))
        _levels(list(out.values()))
    return out


def _compress(rows: list[RowLabel]) -> None:
    """Levels as consecutive ranks (1, 2, 3 …): a child is one level under its parent."""
    rank = {level: n for n, level in enumerate(sorted({r.level for r in rows if r.level}), 1)}
    for r in rows:
        r.level = rank[r.level] if r.level else None


def _uncentre(rows: list[RowLabel]) -> None:
    """Text that looks centred but starts where other labels of the column start is indented."""
    steps = _indent_steps([r.indent for r in rows if r.indent is not None])
    for r in rows:
        if r.centred is not None and any(abs(r.centred - s) <= INDENT_STEP / 2 for s in steps):
            r.indent = r.centred


def _levels(rows: list[RowLabel]) -> None:
    """An indentation outline with numbering: a numbered row's level is its numbering's; a plain row
    stands under the nearest row above that starts further left (or under a numbered total printed
    flush with it, '一、本年支出合计' over the classes), one level deeper. A plain total ends the outline
    above it. Numbering that starts afresh under a plain row ('上年结转结余' over '一、一般公共预算拨款')
    counts from that row."""
    anchors: list[RowLabel] = []
    base: RowLabel | None = None  # the plain row a fresh numbering counts from
    previous: RowLabel | None = None
    named = _named_groups(rows)
    for r in rows:
        n = numbered_level(r.label)
        if r.code and is_code(r.code) or not r.label:
            continue
        if id(r) in named:
            head = named[id(r)]
            r.level, r.parent = (head.level or 1) + 1, head.bare
            r.ancestors = [*head.ancestors, head.bare]
            continue
        if r.is_total and n is None:
            anchors, base, previous = [], None, None
            if any(h is r for h in named.values()):
                r.level = 1  # a subtotal over the rows it names: the top of its own outline
            continue
        if n is not None:
            if previous is not None and not numbered_level(previous.label) and _FIRST.match(squeeze(r.label)):
                base = previous
            shift = base.level or 0 if base is not None else 0
            up = next((a for a in reversed(anchors) if a.level is not None and a.level < n + shift), base)
            r.level = n + shift
        else:
            up = next((a for a in reversed(anchors) if _stands_under(r, a)), None)
            r.level = up.level + 1 if up and up.level else 1
        if r.parent is None and up is not None:
            r.parent, r.ancestors = up.bare, [*up.ancestors, up.bare]
        anchors.append(r)
        previous = r


def _named_groups(rows: list[RowLabel]) -> dict[int, RowLabel]:
    """Rows printed under a subtotal that names them ('财政资金小计' over '①中央财政资金 | ②省级财政资金'):
    id of each row → the subtotal it stands under. The rows must follow it, each a kind of its subject."""
    out: dict[int, RowLabel] = {}
    for i, head in enumerate(rows):
        subject = TOTAL.sub("", head.bare)
        if not head.is_total or head.code or len(subject) < 2:
            continue
        for r in rows[i + 1 :]:
            if r.is_total or r.code or not r.bare.endswith(subject):
                break
            out[id(r)] = head
    return out


def _stands_under(row: RowLabel, above: RowLabel) -> bool:
    if row.indent is None or above.indent is None:
        return above.indent is None and numbered_level(above.label) is not None  # a centred numbered head
    if above.indent < row.indent - INDENT_STEP:
        return True
    return (
        above.is_total
        and numbered_level(above.label) is not None
        and abs(above.indent - row.indent) <= INDENT_STEP
    )


def _indent_steps(indents: list[float]) -> list[float]:
    """The distinct indentations, left to right (each the first of its cluster)."""
    steps: list[float] = []
    for x in sorted(indents):
        if not steps or x - steps[-1] > INDENT_STEP:
            steps.append(x)
    return steps
