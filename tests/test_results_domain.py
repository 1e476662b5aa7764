"""The average formulas on worked examples (issue 6's rules, defaults documented in
chalicelib/school_life/marks/rules.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from chalicelib.school_life.marks.rules import (
    ResultRules,
    parse_mark,
    round_half_up,
    semester_average,
    subject_average,
    year_average,
)


def test_marks_are_read_with_a_comma_or_a_dot_and_absent() -> None:
    assert parse_mark("15,25") == D("15.25")
    assert parse_mark(" 9.5 ") == D("9.5")
    assert parse_mark("absent") is None
    for bad in ("21", "-1", "12.345", "douze"):
        with pytest.raises((ValueError, ArithmeticError)):
            parse_mark(bad)


def test_rounding_is_half_up_to_two_places() -> None:
    assert round_half_up(D("12.345")) == D("12.35")
    assert round_half_up(D("12.344")) == D("12.34")
    assert round_half_up(D("0.005")) == D("0.01")


def test_subject_average_worked_example() -> None:
    # Maths: 14.5, 12.25, absent → (14.5 + 12.25 + 0) / 3 = 8.9166… → 8.92
    maths = subject_average("maths", D(4), [D("14.5"), D("12.25"), None])
    assert maths.average == D("8.92")
    # With absences left out: (14.5 + 12.25) / 2 = 13.375 → 13.38
    lenient = ResultRules(absent_counts_as_zero=False)
    assert subject_average("maths", D(4), [D("14.5"), D("12.25"), None], lenient).average == D(
        "13.38"
    )
    assert subject_average("art", D(1), []).average is None


def test_semester_average_is_weighted_by_coefficients() -> None:
    # Arabic 15 (coef 3), French 12.5 (coef 3), maths 10 (coef 4), PE none:
    # (45 + 37.5 + 40) / 10 = 12.25
    subjects = [
        subject_average("arabic", D(3), [D(15)]),
        subject_average("french", D(3), [D("12.5")]),
        subject_average("maths", D(4), [D(10)]),
        subject_average("pe", D(1), []),
    ]
    result = semester_average(subjects)
    assert result.average == D("12.25")
    assert result.counted == ("arabic", "french", "maths")  # what the figure came from


def test_year_average() -> None:
    assert year_average(D("12.25"), D("13.50")) == D("12.88")  # 12.875 → 12.88
    weighted = ResultRules(semester_weights=(D(1), D(2)))
    assert year_average(D("12"), D("15"), weighted) == D("14.00")
    assert year_average(None, D("11.11")) == D("11.11")
    assert year_average(None, None) is None
