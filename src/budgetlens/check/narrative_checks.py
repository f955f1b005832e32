"""Checks on the narrative (情况说明): its rates, its lists, its restatements, and the tables it describes.

Every figure printed in words is read by the deterministic reader (check/narrative_reads.py). Where a
sentence allows more than one reading, a check holds when ANY reading the text allows holds — the
principle the table identities follow — and a finding says which readings were tried. Then:

- ``narrative.execution`` / ``narrative.change`` / ``narrative.share``: a printed rate
  against the amounts printed with it — completion rate = actual / budget, rate of change = change /
  prior (prior = current − change, or the prior the sentence prints), share = amount / base. A share's
  base may be read as the amount printed before it under the name the share gives, the list's total,
  the table cells that name names, or — for shares side by side that add up to 100% — their own sum
  (its interval the sum of the printed amounts' intervals). Interval arithmetic decides.
- ``narrative.zero_denominator`` (info): a rate over a budget or prior year of 0 is undefined; said so,
  with the printed amounts the rate does match, if any ("95.89% is 307.82 / 321.02, the 全年预算").
- ``narrative.list``: a list marked 合计/分别/共计 must add up to its total; a "其中" list may be partial
  and only must not exceed it. Read flat, with a list nested in one of its items (items right after an
  item that add up to it; or marked by 包括 in the reader), or as the total broken down twice.
- ``narrative.restated`` / ``narrative.restated_amount`` / ``narrative.prior``: check/narrative_restated.py.
- ``narrative.table``: an amount against the table cells its subject names (check/narrative_links.py).
  It agrees when it agrees with ANY candidate (an item of a list whose total names a fund is also
  read in that fund). Source "document" when the candidates print one value, "unknown" when they
  differ. A link by name alone is at most a warning; one through the 类/款/项 codes the subject
  spells out, to a single value, carries the verdict's own severity. Figures in table cells (an
  indicator's target) restate no table row.
- ``narrative.missing_number`` (warning): a unit printed without its number ("支出决算为 万元").

All are of kind "narrative" (the table checks' "percent" findings are about table columns).
Sentences the reader could not place are not guessed at: extract/fill.py sends them to the model.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from budgetlens.check.findings import CellRef, Finding, Severity, TextRef
from budgetlens.check.interval import Interval, Verdict, equal_agrees, printed, ratio_agrees, sum_agrees
from budgetlens.check.narrative_links import Cell, Index, build_index, name, path_steps, split_scope, unique
from budgetlens.check.narrative_reads import Read, read_narrative
from budgetlens.check.narrative_restated import printed_priors, restated_amounts, restated_changes
from budgetlens.check.view import TableView
from budgetlens.chunk.text import squeeze
from budgetlens.extract.narrative import NarrativeFact
from budgetlens.result import Result

_RANK = {"info": 0, "warning": 1, "error": 2}


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
    yield from restated_amounts(reads)
    yield from printed_priors(reads)
    yield from table_findings(claims(reads, index))


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
    for n, r in enumerate(reads):
        f = r.fact
        if f.percent is None:
            continue
        if f.kind == "execution" and f.amount is not None and (f.budget is not None or f.budgets):
            yield from _execution(r, reads)
        elif f.kind == "change" and f.amount is not None and (f.change is not None or f.printed_prior):
            yield from _change(r, reads)
        elif f.kind == "share" and f.amount is not None:
            yield from _share(n, reads, index)


def _execution(r: Read, reads: list[Read]) -> Iterator[Finding]:
    f = r.fact
    assert f.amount is not None and f.percent is not None
    budget = f.budget or ""
    what = f"{f.subject or '支出'} completion rate (actual {f.amount} / budget {budget or '(not printed)'})"
    verdict = ratio_agrees(f.amount, budget, f.percent)
    yield from _rate(r, reads, "narrative.execution", what, f.amount, budget, verdict, [])


def _change(r: Read, reads: list[Read]) -> Iterator[Finding]:
    """The rate against the prior year: the change over the prior (current − change, or the prior the
    sentence prints when it prints no change: '比上年的100万元增长5%')."""
    f = r.fact
    assert f.amount is not None and f.percent is not None
    if f.change is None:
        assert f.printed_prior is not None
        change = str(Decimal(f.amount) - Decimal(f.printed_prior))
        what = f"{f.subject} rate of change ({f.amount} against the prior year's {f.printed_prior})"
        verdict = ratio_agrees(change, f.printed_prior, f.percent)
        yield from _rate(r, reads, "narrative.change", what, change, f.printed_prior, verdict, [])
        return
    prior = f.prior or str(Decimal(f.amount) - Decimal(f.change))
    what = f"{f.subject} rate of change (change {f.change} / prior year {prior} = {f.amount} − ({f.change}))"
    verdict = ratio_agrees(f.change, prior, f.percent)
    yield from _rate(r, reads, "narrative.change", what, f.change, prior, verdict, [])


# readings of a share's base
PRINTED, LIST_TOTAL, TABLE, OWN_SUM = "as printed", "the list's total", "a table cell", "the shares' own sum"


@dataclass
class Base:
    """One reading of what a share is of."""

    label: str  # PRINTED, LIST_TOTAL, TABLE or OWN_SUM
    subject: str
    value: str  # 万元
    refs: list[CellRef | TextRef]
    read: int | None = None  # the narrative fact printing it (index into the reads)
    parts: list[str] = field(default_factory=list)  # the printed amounts a derived base is the sum of

    @property
    def derived(self) -> bool:
        """Not printed: worked out (the shares' own sum)."""
        return bool(self.parts)

    def describe(self) -> str:
        return f"{self.subject} {self.value} ({self.label})"

    def holds(self, amount: str, percent: str) -> bool:
        """The share agrees with this base. A sum of printed amounts stands for the sum of their
        intervals, which the shares were worked out from before rounding (4.69 + 40.61 + 0.90 is
        46.185 … 46.215, and 40.61 / 46.21 = 87.88%)."""
        if not self.parts:
            return ratio_agrees(amount, self.value, percent).ok
        whole = sum((printed(v, 2) for v in self.parts), Interval.exact(0))
        if whole.contains(Decimal(0)):
            return False
        return (printed(amount, 2) / whole).scale(100).meets(printed(percent))


def share_bases(n: int, reads: list[Read], index: Index) -> list[Base]:
    """Every reading of a share's base the text allows, the text's own first: the amount printed
    before it under the name the share gives, the list's total, the table cells that name names, and
    — for shares stated side by side that add up to 100% — their own sum."""
    return [*_printed_bases(n, reads, index), *_shared_base(n, reads)]


def share_reading(n: int, reads: list[Read], index: Index) -> Base | None:
    """The reading of the base that holds; the text's own when none does."""
    f = reads[n].fact
    bases = share_bases(n, reads, index)
    if f.amount is None or f.percent is None:
        return bases[0] if bases else None
    return next(
        (b for b in bases if ratio_agrees(f.amount, b.value, f.percent).ok), bases[0] if bases else None
    )


def _share(n: int, reads: list[Read], index: Index) -> Iterator[Finding]:
    r, f = reads[n], reads[n].fact
    assert f.amount is not None and f.percent is not None
    bases = share_bases(n, reads, index)
    if not bases:
        return  # what the share is of is not printed nearby and names no table total
    if any(b.holds(f.amount, f.percent) for b in bases):
        return  # a reading the text allows holds
    primary = [b for b in bases if b.label != OWN_SUM] or bases
    verdict, base = min(
        ((ratio_agrees(f.amount, b.value, f.percent), b) for b in primary), key=lambda x: x[0].off_units or 0
    )
    values = {Decimal(b.value) for b in primary}
    if len(values) > 1 and not verdict.zero_denominator:
        verdict = _capped(verdict)
    tried = "; ".join(b.describe() for b in bases)
    what = f"{f.subject} share ({f.amount} / {f.base or 'the total'} {base.value}; bases tried: {tried})"
    source = "unknown" if len(values) > 1 else "document"
    yield from _rate(r, reads, "narrative.share", what, f.amount, base.value, verdict, base.refs, source)


def _shared_base(n: int, reads: list[Read]) -> list[Base]:
    """Shares of one base stated side by side that add up to 100%: whatever the text calls the base,
    they may be shares of their own sum (基本支出 66.54% and 项目支出 33.46% of 基本 + 项目)."""
    r, f = reads[n], reads[n].fact
    peers = [
        o
        for o in reads
        if o.key == r.key and o.fact.kind == "share" and o.fact.base == f.base and o.fact.amount is not None
    ]
    if len(peers) < 2 or any(o.fact.amount is None or o.fact.percent is None for o in peers):
        return []
    percents = sum((Decimal(o.fact.percent or 0) for o in peers), Decimal(0))
    if abs(percents - 100) > Decimal("0.1") * len(peers):
        return []
    whole = sum((Decimal(o.fact.amount or 0) for o in peers), Decimal(0))
    subject = " + ".join(o.fact.subject for o in peers)
    refs: list[CellRef | TextRef] = [o.ref(o.fact.amount_printed or "") for o in peers]
    parts = [o.fact.amount or "0" for o in peers]
    return [Base(OWN_SUM, subject, str(whole), refs, parts=parts)]


def _printed_bases(n: int, reads: list[Read], index: Index) -> list[Base]:
    """What a share is of, as the text names it, one reading per distinct value."""
    f = reads[n].fact
    if f.base is None:
        total = _list_total(n, reads)
        if total is None or reads[total].fact.amount is None:
            return []
        t = reads[total]
        return [
            Base(LIST_TOTAL, t.fact.subject, t.fact.amount or "", [t.ref(t.fact.amount_printed or "")], total)
        ]
    wanted = name(f.base)
    for k in reversed(_before(n, reads)):
        o = reads[k].fact
        if o.amount is not None and o.subject and name(o.subject) == wanted:
            return [Base(PRINTED, o.subject, o.amount, [reads[k].ref(o.amount_printed or "")], k)]
    values: dict[Decimal, Base] = {}
    for cell in index.candidates(f.base):
        base = values.setdefault(Decimal(cell.wan()), Base(TABLE, cell.describe(), cell.wan(), []))
        base.refs.append(cell.ref())
    return list(values.values())


def _list_total(n: int, reads: list[Read]) -> int | None:
    r = reads[n]
    if r.fact.list_id is None or r.fact.list_role != "item":
        return None
    for k, other in enumerate(reads):
        o = other.fact
        if other.key == r.key and o.list_id == r.fact.list_id and o.list_role == "total" and o.amount:
            return k
    return None


def _before(n: int, reads: list[Read]) -> list[int]:
    """The facts of the section of reads[n] printed before it."""
    r = reads[n]
    return [k for k, o in enumerate(reads) if o.key == r.key and o.fact.span[0] < r.fact.span[0]]


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
    for total, items in _lists(reads):
        t = reads[total].fact
        if t.amount is not None and all(reads[i].fact.amount is not None for i in items):
            parts = [(i, reads[i].fact.amount or "") for i in items]
            yield from _list(reads, total, t.amount, parts, "amounts")
        yield from _budget_list(reads, total, items)


def _lists(reads: list[Read]) -> Iterator[tuple[int, list[int]]]:
    """(the total, its items) of every list with both: indices into the reads."""
    for total, members in _members(reads).items():
        items = _items(reads, [m for m in members if m != total])
        if items:
            yield total, items


def _members(reads: list[Read]) -> dict[int, list[int]]:
    """Each list's total → every fact of the list: its items, and the totals of lists inside it
    (``item_of``), in printed order."""
    by_list: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, r in enumerate(reads):
        if r.fact.list_id is not None:
            by_list[(r.key, r.fact.list_id)].append(n)
        if r.fact.item_of is not None:
            by_list[(r.key, r.fact.item_of)].append(n)
    out: dict[int, list[int]] = {}
    for (_, list_id), members in by_list.items():
        total = next((m for m in members if _total_of(reads[m].fact, list_id)), None)
        if total is not None:
            out[total] = sorted(members, key=lambda m: reads[m].fact.span)
    return out


def _total_of(f: NarrativeFact, list_id: int) -> bool:
    return f.list_id == list_id and f.list_role == "total"


def _items(reads: list[Read], members: list[int]) -> list[int]:
    """The list's items, one per (subject, amount): a later sentence restating an item is no new item."""
    seen: set[tuple[str, str | None]] = set()
    out = []
    for m in members:
        f = reads[m].fact
        if f.kind in ("unparsed", "missing_number", "count"):
            continue
        key = (name(f.subject), f.amount)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _budget_list(reads: list[Read], total: int, items: list[int]) -> Iterator[Finding]:
    """Execution lists: the items' budgets of one kind (全年预算) against the total's budget of that kind."""
    kinds = {k for i in items for k in reads[i].fact.budgets}
    t = reads[total].fact
    if t.kind != "execution" or len(kinds) != 1 or not all(reads[i].fact.budgets for i in items):
        return
    kind = kinds.pop()
    budget = t.budgets.get(kind)
    if budget is not None:
        yield from _list(reads, total, budget, [(i, reads[i].fact.budgets[kind]) for i in items], kind)


FLAT, NESTED, BREAKDOWNS = "flat", "nested", "breakdowns"


@dataclass
class ListReading:
    """One way to read a list: the total's own parts, and the items nested in one of them."""

    label: str  # FLAT, BREAKDOWNS, or NESTED with what is nested in what
    parts: list[tuple[int, str]]  # (read index, value) of the total's own parts
    inside: dict[int, int] = field(default_factory=dict)  # a nested item → the item it is part of
    runs: int = 1  # BREAKDOWNS: the parts read as this many lists of the whole total, one after another
    whole: bool = False  # BREAKDOWNS: every one of them adds up to the total

    def holds(self, value: str, partial: bool) -> bool:
        if self.runs > 1:
            return self.whole
        verdict = sum_agrees(value, [v for _, v in self.parts])
        return verdict.ok or (partial and Decimal(verdict.expected) <= Decimal(value))

    def describe(self) -> str:
        if self.runs > 1:
            return self.label
        return f"{self.label} ({' + '.join(v for _, v in self.parts)})"


def list_readings(
    reads: list[Read], parts: list[tuple[int, str]], value: str | None = None
) -> list[ListReading]:
    """Readings of a list, flat first: with a list inside it, items right after an item that add up
    to it are its parts ('公务用车购置及运行维护费346.67万元（购置费36万元…运行维护费310.67万元）'), not
    the total's; each such nesting alone, then all of them together. And (``value``: the total) a
    list may break the total down twice, one way after the other ('按功能分类…；按经济分类…')."""
    nestings: list[tuple[int, int]] = []  # (position of the item, end of its parts)
    for k, (_, v) in enumerate(parts):
        if Decimal(v) == 0:
            continue  # nothing to hold parts: 0 = 0 + 0 is no reading
        for j in range(k + 2, len(parts) + 1):
            if sum_agrees(v, [x for _, x in parts[k + 1 : j]]).ok:
                nestings.append((k, j))
                break
    combined: list[tuple[int, int]] = []  # the nestings that do not overlap, first come first
    for nesting in nestings:
        if not combined or nesting[0] >= combined[-1][1]:
            combined.append(nesting)
    out = [ListReading(FLAT, parts)]
    for group in [[n] for n in nestings] + ([combined] if len(combined) > 1 else []):
        out.append(_nest(reads, parts, group))
    if value is not None:
        out += _breakdowns(parts, value)
    return out


def _breakdowns(parts: list[tuple[int, str]], value: str) -> list[ListReading]:
    """The reading of the parts as consecutive runs, each closed where it adds up to the total: it
    holds when the last one does too (none when the first run never closes)."""
    runs: list[list[tuple[int, str]]] = [[]]
    for part in parts:
        runs[-1].append(part)
        if sum_agrees(value, [v for _, v in runs[-1]]).ok and Decimal(value) != 0:
            runs.append([])
    runs = runs if runs[-1] else runs[:-1]
    if len(runs) < 2:
        return []
    sums = [(run, sum_agrees(value, [v for _, v in run])) for run in runs]
    said = "; ".join(" + ".join(v for _, v in run) + f" = {verdict.expected}" for run, verdict in sums)
    whole = all(verdict.ok for _, verdict in sums)
    return [ListReading(f"{BREAKDOWNS} of {value}: {said}", parts, runs=len(runs), whole=whole)]


def _nest(reads: list[Read], parts: list[tuple[int, str]], nestings: list[tuple[int, int]]) -> ListReading:
    own, inside, said = list(parts), {}, []
    for k, j in reversed(nestings):
        holder = parts[k][0]
        inside.update({i: holder for i, _ in parts[k + 1 : j]})
        said.append(
            f"{reads[holder].fact.subject} {parts[k][1]} = {' + '.join(v for _, v in parts[k + 1 : j])}"
        )
        del own[k + 1 : j]
    return ListReading(f"{NESTED}: {'; '.join(reversed(said))}", own, inside)


def list_parents(reads: list[Read]) -> dict[int, tuple[int, str]]:
    """Each list item's parent (indices into the reads) and the reading that makes it so: the total,
    or the item it is nested in when only the nested reading of the list holds."""
    out: dict[int, tuple[int, str]] = {}
    members = _members(reads)
    for total, items in _lists(reads):
        t = reads[total].fact
        chosen = ListReading(FLAT, [])
        if t.amount is not None and all(reads[i].fact.amount is not None for i in items):
            readings = list_readings(reads, [(i, reads[i].fact.amount or "") for i in items], t.amount)
            chosen = next((x for x in readings if x.holds(t.amount, t.partial is not False)), readings[0])
            if len(readings) == 1:
                chosen = ListReading("", chosen.parts)
        for n in members[total]:
            if n != total:
                holder = chosen.inside.get(n)
                out[n] = (holder, chosen.label) if holder is not None else (total, chosen.label)
    return out


def _list(
    reads: list[Read], total: int, value: str, parts: list[tuple[int, str]], what: str
) -> Iterator[Finding]:
    t = reads[total]
    partial = t.fact.partial is not False
    readings = list_readings(reads, parts, value)
    if any(reading.holds(value, partial) for reading in readings):
        return
    verdict = sum_agrees(value, [v for _, v in parts])
    shown = " + ".join(v for _, v in parts)
    if partial:
        claim = "the parts listed after 其中 may be partial, but they cannot exceed the total"
    else:
        claim = "the list is marked 合计/分别/共计, so its parts must add up to the total"
    # one figure alone already makes up the total: the others are likely not parts of it
    # (政府采购支出总额10.12，其中：服务支出10.12，授予中小企业合同金额10.12): a doubtful reading
    whole = next((k for k, v in parts if len(parts) > 1 and equal_agrees(v, value).ok), None)
    doubt = (
        f"; but {reads[whole].fact.subject} alone makes up the total, so the list is probably not read right"
        if whole is not None
        else ""
    )
    tried = "; readings tried: " + "; ".join(r.describe() for r in readings) if len(readings) > 1 else ""
    yield Finding(
        check="narrative.list",
        severity="info" if whole is not None else verdict.severity,  # type: ignore[arg-type]
        kind="narrative",
        message=f"{t.where}: {t.fact.subject} {value} ({what}); its parts {shown} = "
        f"{verdict.expected}: {claim} ({verdict.reason}){doubt}{tried}",
        cells=[t.ref(value), *(reads[k].ref(v) for k, v in parts)],
        expected=verdict.expected if not partial else f"≤ {value}",
        actual=value,
        tolerance=verdict.tolerance,
        source="unknown" if whole is not None else "document",
    )


# ------------------------------------------------------------------------------------ tables


def claims(reads: list[Read], index: Index) -> list[Claim]:
    """Every distinct (subject, amount, budget or actual) the narrative states, with its candidate
    cells; a claim without candidates is unlinked (kept for reports, never a finding). A figure in a
    table's cell (an indicator's target: "展览服务费≤333.14万元") restates no table row."""
    out: dict[tuple[str, Decimal, bool], Claim] = {}
    parents = list_parents(reads)
    for n, r in enumerate(reads):
        if r.cell:
            continue
        for subject, value, budget in _stated(r.fact, index.final):
            key = (name(subject), Decimal(value), budget)
            if key[0] and key not in out:
                cells = index.candidates(subject, budget)
                scoped = _scoped(subject, reads[parents[n][0]].fact.subject) if n in parents else None
                if scoped:
                    cells = unique(cells + index.candidates(scoped, budget))
                out[key] = Claim(r, subject, value, budget, cells)
    return list(out.values())


def _scoped(subject: str, total: str) -> str | None:
    """An item's subject in the fund its list's total names ("一般公共预算基本支出…，其中：人员支出…"
    is the 一般公共预算 人员支出): the other reading of a subject printed without its fund."""
    fund, _ = split_scope(name(total))
    return fund + subject if fund and not split_scope(name(subject))[0] else None


# Subjects that name a measure, not a row: '年初预算0万元，支出决算56万元' after a heading naming the 项
_MEASURE_ONLY = re.compile(r"^(?:本年|当年|全年|年初)?(?:支出|收入)?(?:预算|决算|执行)(?:数|金额)?$")


def links_to_table(f: NarrativeFact) -> bool:
    """Whether a figure's subject may name a table cell: an amount about something, not a count, and
    not named by a measure alone (what it is the 决算 of was printed elsewhere, a heading)."""
    kinds = ("amount", "share", "change", "execution")
    return f.kind in kinds and bool(f.subject) and not _MEASURE_ONLY.match(squeeze(f.subject))


def _stated(f: NarrativeFact, final: bool) -> Iterator[tuple[str, str, bool]]:
    if not links_to_table(f):
        return
    if f.amount is not None:
        # "（一）因公出国（境）费。预算数59万元": in final accounts a 预算 beside the heading is a budget
        yield f.subject, f.amount, final and "预算" in (f.measure or "")
    if f.kind == "execution":
        for value in f.budgets.values() or ([f.budget] if f.budget else []):
            yield f.subject, value, True


def _places(claim: Claim, cell: Cell) -> int | None:
    """The decimals an amount is read at: a whole number of 万元 restating a table in 元 was rounded
    to the 万元 ("收入预算17,192万元" for 171,915,169 元), else at least 2 (DOMAIN.md)."""
    return None if cell.view.unit == "元" and "." not in claim.value else 2


def table_findings(found: list[Claim]) -> Iterator[Finding]:
    for claim in found:
        if not claim.cells:
            continue
        verdicts = [(equal_agrees(claim.value, c.wan(), _places(claim, c)), c) for c in claim.cells]
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
