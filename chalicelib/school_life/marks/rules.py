"""School results: subject, semester and year averages.

Marks are out of 20 with two decimals, or absent. Every figure keeps what it was computed
from, so a parent can be shown where a number comes from. Rounding is to two decimals,
half up (12.345 → 12.35), applied to each published figure, never to intermediate sums.
The formulas are configuration (`ResultRules`) with the defaults documented below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
MAX_MARK = Decimal(20)


def round_half_up(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def parse_mark(raw: str) -> Decimal | None:
    """`"15,25"` or `"15.25"` → 15.25; `"absent"` → None; anything else raises ValueError."""
    text = raw.strip().lower()
    if text in ("absent", "abs"):
        return None
    value = Decimal(text.replace(",", "."))
    if not (0 <= value <= MAX_MARK) or value != value.quantize(TWO_PLACES):
        raise ValueError("a mark is between 0 and 20 with at most two decimals")
    return value


@dataclass(frozen=True)
class ResultRules:
    """How averages are made. Defaults: a subject's average is the mean of its marks; an
    absence counts as 0 (set False to leave it out); a semester average is weighted by the
    subjects' coefficients; the year average weighs the two semesters equally."""

    absent_counts_as_zero: bool = True
    semester_weights: tuple[Decimal, Decimal] = (Decimal(1), Decimal(1))


@dataclass(frozen=True)
class SubjectResult:
    subject: str
    coefficient: Decimal
    marks: tuple[Decimal | None, ...]
    average: Decimal | None  # None when there is nothing to average


@dataclass(frozen=True)
class SemesterResult:
    subjects: tuple[SubjectResult, ...]
    average: Decimal | None
    counted: tuple[str, ...] = field(default=())  # subjects that entered the average


def subject_average(
    subject: str,
    coefficient: Decimal,
    marks: Sequence[Decimal | None],
    rules: ResultRules = ResultRules(),
) -> SubjectResult:
    values = [
        m if m is not None else Decimal(0)
        for m in marks
        if m is not None or rules.absent_counts_as_zero
    ]
    average = round_half_up(sum(values, Decimal(0)) / len(values)) if values else None
    return SubjectResult(subject, coefficient, tuple(marks), average)


def semester_average(subjects: Sequence[SubjectResult]) -> SemesterResult:
    """Σ(subject average × coefficient) / Σ coefficients, over subjects that have one."""
    counted = [s for s in subjects if s.average is not None and s.coefficient > 0]
    weight = sum((s.coefficient for s in counted), Decimal(0))
    if not counted or weight == 0:
        return SemesterResult(tuple(subjects), None)
    total = sum((s.average * s.coefficient for s in counted if s.average is not None), Decimal(0))
    return SemesterResult(
        tuple(subjects), round_half_up(total / weight), tuple(s.subject for s in counted)
    )


def year_average(
    first: Decimal | None,
    second: Decimal | None,
    rules: ResultRules = ResultRules(),
) -> Decimal | None:
    """Weighted mean of the two semesters' averages; one semester alone is the average."""
    pairs = [
        (a, w)
        for a, w in zip((first, second), rules.semester_weights, strict=True)
        if a is not None
    ]
    if not pairs:
        return None
    weight = sum((w for _, w in pairs), Decimal(0))
    return round_half_up(sum((a * w for a, w in pairs), Decimal(0)) / weight)


# --- A drop in marks (seed 002: parents told at once of a drop in marks) -----------------


@dataclass(frozen=True)
class DropAlertRules:
    """When a subject's semester average tells the parents: below `below` (out of 20), or
    `drop` points or more under the same subject's average of the previous semester
    (settings MARKS_ALERT_BELOW and MARKS_ALERT_DROP)."""

    below: Decimal = Decimal(10)
    drop: Decimal = Decimal(3)


def drop_reason(
    average: Decimal | None, previous: Decimal | None, rules: DropAlertRules = DropAlertRules()
) -> str | None:
    """`"below"`, `"drop"` or None (no alert: nothing to average, or the average is fine)."""
    if average is None:
        return None
    if average < rules.below:
        return "below"
    if previous is not None and previous - average >= rules.drop:
        return "drop"
    return None


def previous_semester(school_year: str, semester: int) -> tuple[str, int]:
    """The semester before: S1 of the same year for S2, S2 of the year before for S1."""
    if semester == 2:
        return school_year, 1
    first = int(school_year[:4]) - 1
    return f"{first}-{first + 1}", 2
