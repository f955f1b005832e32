"""Column identities inside one table: in every row, a total column equals its part columns.

Two sources, the printed one first: the formulas of the notes ("1栏各行=(2+3+4)栏各行"), then the
header itself, where a column headed 合计 / 小计 / …合计 sums its sibling columns (本年收入.小计 =
Σ 本年收入.*; 合计.决算数 = Σ X.决算数 over the other top-level items, a nested item by its 小计).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from budgetlens.check.findings import Finding
from budgetlens.check.formulas import HeaderFormula, header_formulas, parse_formulas
from budgetlens.check.identity import Identity, Ref, ratio_finding
from budgetlens.check.interval import ratio_agrees
from budgetlens.check.view import PARTIAL, ColumnView, TableView

_TOTAL = re.compile(r"(合计|小计|总计)$")
_QUALIFIED = re.compile(r"..(合计|小计|总计)$")  # a total of something named: 经费合计, not plain 合计


# A fund's flow: 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出 (each column found by its header).
_FLOW = (r"^年末结转", r"^年初结转", r"^本年收入(\.(小计|合计))?$", r"^本年支出(\.(小计|合计))?$")


def column_identities(view: TableView) -> Iterator[Identity]:
    yield from _from_notes(view)
    yield from _from_marks(view)
    for group in view.groups():
        columns = view.amount_columns(group)
        for total, parts in _from_header(columns):
            why = f"header {total.parts[-1] if _TOTAL.search(total.parts[-1]) else total.path}"
            # A sibling block with columns of its own ('2026年政府采购项目': 小计 | 其中…) may be a memo
            # of the total, not a part of it: the total holds if it sums with or without it.
            blocks = [p for p in parts if len(p.parts) > len(total.parts)]
            readings = [[q for q in parts if q is not p] for p in blocks]
            if _QUALIFIED.search(total.parts[-1]):
                # '“三公”经费合计' sums the 三公 items printed after it, not 会议费 and 培训费 beside them
                readings += [parts[:n] for n in range(2, len(parts))]
            yield from _rows(view, group, total, [(1, p) for p in parts], "sum.columns", why, readings)
        flow = [[c for c in columns if re.search(pattern, c.path)] for pattern in _FLOW]
        if all(len(found) == 1 for found in flow):
            end, start, income, spent = (found[0] for found in flow)
            signed = [(1, start), (1, income), (-1, spent)]
            yield from _rows(view, group, end, signed, "sum.columns", "年末 = 年初 + 本年收入 − 本年支出")


def _rows(
    view: TableView,
    group: int,
    total: ColumnView,
    parts: list[tuple[int, ColumnView]],
    check: str,
    why: str,
    readings: list[list[ColumnView]] = (),  # type: ignore[assignment]
) -> Iterator[Identity]:
    """total = Σ parts in every row; ``readings``: other sets of parts the layout allows."""
    for line in view.in_group(group):
        terms = tuple((s, Ref(view, line, c.path)) for s, c in parts)
        others = tuple(tuple((1, Ref(view, line, c.path)) for c in r) for r in readings)
        yield Identity(check, "sum", Ref(view, line, total.path), terms, why, others)


def _from_notes(view: TableView) -> Iterator[Identity]:
    by_number = {c.number: c for c in view.columns if c.number}
    for formula in parse_formulas(view.notes):
        if formula.axis != "column":
            continue
        cols = [by_number.get(str(n)) for n in (formula.target, *formula.numbers)]
        if any(c is None for c in cols) or len({c.group for c in cols if c}) != 1:
            continue  # refers to a column this table does not print
        total = by_number[str(formula.target)]
        parts = [(s, by_number[str(n)]) for s, n in formula.terms]
        yield from _rows(view, total.group, total, parts, "sum.note", f"the note's {formula.text}")


def _from_header(columns: list[ColumnView]) -> Iterator[tuple[ColumnView, list[ColumnView]]]:
    by_parts = {c.parts: c for c in columns}
    for total in columns:
        for level, word in enumerate(total.parts):
            if not _TOTAL.search(word):
                continue
            prefix, rest = total.parts[:level], total.parts[level + 1 :]
            siblings = dict.fromkeys(
                c.parts[level]
                for c in columns
                if len(c.parts) > level
                and c.parts[:level] == prefix
                and c.parts[level] != word
                and not PARTIAL.match(c.parts[level])
            )
            parts = [p for x in siblings for p in _part(by_parts, columns, (*prefix, x), rest)]
            if len(parts) >= 2:
                yield total, parts
            break


def _part(
    by_parts: dict[tuple[str, ...], ColumnView],
    columns: list[ColumnView],
    head: tuple[str, ...],
    rest: tuple[str, ...],
) -> list[ColumnView]:
    """The column(s) standing for item ``head`` at the total's remaining levels ``rest``."""
    if (*head, *rest) in by_parts:
        return [by_parts[(*head, *rest)]]
    for c in columns:
        if len(c.parts) == len(head) + 1 + len(rest) and c.parts[: len(head)] == head:  # noqa: SIM102
            if _TOTAL.search(c.parts[len(head)]) and c.parts[len(head) + 1 :] == rest:
                return [c]  # the item's own 小计
    n = len(rest)
    return [c for c in columns if c.parts[: len(head)] == head and (not n or c.parts[-n:] == rest)]


def _from_marks(view: TableView) -> Iterator[Identity]:
    """Sums a header prints over marked columns ('小计③=①+②', '⑥=③-④'), in every row."""
    for formula in header_formulas([c.path for c in view.columns]):
        if formula.op != "sum":
            continue
        for line in view.lines:
            terms = tuple((sign, Ref(view, line, path)) for sign, path in formula.terms)
            yield Identity(
                "sum.columns", "sum", Ref(view, line, formula.target), terms, f"header {formula.text}"
            )


_RATE = re.compile(r"执行率$")
_DONE = re.compile(r"执行数")


def ratio_findings(view: TableView) -> Iterator[Finding]:
    """Rates a header defines ('⑤=④/③', '执行率（B/A）'; a plain 执行率 is 执行数 / 预算数), in every row."""
    formulas = [f for f in header_formulas([c.path for c in view.columns]) if f.op == "ratio"]
    if not formulas:
        formulas = _named_rates(view)
    for formula in formulas:
        (_, numerator), (_, denominator) = formula.terms
        for line in view.lines:
            rate, num, den = (Ref(view, line, p) for p in (formula.target, numerator, denominator))
            if rate.blank or den.blank:
                continue
            verdict = ratio_agrees(num.text or "0", den.text, rate.text, amount_places=view.places)
            if verdict.ok or verdict.zero_denominator:
                continue
            if Decimal(rate.text) == 0:  # '0.0%' beside '—' scores: a rate the system left uncomputed
                verdict = replace(verdict, severity="info", reason="printed 0: not computed for this row")
            yield ratio_finding("percent.formula", f"{line.key}: {formula.target}", rate, num, den, verdict)


def _named_rates(view: TableView) -> list[HeaderFormula]:
    paths = [c.path for c in view.columns]
    rates = [p for p in paths if _RATE.search(p)]
    done = [p for p in paths if _DONE.search(p)]
    budget = next(
        (p for pattern in ("全年预算数|调整后预算数", "预算数") for p in paths if re.search(pattern, p)), None
    )
    if len(rates) != 1 or len(done) != 1 or budget is None:
        return []
    return [HeaderFormula(rates[0], "ratio", ((1, done[0]), (1, budget)), "执行率 = 执行数 / 预算数")]
