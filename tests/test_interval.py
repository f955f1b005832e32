"""Interval arithmetic on printed numbers: the examples of DOMAIN.md "Rounding"."""

from decimal import Decimal

import pytest

from budgetlens.check.interval import Interval, equal_agrees, parse, printed, ratio_agrees, sum_agrees

D = Decimal


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("326.71", "326.705", "326.715"),
        ("504", "503.5", "504.5"),
        ("43.1%", "43.05", "43.15"),
        ("43.1", "43.05", "43.15"),
        ("2,940.05", "2940.045", "2940.055"),
        ("－3.2", "-3.25", "-3.15"),
        ("−3.2", "-3.25", "-3.15"),
        ("８８.８％", "88.75", "88.85"),
        ("", "0", "0"),
        ("—", "0", "0"),
    ],
)
def test_printed(text: str, lo: str, hi: str) -> None:
    assert printed(text) == Interval(D(lo), D(hi))


def test_printed_missing_and_min_places() -> None:
    assert printed(None) == Interval(D(0), D(0))
    assert printed("21", places=2) == Interval(D("20.995"), D("21.005"))
    assert printed("21.125", places=2) == Interval(D("21.1245"), D("21.1255"))


def test_parse_rejects_text() -> None:
    with pytest.raises(ValueError):
        parse("万元")
    with pytest.raises(ValueError):
        parse("1.2.3")


def test_interval_ops() -> None:
    a, b = Interval(D(1), D(2)), Interval(D(3), D(5))
    assert a + b == Interval(D(4), D(7))
    assert b - a == Interval(D(1), D(4))
    q = a / b
    assert q.lo == D("0.2") and abs(q.hi - D(2) / D(3)) < D("1e-20")
    with pytest.raises(ZeroDivisionError):
        a.divide(Interval(D(-1), D(1)))
    assert a.meets(Interval(D(2), D(3))) and not a.meets(b)
    assert a.gap(b) == D(1)


def test_sum_four_children_ok() -> None:
    v = sum_agrees("2,940.05", ["2,106.66", "326.72", "60.99", "445.69"])
    assert v.ok and v.severity == "ok"
    assert v.expected == "2940.06" and v.actual == "2,940.05"
    assert "0.005" in v.tolerance


def test_equal_touching_is_ok() -> None:
    assert equal_agrees("326.71", "326.72").severity == "ok"
    v = equal_agrees("326.71", "326.74")
    assert not v.ok and v.severity == "error" and v.expected == "326.74"


def test_wuchang_rounding_sum_ok() -> None:
    assert sum_agrees("180.64", ["139.60", "41.03"]).ok


def test_jianghan_personnel_sum_error() -> None:
    v = sum_agrees("199.38", ["143.62", "55.74"])
    assert not v.ok and v.severity == "error"
    assert v.expected == "199.36" and v.off_units == 2


def test_sum_grades() -> None:
    # with equal precision a one-unit difference always meets (widths add), so sums go ok → error
    assert sum_agrees("10.01", ["5.00", "5.00"]).ok
    assert sum_agrees("10.02", ["5.00", "5.00"]).severity == "error"
    # a parent with no children printed: one unit away → warning
    v = sum_agrees("0.01", [])
    assert v.severity == "warning" and v.expected == "0.00"


def test_sum_empty_child_is_zero() -> None:
    assert sum_agrees("5.00", ["5.00", "", "-"]).ok


def test_ratio_jianghan_ok() -> None:
    v = ratio_agrees("504.77", "564.31", "89.5%")
    assert v.ok and v.severity == "ok" and not v.zero_denominator


def test_ratio_hongshan_one_unit_warning() -> None:
    v = ratio_agrees("16.24", "21", "77.4%")
    assert not v.ok and v.severity == "warning"
    assert v.expected == "77.3" and v.off_units == 1


def test_ratio_truncation_is_info() -> None:
    v = ratio_agrees("1.6", "1.8", "88.8%")
    assert not v.ok and v.severity == "info" and not v.zero_denominator
    assert v.expected == "88.9" and "truncation" in v.reason


def test_ratio_wuchang_share_error() -> None:
    v = ratio_agrees("210.44", "707.83", "26%")
    assert v.severity == "error" and v.expected == "30"
    assert ratio_agrees("455.04", "707.83", "69%").severity == "error"


def test_ratio_narrative_shares_ok() -> None:
    assert ratio_agrees("217.74", "504.77", "43.1%").ok
    assert ratio_agrees("399.22", "466.80", "85.5%").ok
    assert ratio_agrees("26.96", "28.38", "95%").ok


@pytest.mark.parametrize("den", ["0", "0.00", "", None])
def test_ratio_zero_denominator(den: str | None) -> None:
    v = ratio_agrees("42.5", den, "100.0%")  # type: ignore[arg-type]
    assert v.zero_denominator and v.severity == "info" and v.reason == "zero denominator" and not v.ok


def test_ratio_uncapped_is_plain_interval_rule() -> None:
    # without the slack cap, 16.24 / 21 spans 77.29…77.38 and meets 77.4's interval
    assert ratio_agrees("16.24", "21", "77.4%", ratio_slack=None).ok
    # and reading amounts at their own printed precision widens further
    assert ratio_agrees("1.6", "1.8", "88.8%", amount_places=None, ratio_slack=None).ok


def test_negative_truncation() -> None:
    v = sum_agrees("-1.2", ["-1.29"], amount_places=None)
    assert v.severity == "info"
