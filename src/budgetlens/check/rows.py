"""Row identities inside one table, in every amount column.

- Printed row formulas ("27行 = (1+2+…+8)行", rows found by their 行次, a missing 行次 inferred
  from its neighbours).
- Subject / economic code hierarchy: 类 = Σ 款, 款 = Σ 项 (or 类 = Σ 项 when 款 rows are not
  printed); economic class 301 = Σ 301xx.
- Totals: in a table with codes, a 合计 row = Σ its top-level code rows; in a labelled table a
  合计 row = Σ the outline's top rows since the previous total, and a 总计 row adds that total.
- Outline: a row numbered 一、 with rows numbered （一） under it = Σ them.
- Shares: a 占比 column is the row's amount over the total's, in percent.
- Balance: a two-sided table's 总计 on one side = 总计 on the other.
"""

from __future__ import annotations

from collections.abc import Iterator

from budgetlens.check.findings import Finding, Kind
from budgetlens.check.formulas import parse_formulas
from budgetlens.check.identity import Identity, Ref, ratio_finding
from budgetlens.check.interval import ratio_agrees
from budgetlens.check.view import ColumnView, Line, TableView


def row_identities(view: TableView) -> Iterator[Identity]:
    yield from _from_notes(view)
    yield from _codes(view)
    for group in view.groups():
        lines = view.in_group(group)
        if any(line.code for line in lines):
            yield from _code_totals(view, group, lines)
        elif not view.indicators:  # an indicator table's rows are targets and scores, not parts
            yield from _outline_totals(view, group, lines)
        if not view.indicators:
            yield from _outline_parents(view, group, lines)
            yield from _sibling_totals(view, group, lines)
    yield from _balance(view)


def _sum(
    view: TableView, check: str, target: Line, parts: list[Line], why: str, *others: list[Line]
) -> Iterator[Identity]:
    """target = Σ parts in each amount column (a part in another group: the same position there).
    ``others``: other readings of which rows the target covers; the identity holds if any does."""
    for k, column in enumerate(view.amount_columns(target.group)):
        terms = _terms(view, target, column.path, k, parts)
        if terms is None:
            continue
        alternatives = tuple(t for t in (_terms(view, target, column.path, k, o) for o in others) if t)
        kind: Kind = "balance" if check == "balance" else "sum"
        tentative = view.nested and check == "sum.rows"
        yield Identity(check, kind, Ref(view, target, column.path), terms, why, alternatives, tentative)


def _terms(
    view: TableView, target: Line, path: str, k: int, parts: list[Line]
) -> tuple[tuple[int, Ref], ...] | None:
    terms = []
    for part in parts:
        cols = view.amount_columns(part.group)
        if part.group != target.group and k >= len(cols):
            return None
        terms.append((1, Ref(view, part, path if part.group == target.group else cols[k].path)))
    return tuple(terms) if terms else None


# -- printed formulas ------------------------------------------------------------------------------
def _ordinals(view: TableView) -> dict[int, Line]:
    out: dict[int, Line] = {}
    for group in view.groups():
        lines = view.in_group(group)
        nums = [int(x.ordinal) if x.ordinal and x.ordinal.isdigit() else None for x in lines]
        for i, line in enumerate(lines):
            n = nums[i]
            if n is None and 0 < i < len(lines) - 1:
                before, after = nums[i - 1], nums[i + 1]
                if before is not None and after == before + 2:
                    n = before + 1  # the 行次 of a total row is often left blank
            if n is not None:
                out[n] = line
    return out


def _from_notes(view: TableView) -> Iterator[Identity]:
    formulas = [f for f in parse_formulas(view.notes) if f.axis == "row"]
    if not formulas:
        return
    rows = _ordinals(view)
    for f in formulas:
        if f.target in f.numbers:
            continue  # reported by self_referencing_notes
        lines = [rows.get(n) for n in (f.target, *f.numbers)]
        if any(x is None for x in lines) or len({x.group for x in lines if x}) != 1:
            continue
        target = rows[f.target]
        for column in view.amount_columns(target.group):
            terms = tuple((s, Ref(view, rows[n], column.path)) for s, n in f.terms)
            yield Identity("sum.note", "sum", Ref(view, target, column.path), terms, f"the note's {f.text}")


def self_referencing_notes(view: TableView) -> Iterator[Finding]:
    for f in parse_formulas(view.notes):
        if f.target in f.numbers:
            yield Finding(
                check="consistency.note",
                severity="info",
                kind="consistency",
                message=f"{view.name}: note {f.text} counts its own {f.target} among its parts; not checked",
                expected="a formula over other rows",
                actual=f.text,
                source="document",
            )


# -- codes -----------------------------------------------------------------------------------------
def _codes(view: TableView) -> Iterator[Identity]:
    coded = [line for line in view.lines if line.code]
    codes = {line.code for line in coded if line.code}
    for parent in coded:
        assert parent.code is not None
        children = [c for c in coded if c.code and _parent_code(c.code, codes) == parent.code]
        if children:
            yield from _sum(view, "sum.codes", parent, children, f"code {parent.code} = Σ its sub-codes")


def _parent_code(code: str, codes: set[str]) -> str | None:
    """The nearest printed ancestor: 2060101 → 20601, or 206 when 20601 is not printed."""
    for n in (len(code) - 2, len(code) - 4):
        if n >= 3 and code[:n] in codes:
            return code[:n]
    return None


# Which economic classes a named total covers: templates differ on where 310 and 303 belong.
_NAMED_TOTALS = {
    "人员经费": [("301", "303"), ("301", "303", "310"), ("301",)],
    "公用经费": [("302",), ("302", "310")],
}


def _code_totals(view: TableView, group: int, lines: list[Line]) -> Iterator[Identity]:
    codes = {line.code for line in view.lines if line.code}
    everywhere = [x for x in view.lines if x.code and _parent_code(x.code, codes) is None]
    tops = [x for x in everywhere if x.group == group]
    for total in (x for x in lines if x.is_total and not x.is_partial):
        named = next((sets for name, sets in _NAMED_TOTALS.items() if name in total.bare), [])
        others = [[x for x in everywhere if x.code in classes] for classes in named]
        if tops:
            why = "the total of the top-level codes"
            yield from _sum(view, "sum.rows", total, tops, why, everywhere, *[o for o in others if o])


# -- labelled outlines -----------------------------------------------------------------------------
def _flat(segment: list[Line]) -> list[Line]:
    """Every row that is not a 其中 item nor a repeated label's child (keyed after the row above it,
    as no outline says where it stands): the unnumbered reading."""
    return [x for x in segment if not x.is_partial and not ("." in x.key and x.parent is None)]


def _top(segment: list[Line]) -> list[Line]:
    """The outline's top rows: those at the shallowest numbering level present."""
    rows = _flat(segment)
    levels = [x.level for x in rows if x.level is not None]
    if not levels:
        return rows
    return [x for x in rows if x.level == min(levels)]


def _leaves(segment: list[Line]) -> list[Line]:
    """The rows of the outline's deepest level: an outline's total is theirs as much as its top rows'
    (when a column holds two levels the page does not tell apart, '货物' over its units)."""
    rows = [x for x in segment if not x.is_total and not x.is_partial and x.level is not None]
    deepest = max((x.level or 0 for x in rows), default=0)
    return [x for x in rows if x.level == deepest] if deepest > 1 else []


def _outline_totals(view: TableView, group: int, lines: list[Line]) -> Iterator[Identity]:
    if _top_down(lines):
        tops = [x for x in lines[1:] if x.parent is None and not x.is_partial]
        yield from _sum(view, "sum.rows", lines[0], tops, "the rows below it")
        return
    previous: Line | None = None
    segment: list[Line] = []
    for line in lines:
        if not line.is_total or _heads(lines, line) or line.parent is not None:
            segment.append(line)  # a group's own total is checked with its group (_sibling_totals)
            continue
        parts, flat, leaves = _top(segment), _flat(segment), _leaves(segment)
        if previous is not None and line.is_grand_total and not previous.is_grand_total:
            parts, flat, leaves = [previous, *parts], [previous, *flat], [previous, *leaves] if leaves else []
        if parts:
            yield from _sum(view, "sum.rows", line, parts, "the rows it totals", flat, leaves)
        previous, segment = line, []
    head = lines[0] if lines else None
    if head is not None and head.is_total and previous is head and _top(segment):
        why = "the rows below it"  # 合计 printed first
        yield from _sum(view, "sum.rows", head, _top(segment), why, _leaves(segment))


def _top_down(lines: list[Line]) -> bool:
    """Totals printed above their parts throughout: 合计 first, then subtotals each over the rows
    that stand under it (or over none: '其他资金小计' with nothing of its own printed)."""
    subtotals = [i for i, x in enumerate(lines) if x.is_total and i > 0]
    if not lines or not lines[0].is_total or not subtotals:
        return False
    return all(i + 1 == len(lines) or lines[i + 1].is_total or _heads(lines, lines[i]) for i in subtotals)


def _heads(lines: list[Line], total: Line) -> bool:
    """A total printed above its parts ('一、本年支出合计' over the classes): the rows after it are
    deeper, and stand under it."""
    after = lines[lines.index(total) + 1 :]
    return (
        total.level is not None
        and bool(after)
        and (after[0].level or 0) > total.level
        and after[0].parent == total.bare
    )


def _sibling_totals(view: TableView, group: int, lines: list[Line]) -> Iterator[Identity]:
    """Rows standing under one outer label ('其他资金' over 小计 | 事业收入 | 其他收入 …): a total among
    them is the sum of the others."""
    runs: list[list[Line]] = []
    for line in lines:
        if runs and line.parent is not None and runs[-1][-1].parent == line.parent:
            runs[-1].append(line)
        else:
            runs.append([line])
    for run in runs:
        totals = [x for x in run if x.is_total]
        items = [x for x in run if not x.is_total and not x.is_partial]
        if len(totals) == 1 and items and run[0].parent is not None:
            yield from _sum(view, "sum.rows", totals[0], items, f"the rows under {run[0].parent}")


def _outline_parents(view: TableView, group: int, lines: list[Line]) -> Iterator[Identity]:
    for i, parent in enumerate(lines):
        if parent.level is None or (parent.is_total and not _heads(lines, parent)):
            continue
        children: list[Line] = []
        below: list[Line] = []
        for line in lines[i + 1 :]:
            if line.is_total or (line.level is not None and line.level <= parent.level):
                break
            below.append(line)
            if line.level == parent.level + 1:
                children.append(line)
        if children:
            yield from _sum(view, "sum.rows", parent, children, "its numbered sub-rows", _leaves(below))


# -- balance and shares ----------------------------------------------------------------------------
def _balance(view: TableView) -> Iterator[Identity]:
    groups = view.groups()
    if len(groups) != 2 or not view.kind or view.kind.split(".")[-1] not in ("summary", "fiscal_summary"):
        return
    left, right = ([x for x in view.in_group(g) if x.is_grand_total] for g in groups)
    if len(left) == 1 and len(right) == 1:
        yield from _sum(view, "balance", left[0], right, "the other side's 总计")


def share_findings(view: TableView) -> Iterator[Finding]:
    """占比 columns: each row's amount over its block's total row, in percent."""
    for group in view.groups():
        columns = [c for c in view.columns if c.group == group]
        for i, column in enumerate(columns):
            if not column.percent or not any(w in column.path for w in ("占比", "比重", "比例")):
                continue
            amount = next((c for c in reversed(columns[:i]) if not c.percent), None)
            if amount is not None:
                yield from _shares(view, view.in_group(group), amount, column)


def _shares(view: TableView, lines: list[Line], amount: ColumnView, share: ColumnView) -> Iterator[Finding]:
    segment: list[Line] = []
    for line in lines:
        segment.append(line)
        if not line.is_total:
            continue
        total = Ref(view, line, amount.path)
        for item in segment:
            pct, num = Ref(view, item, share.path), Ref(view, item, amount.path)
            if pct.blank or not total.text:
                continue
            verdict = ratio_agrees(num.text or "0", total.text, pct.text, amount_places=view.places)
            if not verdict.ok:
                yield ratio_finding("percent.share", f"{item.key}: {share.path}", pct, num, total, verdict)
        segment = []
