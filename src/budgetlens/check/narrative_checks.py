"""Checks on the narrative (情况说明): its rates, its lists, its restatements, and the tables it describes.

Every narrative section is read by the deterministic reader (extract/narrative.py). Then:

- ``narrative.execution`` / ``narrative.change`` / ``narrative.share``: a printed rate
  against the amounts printed with it — completion rate = actual / budget, rate of change = change /
  prior (prior = current − change), share = amount / base (the base printed in the same section, the
  list's total, or the table total the base names). Interval arithmetic decides (check/interval.py).
- ``narrative.zero_denominator`` (info): a rate over a budget or prior year of 0 is undefined; said so,
  with the printed amounts the rate does match, if any ("95.89% is 307.82 / 321.02, the 全年预算").
- ``narrative.list``: a list marked 合计/分别/共计 must add up to its total; a "其中" list may be partial
  and only must not exceed it.
- ``narrative.restated``: two year-on-year statements with the same current amount and the same rate but
  different changes (Jianghan: 收、支总计 −212.28 vs 财政拨款收、支总计 −212.30, both 504.77 and −29.6%).
- ``narrative.table``: an amount against the table cells its subject names (check/narrative_links.py).
  It agrees when it agrees with ANY candidate. Source "document" when the candidates print one value,
  "unknown" when they differ. A link by name alone is at most a warning; one through the 类/款/项 codes
  the subject spells out, to a single value, carries the verdict's own severity.
- ``narrative.missing_number`` (warning): a unit printed without its number ("支出决算为 万元").

All are of kind "narrative" (the table checks' "percent" findings are about table columns).
Sentences the reader could not place are not guessed at: extract/fill.py sends them to the model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budgetlens.check.findings import CellRef, Finding, Severity, TextRef
from budgetlens.check.interval import Verdict, equal_agrees, ratio_agrees, sum_agrees
from budgetlens.check.narrative_links import Cell, Index, build_index, name, path_steps
from budgetlens.check.view import TableView
from budgetlens.chunk.text import squeeze
from budgetlens.extract.narrative import NarrativeFact, join_paragraphs, read_facts
from budgetlens.load.models import Box
from budgetlens.result import Result

_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Read:
    """A narrative fact and where it was printed."""

    fact: NarrativeFact
    section: str
    key: int  # the section's index: list ids are numbered per section
    page: int
    box: Box | None

    def ref(self, value: str = "") -> TextRef:
        return TextRef(
            section=self.section, text=self.fact.sentence, value=value, page=self.page, box=self.box
        )

    @property
    def where(self) -> str:
        return f"{self.section} (p.{self.page})"


@dataclass
class Claim:
    """An amount the narrative states about a subject, and the table cells it may describe."""

    read: Read
    subject: str
    value: str  # 万元
    budget: bool  # a budget (年初预算…) rather than an actual amount
    cells: list[Cell] = field(default_factory=list)


def narrative_findings(result: Result, views: list[TableView]) -> Iterator[Finding]:
    reads = read_narrative(result)
    index = build_index(views, final=result.document.doc_kind == "final")
    yield from missing_numbers(reads)
    yield from rates(reads, index)
    yield from list_sums(reads)
    yield from restated_changes(reads)
    yield from table_findings(claims(reads, index))


def read_narrative(result: Result) -> list[Read]:
    """Every fact of every narrative section, with the page and box of the paragraph it starts in."""
    out: list[Read] = []
    for n, section in enumerate(result.sections):
        if section.kind != "narrative" or not section.paragraphs:
            continue
        text, starts = join_paragraphs([p.text for p in section.paragraphs])
        for fact in _with_model_figures(read_facts(text), _figures(section.data)):
            p = section.paragraphs[max(bisect_right(starts, fact.span[0]) - 1, 0)]
            out.append(Read(fact, section.name, n, p.page, p.box))
    return out


def _figures(data: dict[str, Any] | None) -> list[NarrativeFact]:
    """The figures the model read for a section (extract/model_fill.py), if it was asked."""
    return [NarrativeFact.model_validate(f) for f in (data or {}).get("figures") or []]


def _with_model_figures(read: list[NarrativeFact], figures: list[NarrativeFact]) -> list[NarrativeFact]:
    """The reader's facts, with the model's figures in place of the sentences it could not place."""
    covered = {f.sentence for f in figures}
    kept = [f for f in read if not (f.kind == "unparsed" and f.sentence in covered)]
    return sorted([*kept, *figures], key=lambda f: f.span)


# ------------------------------------------------------------------------------------ missing numbers


def missing_numbers(reads: list[Read]) -> Iterator[Finding]:
    for r in (r for r in reads if r.fact.kind == "missing_number"):
        f = r.fact
        yield Finding(
            check="narrative.missing_number",
            severity="warning",
            kind="narrative",
            message=f"{r.where}: “{f.sentence}” prints the unit {f.unit} for {f.subject or 'a figure'} "
            "without the number",
            cells=[r.ref()],
            expected=f"a number before {f.unit}",
            actual="(missing)",
        )


# ------------------------------------------------------------------------------------ rates


def rates(reads: list[Read], index: Index) -> Iterator[Finding]:
    for r in reads:
        f = r.fact
        if f.percent is None:
            continue
        if f.kind == "execution" and f.amount is not None:
            yield from _execution(r, reads)
        elif f.kind == "change" and f.change is not None and f.amount is not None:
            yield from _change(r, reads)
        elif f.kind == "share" and f.amount is not None:
            yield from _share(r, reads, index)


def _execution(r: Read, reads: list[Read]) -> Iterator[Finding]:
    f = r.fact
    assert f.amount is not None and f.percent is not None
    budget = f.budget or ""
    what = f"{f.subject or '支出'} completion rate (actual {f.amount} / budget {budget or '(not printed)'})"
    verdict = ratio_agrees(f.amount, budget, f.percent)
    yield from _rate(r, reads, "narrative.execution", what, f.amount, budget, verdict, [])


def _change(r: Read, reads: list[Read]) -> Iterator[Finding]:
    f = r.fact
    assert f.amount is not None and f.change is not None and f.percent is not None
    prior = f.prior or str(Decimal(f.amount) - Decimal(f.change))
    what = f"{f.subject} rate of change (change {f.change} / prior year {prior} = {f.amount} − ({f.change}))"
    verdict = ratio_agrees(f.change, prior, f.percent)
    yield from _rate(r, reads, "narrative.change", what, f.change, prior, verdict, [])


def _share(r: Read, reads: list[Read], index: Index) -> Iterator[Finding]:
    f = r.fact
    assert f.amount is not None and f.percent is not None
    bases = _printed_bases(r, reads, index) or _shared_base(r, reads)
    if not bases:
        return  # what the share is of is not printed nearby and names no table total
    verdicts = [(ratio_agrees(f.amount, value, f.percent), value, refs) for value, refs in bases]
    if any(v.ok for v, _, _ in verdicts):
        return
    if any(ratio_agrees(f.amount, value, f.percent).ok for value, _ in _shared_base(r, reads)):
        return  # the other reading the text allows: a share of the shares' own sum
    verdict, value, refs = min(verdicts, key=lambda x: x[0].off_units or 0)
    if len(bases) > 1 and not verdict.zero_denominator:
        verdict = _capped(verdict)
    what = f"{f.subject} share ({f.amount} / {f.base or 'the total'} {value})"
    source = "unknown" if len(bases) > 1 else "document"
    yield from _rate(r, reads, "narrative.share", what, f.amount, value, verdict, refs, source)


def _shared_base(r: Read, reads: list[Read]) -> list[tuple[str, list[CellRef | TextRef]]]:
    """Shares of one base stated side by side that add up to 100%: whatever the text calls the base,
    they are shares of their own sum (基本支出 66.54% and 项目支出 33.46% of 基本 + 项目)."""
    f = r.fact
    peers = [o for o in reads if o.key == r.key and o.fact.kind == "share" and o.fact.base == f.base]
    if len(peers) < 2 or any(o.fact.amount is None or o.fact.percent is None for o in peers):
        return []
    percents = sum((Decimal(o.fact.percent or 0) for o in peers), Decimal(0))
    if abs(percents - 100) > Decimal("0.1") * len(peers):
        return []
    whole = sum((Decimal(o.fact.amount or 0) for o in peers), Decimal(0))
    return [(str(whole), [o.ref(o.fact.amount_printed or "") for o in peers])]


def _printed_bases(r: Read, reads: list[Read], index: Index) -> list[tuple[str, list[CellRef | TextRef]]]:
    """What a share is of, as the text names it: (value, where printed), one per distinct value."""
    f = r.fact
    if f.base is None:
        total = _list_total(r, reads)
        if total is None or total.fact.amount is None:
            return []
        return [(total.fact.amount, [total.ref(total.fact.amount_printed or "")])]
    wanted = name(f.base)
    for other in reversed(_before(r, reads)):
        o = other.fact
        if o.amount is not None and o.subject and name(o.subject) == wanted:
            return [(o.amount, [other.ref(o.amount_printed or "")])]
    values: dict[Decimal, tuple[str, list[CellRef | TextRef]]] = {}
    for cell in index.candidates(f.base):
        values.setdefault(Decimal(cell.wan()), (cell.wan(), []))[1].append(cell.ref())
    return list(values.values())


def _list_total(r: Read, reads: list[Read]) -> Read | None:
    if r.fact.list_id is None or r.fact.list_role != "item":
        return None
    for other in reads:
        o = other.fact
        if other.key == r.key and o.list_id == r.fact.list_id and o.list_role == "total" and o.amount:
            return other
    return None


def _before(r: Read, reads: list[Read]) -> list[Read]:
    """The facts of r's section printed before it."""
    return [o for o in reads if o.key == r.key and o.fact.span[0] < r.fact.span[0]]


def _rate(
    r: Read,
    reads: list[Read],
    check: str,
    what: str,
    numerator: str,
    denominator: str,
    verdict: Verdict,
    refs: list[CellRef | TextRef],
    source: str = "document",
) -> Iterator[Finding]:
    pct = f"{r.fact.percent}%"
    if verdict.zero_denominator:
        yield _zero(r, reads, what, numerator, denominator)
    elif not verdict.ok:
        yield Finding(
            check=check,
            severity=verdict.severity,  # type: ignore[arg-type]
            kind="narrative",
            message=f"{r.where}: {what} printed {pct}, but the amounts give {verdict.expected}% "
            f"({verdict.reason})",
            cells=[r.ref(pct), *refs],
            expected=f"{verdict.expected}%",
            actual=pct,
            tolerance=verdict.tolerance,
            source=source,  # type: ignore[arg-type]
        )


def _zero(r: Read, reads: list[Read], what: str, numerator: str, denominator: str) -> Finding:
    pct = f"{r.fact.percent}%"
    matches = _matching(r, reads, numerator, denominator)
    hint = f"; {pct} is {' or '.join(matches)}, printed in the same sentence" if matches else ""
    return Finding(
        check="narrative.zero_denominator",
        severity="info",
        kind="narrative",
        message=f"{r.where}: {what} printed {pct}, but a rate over {denominator or 'nothing'} is "
        f"undefined{hint}",
        cells=[r.ref(pct)],
        expected="undefined (denominator 0 or not printed)",
        actual=pct,
        tolerance="n/a",
    )


def _matching(r: Read, reads: list[Read], numerator: str, zero: str) -> list[str]:
    """Other amounts of the same sentence that the printed rate does match as a denominator."""
    f = r.fact
    assert f.percent is not None
    printed = dict(f.budgets)
    if f.amount is not None:
        printed["this year's amount" if f.kind == "change" else "the actual amount itself"] = f.amount
    for o in (o.fact for o in reads if o.key == r.key and o.fact.sentence == f.sentence and o != r):
        if o.amount is not None:
            printed.setdefault(o.subject or "支出决算", o.amount)
    out = []
    for label, value in printed.items():
        if value and Decimal(value) != 0 and ratio_agrees(numerator, value, f.percent).ok:
            out.append(f"{numerator} / {value} ({label})")
    return out


def _capped(verdict: Verdict) -> Verdict:
    """A link by name only cannot make an error: at most a warning."""
    if verdict.severity != "error":
        return verdict
    return Verdict(
        False,
        "warning",
        verdict.expected,
        verdict.actual,
        verdict.tolerance,
        verdict.reason,
        implied=verdict.implied,
        off_units=verdict.off_units,
    )


# ------------------------------------------------------------------------------------ lists


def list_sums(reads: list[Read]) -> Iterator[Finding]:
    lists: dict[tuple[int, int], list[Read]] = defaultdict(list)
    for r in reads:
        if r.fact.list_id is not None:
            lists[(r.key, r.fact.list_id)].append(r)
    for members in lists.values():
        total = next((m for m in members if m.fact.list_role == "total"), None)
        items = _items(members)
        if total is None or not items:
            continue
        if total.fact.amount is not None and all(i.fact.amount is not None for i in items):
            parts = [(i, i.fact.amount or "") for i in items]
            yield from _list(total, total.fact.amount, parts, "amounts")
        yield from _budget_list(total, items)


def _items(members: list[Read]) -> list[Read]:
    """The list's items, one per (subject, amount): a later sentence restating an item is no new item."""
    seen: set[tuple[str, str | None]] = set()
    out = []
    for m in members:
        f = m.fact
        if f.list_role != "item" or f.kind in ("unparsed", "missing_number"):
            continue
        key = (name(f.subject), f.amount)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _budget_list(total: Read, items: list[Read]) -> Iterator[Finding]:
    """Execution lists: the items' budgets of one kind (全年预算) against the total's budget of that kind."""
    kinds = {k for i in items for k in i.fact.budgets}
    if total.fact.kind != "execution" or len(kinds) != 1 or not all(i.fact.budgets for i in items):
        return
    kind = kinds.pop()
    budget = total.fact.budgets.get(kind)
    if budget is not None:
        yield from _list(total, budget, [(i, i.fact.budgets[kind]) for i in items], kind)


def _nested(parts: list[tuple[Read, str]]) -> list[list[tuple[Read, str]]]:
    """Readings of a list with a list inside it: items right after an item that add up to it are its
    parts ('公务用车购置及运行维护费346.67万元（购置费36万元…运行维护费310.67万元）'), not the total's."""
    out = []
    for k, (_, value) in enumerate(parts):
        for j in range(k + 2, len(parts) + 1):
            if sum_agrees(value, [v for _, v in parts[k + 1 : j]]).ok:
                out.append(parts[: k + 1] + parts[j:])
                break
    return out


def _list(total: Read, value: str, parts: list[tuple[Read, str]], what: str) -> Iterator[Finding]:
    partial = total.fact.partial is not False
    readings = [parts, *_nested(parts)]
    for reading in readings:
        verdict = sum_agrees(value, [v for _, v in reading])
        exceeds = Decimal(verdict.expected) > Decimal(value)
        if verdict.ok or (partial and not exceeds):
            return
    verdict = sum_agrees(value, [v for _, v in parts])
    shown = " + ".join(v for _, v in parts)
    if partial:
        claim = "the parts listed after 其中 may be partial, but they cannot exceed the total"
    else:
        claim = "the list is marked 合计/分别/共计, so its parts must add up to the total"
    # one figure alone already makes up the total: the others are likely not parts of it
    # (政府采购支出总额10.12，其中：服务支出10.12，授予中小企业合同金额10.12): a doubtful reading
    whole = next((r for r, v in parts if len(parts) > 1 and equal_agrees(v, value).ok), None)
    doubt = (
        f"; but {whole.fact.subject} alone makes up the total, so the list is probably not read right"
        if whole
        else ""
    )
    yield Finding(
        check="narrative.list",
        severity="info" if whole else verdict.severity,  # type: ignore[arg-type]
        kind="narrative",
        message=f"{total.where}: {total.fact.subject} {value} ({what}); its parts {shown} = "
        f"{verdict.expected}: {claim} ({verdict.reason}){doubt}"
        + (f"; {len(readings) - 1} nested reading(s) tried too" if len(readings) > 1 else ""),
        cells=[total.ref(value), *(r.ref(v) for r, v in parts)],
        expected=verdict.expected if not partial else f"≤ {value}",
        actual=value,
        tolerance=verdict.tolerance,
        source="unknown" if whole else "document",
    )


# ------------------------------------------------------------------------------------ restatements


def restated_changes(reads: list[Read]) -> Iterator[Finding]:
    """The same current amount and rate of change, stated with a different change: if the sentences
    describe one total (their equal amounts and rates suggest so), one of the changes is misprinted."""
    groups: dict[tuple[Decimal, Decimal], list[Read]] = defaultdict(list)
    for r in reads:
        f = r.fact
        if f.kind == "change" and f.amount and f.change and f.percent and Decimal(f.amount) != 0:
            groups[(Decimal(f.amount), Decimal(f.percent))].append(r)
    for group in groups.values():
        counts = Counter(Decimal(r.fact.change or "0") for r in group)
        if len(counts) < 2:
            continue
        usual = max(counts, key=lambda c: (counts[c], -_first(group, c)))
        agreeing = [r for r in group if Decimal(r.fact.change or "0") == usual]
        for r in group:
            if not equal_agrees(r.fact.change or "0", str(usual)).ok:
                yield _restated(r, agreeing)


def _first(group: list[Read], change: Decimal) -> int:
    return next(n for n, r in enumerate(group) if Decimal(r.fact.change or "0") == change)


def _restated(r: Read, agreeing: list[Read]) -> Finding:
    f, o = r.fact, agreeing[0].fact
    others = "、".join(dict.fromkeys(a.fact.subject for a in agreeing))
    return Finding(
        check="narrative.restated",
        severity="warning",
        kind="narrative",
        message=f"{r.where}: {f.subject} {f.amount} changed by {f.change} ({f.percent}%), prior year "
        f"{f.prior}; {others} — also {o.amount}, {o.percent}% — changed by {o.change}, prior year "
        f"{o.prior} ({agreeing[0].where}): if these describe the same total, one change is misprinted",
        cells=[r.ref(f.change or ""), *(a.ref(a.fact.change or "") for a in agreeing)],
        expected=o.change or "",
        actual=f.change or "",
        tolerance="±0.005 per printed number",
        source="unknown",
    )


# ------------------------------------------------------------------------------------ tables


def claims(reads: list[Read], index: Index) -> list[Claim]:
    """Every distinct (subject, amount, budget or actual) the narrative states, with its candidate
    cells; a claim without candidates is unlinked (kept for reports, never a finding)."""
    out: dict[tuple[str, Decimal, bool], Claim] = {}
    for r in reads:
        for subject, value, budget in _stated(r.fact):
            key = (name(subject), Decimal(value), budget)
            if key[0] and key not in out:
                out[key] = Claim(r, subject, value, budget, index.candidates(subject, budget))
    return list(out.values())


# Subjects that name a measure, not a row: '年初预算0万元，支出决算56万元' after a heading naming the 项
_MEASURE_ONLY = re.compile(r"^(?:本年|当年|全年|年初)?(?:支出|收入)?(?:预算|决算|执行)(?:数|金额)?$")


def _stated(f: NarrativeFact) -> Iterator[tuple[str, str, bool]]:
    if f.kind not in ("amount", "share", "change", "execution") or not f.subject:
        return
    if _MEASURE_ONLY.match(squeeze(f.subject)):
        return  # what it is the 决算 of was printed elsewhere (a heading): no row to compare with
    if f.amount is not None:
        yield f.subject, f.amount, False
    if f.kind == "execution":
        for value in f.budgets.values() or ([f.budget] if f.budget else []):
            yield f.subject, value, True


def table_findings(found: list[Claim]) -> Iterator[Finding]:
    for claim in found:
        if not claim.cells:
            continue
        verdicts = [(equal_agrees(claim.value, c.wan()), c) for c in claim.cells]
        if any(v.ok for v, _ in verdicts):
            continue
        verdict, _ = min(verdicts, key=lambda x: _RANK.get(x[0].severity, 3))
        yield _table_finding(claim, verdict)


def _table_finding(claim: Claim, verdict: Verdict) -> Finding:
    r, f = claim.read, claim.read.fact
    # One printed value among the candidates: the document disagrees with itself. Only a subject that
    # names its 类/款/项 path is linked through codes; a link by name alone is at most a warning.
    one = len({Decimal(c.wan()) for c in claim.cells}) == 1
    coded = one and bool(path_steps(claim.subject))
    severity: Severity = verdict.severity if coded else _capped(verdict).severity  # type: ignore[assignment]
    role = "budget" if claim.budget else "amount"
    printed = f.amount_printed if not claim.budget and f.amount_printed else f"{claim.value}万元"
    cells = "; ".join(c.describe() for c in claim.cells[:4]) + ("; …" if len(claim.cells) > 4 else "")
    return Finding(
        check="narrative.table",
        severity=severity,
        kind="narrative",
        message=f"{r.where}: the narrative gives {claim.subject} {role} {printed}, but the table "
        f"{'prints' if one else 'cells this may describe print'} {cells} ({verdict.reason})",
        cells=[r.ref(printed), *(c.ref() for c in claim.cells)],
        expected=claim.cells[0].wan() if one else ", ".join(sorted({c.wan() for c in claim.cells})),
        actual=claim.value,
        tolerance=verdict.tolerance,
        source="document" if one else "unknown",
    )
