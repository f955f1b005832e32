"""One mechanism for every additive promise: a target cell equals the signed sum of other cells.

In-table sums (columns, code hierarchy, totals, printed formulas) and cross-table equalities are
all stated as an `Identity` and judged here, by interval arithmetic (check/interval.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from budgetlens.check.findings import CellRef, Finding, Kind
from budgetlens.check.interval import Severity, Verdict, equal_agrees, sum_agrees
from budgetlens.check.view import Line, TableView


@dataclass(frozen=True)
class Ref:
    """A cell of a table view: a line and a column path. The cell may be blank (then it is 0)."""

    view: TableView
    line: Line
    column: str

    @property
    def text(self) -> str:
        fact = self.line.values.get(self.column)
        return fact.value if fact is not None else ""

    @property
    def blank(self) -> bool:
        return self.column not in self.line.values

    def cell(self) -> CellRef:
        fact = self.line.values.get(self.column)
        if fact is None:
            page = self.view.pages[0]
            view = self.view
            return CellRef(
                entity=view.entity,
                table=view.name,
                row=self.line.key,
                column=self.column,
                value="",
                page=page,
            )
        return CellRef.of(fact)

    def wan(self) -> str:
        """The printed text in 万元 (元 tables shifted, precision kept), for comparing across tables."""
        text = self.text
        if self.view.unit != "元" or not text:
            return text
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, _, frac = digits.partition(".")
        whole = whole.rjust(5, "0")
        return f"{sign}{whole[:-4].lstrip('0') or '0'}.{whole[-4:]}{frac}"

    def describe(self) -> str:
        return f"{self.view.name} {self.line.key} / {self.column}"


def ratio_finding(check: str, label: str, rate: Ref, num: Ref, den: Ref, verdict: Verdict) -> Finding:
    """A printed rate its numerator and denominator do not give (a share, a header formula)."""
    return Finding(
        check=check,
        severity=verdict.severity,  # type: ignore[arg-type]
        kind="percent",
        message=f"{rate.view.name} {label} printed {rate.text}%, but "
        f"{num.text or '0'} / {den.text} = {verdict.expected}% ({verdict.reason})",
        cells=[rate.cell(), num.cell(), den.cell()],
        expected=verdict.expected,
        actual=rate.text,
        tolerance=verdict.tolerance,
    )


@dataclass(frozen=True)
class Identity:
    check: str
    kind: Kind
    target: Ref
    terms: tuple[tuple[int, Ref], ...]  # (sign, cell)
    why: str  # what promises it: "header 合计", "note: 1栏各行=(2+3)栏各行", "code 206 = Σ 206xx"
    # Other readings of an ambiguous layout (which rows a total covers); the identity holds if any does.
    alternatives: tuple[tuple[tuple[int, Ref], ...], ...] = ()
    # read from an outline the page does not settle (several label columns): a failure is a warning
    tentative: bool = False

    def key(self) -> tuple[object, ...]:
        cells = frozenset((s, r.view.section, r.line.index, r.line.group, r.column) for s, r in self.terms)
        t = self.target
        return (t.view.section, t.line.index, t.line.group, t.column, cells)


def judge(identity: Identity) -> Finding | None:
    """A finding when the identity fails (or is only consistent under truncation); None when it holds."""
    target, terms = identity.target, identity.terms
    if target.blank and all(r.blank for _, r in terms):
        return None
    cross = {r.view.section for _, r in terms} != {target.view.section}
    if cross and len(terms) == 1 and terms[0][0] == 1:
        verdict = _equal(target, terms[0][1])
    else:
        places = min(target.view.places, *(r.view.places for _, r in terms))
        texts = [_signed(s, r.wan() if cross else r.text) for s, r in terms]
        parent = target.wan() if cross else target.text
        verdict = sum_agrees(parent, texts, amount_places=places)
    if verdict.ok or any(_holds(identity, terms) for terms in identity.alternatives):
        return None
    if identity.tentative and verdict.severity == "error":
        reason = f"{verdict.reason}; the rows' outline is read from several label columns: perhaps misread"
        verdict = replace(verdict, severity="warning", reason=reason)
    return _finding(identity, verdict)


def _holds(identity: Identity, terms: tuple[tuple[int, Ref], ...]) -> bool:
    other = Identity(identity.check, identity.kind, identity.target, terms, identity.why)
    return judge(other) is None


def _equal(a: Ref, b: Ref) -> Verdict:
    """The same quantity printed in two tables. Touching intervals are consistent, but a row with no
    parts of its own (a leaf) is not summed from rounded parts, so one unit apart is a warning there."""
    verdict = equal_agrees(a.wan() or "0", b.wan() or "0", amount_places=min(a.view.places, b.view.places))
    if verdict.ok and _number(a.wan()) != _number(b.wan()):
        leaf = a.line.code is not None and len(a.line.code) == 7
        severity: Severity = "warning" if leaf else "info"
        reason = "printed one unit apart: consistent only if one was summed from rounded parts"
        return Verdict(
            False, severity, verdict.expected, verdict.actual, verdict.tolerance, reason, off_units=1
        )
    return verdict


def _number(text: str) -> Decimal:
    return Decimal(text or "0")


def _signed(sign: int, text: str) -> str:
    if sign == 1 or not text:
        return text
    return text[1:] if text.startswith("-") else f"-{text}"


def _finding(identity: Identity, verdict: Verdict) -> Finding:
    target = identity.target
    shown = " ".join(f"{'+' if s == 1 else '−'} {r.text or '0'}" for s, r in identity.terms).removeprefix(
        "+ "
    )
    if len(identity.terms) == 1 and identity.kind == "cross_table":
        other = identity.terms[0][1]
        message = (
            f"{target.describe()}: printed {target.text or '(blank)'}, but {other.describe()} prints "
            f"{other.text or '(blank)'} ({verdict.reason})"
        )
    else:
        message = (
            f"{target.describe()}: printed {target.text or '(blank)'}, but {identity.why} gives "
            f"{shown} = {verdict.expected} ({verdict.reason})"
        )
    return Finding(
        check=identity.check,
        severity=verdict.severity,  # type: ignore[arg-type]
        kind=identity.kind,
        message=message,
        cells=[target.cell(), *(r.cell() for _, r in identity.terms)],
        expected=verdict.expected,
        actual=target.text,
        tolerance=verdict.tolerance,
        source="document",
    )
