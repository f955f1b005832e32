"""Restatements in the narrative: the same figure printed twice, and figures printed with what they
are worked out from.

- ``narrative.restated``: two year-on-year statements with the same current amount and the same rate
  but different changes (Jianghan: 收、支总计 −212.28 vs 财政拨款收、支总计 −212.30, both 504.77 and
  −29.6%).
- ``narrative.restated_amount``: one subject printed twice in a section with amounts that disagree
  ("（三）上年结转结余13223.4万元 … 10.上年结转结余13223.4万元" agrees), in sentences of the same years.
- ``narrative.prior``: a change printed with the prior year's amount ("比2025年年初预算数101989.82万元
  减少20313.67万元") must take the current amount to the prior one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal

from budgetlens.check.findings import Finding
from budgetlens.check.interval import equal_agrees, sum_agrees
from budgetlens.check.narrative_links import name
from budgetlens.check.narrative_reads import Read
from budgetlens.chunk.text import squeeze

_YEARS = re.compile(r"((?:19|20)\d\d)\s*年")
# subjects that say how, not what: too general to be one figure twice
_MIN_NAME = 4
WINDOW = 2  # how many amounts back a restatement is looked for
_MARKER = re.compile(r"^\s*(?:\d+\s?[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_MEASURE = re.compile(r"^(?:本年|当年|全年|年初)?(?:支出|收入)?(?:预算|决算|执行)(?:数|金额)?$")


def restated_changes(reads: list[Read]) -> Iterator[Finding]:
    """The same current amount and rate of change, stated with a different change: if the sentences
    describe one total (their equal amounts and rates suggest so), one of the changes is misprinted."""
    groups: dict[tuple[Decimal, Decimal], list[Read]] = defaultdict(list)
    for r in reads:
        f = r.fact
        if f.kind == "change" and f.amount and f.change and f.percent and Decimal(f.amount) != 0:
            if f.prior is not None and Decimal(f.prior) == 0:
                continue  # a rate over a prior year of 0 is undefined: its "0%" says nothing
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


def restated_amounts(reads: list[Read]) -> Iterator[Finding]:
    """A subject printed again right after (within the next WINDOW amounts of its section, in a
    sentence of the same years) with an amount that disagrees: a heading restated by its first item
    ("（三）上年结转结余13223.4万元 / 10.上年结转结余13223.4万元") must agree with it. Farther apart,
    one subject may well be two figures (the department's and one unit's, all funds and one fund)."""
    recent: list[Read] = []
    for r in reads:
        f = r.fact
        printed = any(p.role == "amount" for p in f.numbers)
        if r.cell or not printed or f.amount is None or _MEASURE.match(squeeze(f.subject)):
            continue
        recent = [o for o in recent if o.key == r.key][-WINDOW:]
        same = [o for o in recent if _same_figure(o, r)]
        if same and not equal_agrees(f.amount, same[-1].fact.amount or "0").ok:
            yield _restated_amount(r, same[-1])
        recent.append(r)


def _same_figure(a: Read, b: Read) -> bool:
    """Two statements of one figure: the same subject, in the next sentence, of the same years (in one
    sentence, "共涉及资金940.15万元…；…共涉及资金0万元" speaks of two things)."""
    n = name(a.fact.subject)
    same_years = set(_YEARS.findall(a.fact.sentence)) == set(_YEARS.findall(b.fact.sentence))
    other = a.fact.sentence != b.fact.sentence
    return len(n) >= _MIN_NAME and n == name(b.fact.subject) and same_years and other and _not_siblings(a, b)


def _not_siblings(a: Read, b: Read) -> bool:
    """ "56.…疫情防控经费项目…" and "57.…疫情防控经费项目…" are two items of one list that share a name;
    a heading "（三）上年结转结余" and its item "10.上年结转结余" are one figure told twice."""
    ma, mb = _MARKER.match(a.fact.sentence), _MARKER.match(b.fact.sentence)
    if ma is None or mb is None:
        return True
    style = [re.sub(r"[0-9一二三四五六七八九十]+", "N", m.group().replace(" ", "")) for m in (ma, mb)]
    return style[0] != style[1] or ma.group() == mb.group()


def _restated_amount(r: Read, seen: Read) -> Finding:
    f, o = r.fact, seen.fact
    verdict = equal_agrees(f.amount or "0", o.amount or "0")
    return Finding(
        check="narrative.restated_amount",
        severity="warning",
        kind="narrative",
        message=f"{r.where}: {f.subject} is printed as {f.amount_printed} here and as {o.amount_printed} "
        f"before (“{o.sentence[:40]}”): if both are the same figure, one is misprinted ({verdict.reason})",
        cells=[r.ref(f.amount_printed or ""), seen.ref(o.amount_printed or "")],
        expected=o.amount or "",
        actual=f.amount or "",
        tolerance=verdict.tolerance,
        source="unknown",
    )


def printed_priors(reads: list[Read]) -> Iterator[Finding]:
    """current = prior + change, when the sentence prints all three."""
    for r in reads:
        f = r.fact
        if f.kind != "change" or f.amount is None or f.change is None or f.printed_prior is None:
            continue
        if not {"amount", "prior", "change"} <= {p.role for p in f.numbers}:
            continue  # the current amount was printed elsewhere: not this sentence's promise
        verdict = sum_agrees(f.amount, [f.printed_prior, f.change])
        if verdict.ok:
            continue
        implied = str(Decimal(f.amount) - Decimal(f.printed_prior))
        yield Finding(
            check="narrative.prior",
            severity=verdict.severity,  # type: ignore[arg-type]
            kind="narrative",
            message=f"{r.where}: {f.subject} {f.amount} against the prior year's {f.printed_prior} is a "
            f"change of {implied}, but the sentence prints {f.change} ({verdict.reason})",
            cells=[r.ref(f.change)],
            expected=implied,
            actual=f.change,
            tolerance=verdict.tolerance,
            source="document",
        )
