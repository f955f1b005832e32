"""A 决算's budget columns against the 预算 document of its year (same department).

- 三公: the 决算's 预算数 block (合计, 因公出国（境）费, 公务用车购置及运行费 and its parts, 公务接待费)
  against the 预算's 三公 table, whichever way each prints them (items as columns or as rows).
- 年初预算 columns of coded tables (一般公共预算财政拨款支出决算表 in some years): each subject
  code's 年初预算 against the 预算 table of the same kind, its total column (or the column of the
  same name).

A 决算's 预算数 may be the year's adjusted budget rather than the 年初预算 the 预算 document printed:
where the column does not say 年初, a disagreement is at most a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgetlens.check.across import AcrossCell, AcrossFinding, Doc, department_key, graded
from budgetlens.check.interval import equal_agrees

_NOT_THIS_YEAR = re.compile(r"上年|上一年|增减|增长|比|%|％|率|决算")
_GENERIC = {"", "金额", "合计", "小计", "总计", "预算数", "预算", "本年预算", "年初预算数", "年初预算"}


@dataclass(frozen=True)
class Fact:
    entity: str
    table: str
    row: str
    column: str
    value: str
    unit: str
    page: int

    def cell(self, doc: str) -> AcrossCell:
        return AcrossCell(
            doc=doc, entity=self.entity, table=self.table, row=self.row, column=self.column,
            value=self.value, page=self.page,
        )  # fmt: skip

    @property
    def parts(self) -> list[str]:
        return [unicodedata.normalize("NFKC", p) for p in self.column.split(".")]

    def wan(self) -> str:
        """The value in 万元, printed precision kept (元 shifted by four places, 亿元 by four back)."""
        return to_wan(self.value, self.unit)


def to_wan(value: str, unit: str) -> str:
    """`value` printed in `unit`, in 万元 with the digits it was printed with ("1800" 元 → "0.1800")."""
    shift = {"元": -4, "千元": -1, "亿元": 4}.get(unit)
    if shift is None:
        return value
    try:
        return format(Decimal(value).scaleb(shift), "f")
    except InvalidOperation:
        return value


Facts = dict[str, list[Fact]]  # table kind → the document's facts in tables of that kind


def budget_columns(
    final: Doc, budget: Doc, final_facts: Facts, budget_facts: Facts
) -> Iterator[AcrossFinding]:
    yield from _three_public(final, budget, final_facts, budget_facts)
    yield from _coded(final, budget, final_facts, budget_facts)


# ------------------------------------------------------------------------------------------ 三公


def three_item(text: str) -> str | None:
    """Which 三公 figure a header or row label names."""
    t = unicodedata.normalize("NFKC", text)
    if "接待" in t:
        return "公务接待费"
    if "出国" in t or "出境" in t:
        return "因公出国（境）费"
    if "购置" in t and "运行" in t:
        return "公务用车购置及运行费"
    if "购置" in t:
        return "公务用车购置费"
    if "运行" in t:
        return "公务用车运行费"
    if "三公" in t or t in ("合计", "总计"):
        return "合计"
    return None


def _item(fact: Fact) -> str | None:
    """A row naming an item decides; else the column's parts, the leaf first."""
    by_row = three_item(fact.row)
    if by_row and by_row != "合计":
        return by_row
    return next((i for p in reversed(fact.parts) if (i := three_item(p))), by_row)


def _three_public(
    final: Doc, budget: Doc, final_facts: Facts, budget_facts: Facts
) -> Iterator[AcrossFinding]:
    budgeted = defaultdict(list)
    for f in final_facts.get("final.three_public", []):
        if any("预算" in p for p in f.parts) and not any("决算" in p for p in f.parts):
            budgeted[(department_key(f.entity), _item(f))].append(f)
    planned = defaultdict(list)
    for f in budget_facts.get("budget.three_public", []):
        if not _NOT_THIS_YEAR.search(f.column):
            planned[(department_key(f.entity), _item(f))].append(f)
    for key, facts in sorted(budgeted.items(), key=lambda kv: str(kv[0])):
        other = _one(planned.get(key, []))
        if key[1] is None or other is None or len(facts) != 1:
            continue
        yield from _compare(final, budget, facts[0], other, f"“三公”经费 {key[1]}")


def _one(candidates: list[Fact]) -> Fact | None:
    """The budget's figure: the only one, the total column's, or one value printed alike."""
    if len(candidates) > 1:
        totals = [f for f in candidates if any(p in ("合计", "小计", "总计") for p in f.parts)]
        candidates = totals or candidates
    if len({f.wan() for f in candidates}) == 1:
        return candidates[0]
    return None


# ------------------------------------------------------------------------------------- coded rows


def _coded(final: Doc, budget: Doc, final_facts: Facts, budget_facts: Facts) -> Iterator[AcrossFinding]:
    for kind, facts in sorted(final_facts.items()):
        if kind == "final.three_public" or not kind.startswith("final."):
            continue
        by_code = _budget_rows(budget_facts.get("budget." + kind.removeprefix("final."), []))
        for f in facts:
            if not f.row.isdigit() or not any("年初预算" in p for p in f.parts):
                continue
            leaf = _leaf(f)
            other = _one(by_code.get((department_key(f.entity), f.row, leaf), []))
            if other is not None:
                yield from _compare(final, budget, f, other, f"{f.row} {leaf}".strip())


def _budget_rows(facts: list[Fact]) -> dict[tuple[str, str, str], list[Fact]]:
    rows: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.row.isdigit() and not _NOT_THIS_YEAR.search(f.column):
            rows[(department_key(f.entity), f.row, _leaf(f))].append(f)
    return rows


def _leaf(f: Fact) -> str:
    """The column's own name without budget words: "" for a total."""
    named = [p for p in f.parts if p not in _GENERIC and "预算" not in p and p not in ("收入", "支出")]
    return named[-1] if named else ""


# ------------------------------------------------------------------------------------- judging


def _compare(final: Doc, budget: Doc, f: Fact, b: Fact, what: str) -> Iterator[AcrossFinding]:
    verdict = equal_agrees(f.wan(), b.wan())
    if verdict.ok:
        return
    initial = any("年初" in p for p in f.parts)
    severity = verdict.severity if initial or verdict.severity != "error" else "warning"
    maybe = "" if initial else " (a 决算's 预算数 may be the adjusted full-year budget)"
    yield AcrossFinding(
        doc=final.doc,
        against=budget.doc,
        check="across.budget",
        severity=graded(severity),
        message=f"{what}: {final} prints {f.value} {f.unit} as its budget ({f.column}), {budget} "
        f"budgets {b.value} {b.unit}; {verdict.reason}{maybe}",
        cells=[f.cell(final.doc), b.cell(budget.doc)],
        expected=b.wan(),
        actual=f.wan(),
        tolerance=verdict.tolerance,
    )
