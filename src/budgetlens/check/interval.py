"""Deciding whether printed numbers agree, with interval arithmetic (Decimal only, never float).

A printed number stands for an interval: ``326.71`` is somewhere in [326.705, 326.715], ``43.1%`` in
[43.05, 43.15]. A sum (or ratio) agrees with its printed parent when the interval implied by the printed
operands meets the parent's interval, the way XBRL Calculations 1.1 decides sums.

Amount precision. Amounts in 万元 documents are printed to 0.01 万元 but writers drop trailing zeros
("21", "1.6", "42.5"). The checks therefore read every *amount* at ``amount_places`` decimals at least
(default 2: "21" is 21.00 ± 0.005); pass ``amount_places=None`` to take each number at its own printed
precision, or ``0`` for tables in 元 / whole 万元. Percentages always use their own printed precision.

Grading (``Verdict.severity``), with *u* = one unit of the last printed digit of the checked value:

``ok``
    the implied interval meets the printed interval (touching counts: 326.71 vs 326.72 is ok).
``info``
    not ok by rounding, but consistent with the writer having *truncated* instead of rounded: some value
    of the implied interval truncates (toward zero, at the printed precision) to the printed value —
    1.6 / 1.8 = 88.89% printed 88.8%. Not used by :func:`equal_agrees`. Also used, with
    ``zero_denominator=True`` and reason "zero denominator", when a ratio's denominator is printed as 0
    or missing: that is a finding of its own, never a percentage error.
``warning``
    the value implied by the printed operands, rounded to the printed precision, is exactly one *u* away
    from the printed value (16.24 / 21 = 77.33% printed 77.4%). For sums of numbers printed at the same
    precision a one-unit difference always meets (the children's widths add up), so sums go ok → error.
``error``
    two or more *u* away (Jianghan 143.62 + 55.74 = 199.36 printed 199.38; Wuchang 210.44 / 707.83 =
    29.7% printed 26%).

Ratios: a slack cap. Full interval arithmetic on small operands makes a ratio's interval very wide
(16.24 / 21 spans 77.29 … 77.38, which would excuse "77.4%", a slip DOMAIN.md wants reported). So in
:func:`ratio_agrees` the operands' rounding may move the ratio by at most ``ratio_slack`` units of the
percentage's last digit (default 0.1 *u*) around the ratio of the printed values. With large operands the
true interval is narrower than the cap and the rule is plain interval arithmetic (504.77 / 564.31 =
89.449…% printed 89.5% is ok: its interval reaches 89.4507). Pass ``ratio_slack=None`` for the uncapped
XBRL rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Literal

Severity = Literal["ok", "info", "warning", "error"]

_EMPTY = {"", "-", "--", "—", "——", "–", "－", "/", "无"}
_NUMBER = re.compile(r"^(?P<sign>[-+]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d+))?$")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of Decimals."""

    lo: Decimal
    hi: Decimal

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def exact(cls, value: Decimal | int | str) -> Interval:
        d = Decimal(value)
        return cls(d, d)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def scale(self, k: Decimal | int) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def contains(self, x: Decimal) -> bool:
        return self.lo <= x <= self.hi

    def meets(self, other: Interval) -> bool:
        """The intervals intersect (touching counts)."""
        return self.lo <= other.hi and other.lo <= self.hi

    def gap(self, other: Interval) -> Decimal:
        """Distance between the intervals; 0 when they meet."""
        return max(ZERO, other.lo - self.hi, self.lo - other.hi)

    def divide(self, other: Interval) -> Interval:
        """self / other. Raises ZeroDivisionError when ``other`` contains 0."""
        if other.contains(ZERO):
            raise ZeroDivisionError(f"denominator interval {other} contains 0")
        with localcontext() as ctx:
            ctx.prec = 34
            q = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(q), max(q))

    __truediv__ = divide

    def __str__(self) -> str:
        return f"[{_fmt(self.lo)}, {_fmt(self.hi)}]"


def _normalise(text: str | None) -> str:
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("−", "-").replace("–", "-").replace("\u2012", "-").replace("\u2013", "-")
    t = re.sub(r"\s+", "", t)
    return t


@dataclass(frozen=True)
class Printed:
    """A parsed printed number: its value and how many decimals were printed."""

    value: Decimal
    places: int
    empty: bool = False


def parse(text: str | None) -> Printed:
    """Parse a printed number ("2,940.05", "－3.2", "43.1%", "(12.00)"); empty/missing → exactly 0."""
    t = _normalise(text)
    if t in _EMPTY:
        return Printed(ZERO, 0, empty=True)
    t = t.removesuffix("%")
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    m = _NUMBER.match(t)
    if not m or (m.group("int") is None and m.group("frac") is None):
        raise ValueError(f"not a number: {text!r}")
    frac = m.group("frac") or ""
    digits = (m.group("int") or "0").replace(",", "")
    try:
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guarantees digits
        raise ValueError(f"not a number: {text!r}") from exc
    if m.group("sign") == "-" or negative:
        value = -value
    return Printed(value, len(frac))


def _unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _places(p: Printed, minimum: int | None) -> int:
    return p.places if minimum is None else max(p.places, minimum)


def _interval(p: Printed, places: int) -> Interval:
    if p.empty:
        return Interval.exact(ZERO)
    half = _unit(places) / 2
    return Interval(p.value - half, p.value + half)


def printed(text: str | None, places: int | None = None) -> Interval:
    """The interval a printed number stands for at its printed precision.

    "326.71" → [326.705, 326.715]; "504" → [503.5, 504.5]; "43.1%" → [43.05, 43.15].
    ``places``: read the number at this many decimals at least ("21" with places=2 → [20.995, 21.005]).
    An empty or missing cell ("", None, "-", "—") is exactly 0.
    """
    p = parse(text)
    return _interval(p, _places(p, places))


def _fmt(d: Decimal) -> str:
    s = format(d, "f")
    return "0" if s in ("-0", "-0.0") else s


def _show(iv: Interval, places: int) -> str:
    """The interval widened outward to ``places`` decimals, for display."""
    q = _unit(places)
    lo = iv.lo.quantize(q, rounding=ROUND_FLOOR)
    hi = iv.hi.quantize(q, rounding=ROUND_CEILING)
    return f"[{_fmt(lo)}, {_fmt(hi)}]"


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(_unit(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one agreement check. ``ok`` is True exactly when ``severity == "ok"``."""

    ok: bool
    severity: Severity
    expected: str
    actual: str
    tolerance: str
    reason: str
    zero_denominator: bool = False
    implied: str = ""
    off_units: int | None = None


def _grade(
    implied: Interval,
    point: Decimal,
    actual: Printed,
    actual_text: str,
    places: int,
    tolerance: str,
    allow_truncation: bool,
) -> Verdict:
    target = _interval(actual, places)
    u = _unit(places)
    expected = _round(point, places)
    off = int(abs(expected - actual.value) / u)

    def verdict(severity: Severity, reason: str, units: int) -> Verdict:
        return Verdict(
            ok=severity == "ok",
            severity=severity,
            expected=_fmt(expected),
            actual=actual_text,
            tolerance=tolerance,
            reason=reason,
            implied=_show(implied, places + 3),
            off_units=units,
        )

    if implied.meets(target):
        return verdict("ok", "agrees within rounding", 0)
    if allow_truncation and not actual.empty:
        v = actual.value
        # some value of the implied interval truncates (toward zero) to the printed value
        if v >= 0 and implied.hi >= v and implied.lo < v + u:
            return verdict("info", "consistent with truncation instead of rounding", off)
        if v < 0 and implied.lo <= v and implied.hi > v - u:
            return verdict("info", "consistent with truncation instead of rounding", off)
    if off <= 1:
        return verdict("warning", "off by one unit of the last printed digit", off)
    return verdict("error", f"off by {off} units of the last printed digit", off)


def _half(places: int) -> str:
    return _fmt(_unit(places) / 2)


def sum_agrees(parent: str, children: list[str], amount_places: int | None = 2) -> Verdict:
    """Does the printed ``parent`` agree with the sum of the printed ``children``?

    2,106.66 + 326.72 + 60.99 + 445.69 vs 2,940.05 → ok; 143.62 + 55.74 vs 199.38 → error (2 units).
    """
    par = parse(parent)
    kids = [parse(c) for c in children]
    implied = Interval.exact(ZERO)
    point = ZERO
    for k in kids:
        implied = implied + _interval(k, _places(k, amount_places))
        point += k.value
    places = _places(par, amount_places)
    if amount_places is None:
        tol = "± half a unit of the last printed digit per printed number"
    else:
        tol = f"±{_half(amount_places)} per printed number"
    return _grade(implied, point, par, parent, places, tol, allow_truncation=True)


def equal_agrees(a: str, b: str, amount_places: int | None = 2) -> Verdict:
    """Is the same quantity, printed twice (e.g. in two tables), consistent? ``a`` is the value checked."""
    pa, pb = parse(a), parse(b)
    places = _places(pa, amount_places)
    implied = _interval(pb, _places(pb, amount_places))
    if amount_places is None:
        tol = "± half a unit of the last printed digit per printed number"
    else:
        tol = f"±{_half(amount_places)} per printed number"
    return _grade(implied, pb.value, pa, a, places, tol, allow_truncation=False)


def ratio_agrees(
    numerator: str,
    denominator: str,
    percent: str,
    amount_places: int | None = 2,
    ratio_slack: Decimal | None = Decimal("0.1"),
) -> Verdict:
    """Does the printed ``percent`` agree with numerator / denominator × 100?

    504.77 / 564.31 printed 89.5% → ok; 16.24 / 21 printed 77.4% → warning; 1.6 / 1.8 printed 88.8% →
    info (truncation); 210.44 / 707.83 printed 26% → error. A denominator printed as 0 or missing →
    severity "info", reason "zero denominator", ``zero_denominator=True``.
    """
    num, den, pct = parse(numerator), parse(denominator), parse(percent)
    pct_places = _unpadded(pct, percent)
    if den.empty or den.value == 0:
        return Verdict(
            ok=False,
            severity="info",
            expected="undefined",
            actual=percent,
            tolerance="n/a",
            reason="zero denominator",
            zero_denominator=True,
        )
    n_iv = _interval(num, _places(num, amount_places))
    d_iv = _interval(den, _places(den, amount_places))
    implied = n_iv.divide(d_iv).scale(HUNDRED)
    with localcontext() as ctx:
        ctx.prec = 34
        point = num.value / den.value * HUNDRED
    amount_tol = (
        "± half a unit of the last printed digit per amount"
        if amount_places is None
        else f"±{_half(amount_places)} per amount"
    )
    tol = f"{amount_tol}, ±{_half(pct_places)} on the percentage"
    if ratio_slack is not None:
        cap = ratio_slack * _unit(pct_places)
        implied = Interval(max(implied.lo, point - cap), min(implied.hi, point + cap))
        tol += f"; operand rounding capped at ±{_fmt(cap.normalize())}"
    return _grade(implied, point, pct, percent, pct_places, tol, allow_truncation=True)


def _unpadded(p: Printed, text: str) -> int:
    """Decimals a percentage was computed to: zeros past the second decimal are padding ('11.2500', a
    system printing 11.25 to four places), not precision."""
    if p.places <= 2:
        return p.places
    frac = _normalise(text).removesuffix("%").rpartition(".")[2]
    return max(2, len(frac.rstrip("0")))


def value(text: str | None) -> Decimal:
    """The printed value as a Decimal (empty → 0)."""
    return parse(text).value


def places_of(text: str | None) -> int:
    """How many decimals were printed."""
    return parse(text).places


def round_to(d: Decimal, places: int) -> str:
    """Round half up to ``places`` decimals and format without exponent."""
    return _fmt(_round(d, places))
