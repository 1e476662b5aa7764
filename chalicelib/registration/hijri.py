"""Hijri birth dates, checked against the Gregorian one.

Conversions use the Umm al-Qura calendar (hijridate, imported on first use). Moroccan
civil status records follow the local sighting of the new moon, which may start a month
a day or two away from Umm al-Qura, so the two dates of a birth certificate agree when
they are at most `TOLERANCE_DAYS` apart; a day 30 that Umm al-Qura does not have (its
month has 29 days) is read as the day after the 29th.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

TOLERANCE_DAYS = 2
_HIJRI = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class HijriProblem(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_hijri(text: str) -> tuple[int, int, int]:
    """`YYYY-MM-DD` (Hijri year, month 1–12, day 1–30); HijriProblem otherwise."""
    found = _HIJRI.match(text.strip())
    if not found:
        raise HijriProblem("hijri_format")
    year, month, day = (int(part) for part in found.groups())
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise HijriProblem("hijri_format")
    return year, month, day


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    from hijridate import Hijri

    try:
        if day == 30 and Hijri(year, month, 1).month_length() == 29:
            return Hijri(year, month, 29).to_gregorian() + timedelta(days=1)
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as error:
        raise HijriProblem("hijri_out_of_range") from error


def gregorian_to_hijri(day: date) -> str:
    from hijridate import Gregorian

    try:
        converted = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError) as error:
        raise HijriProblem("hijri_out_of_range") from error
    return f"{converted.year:04d}-{converted.month:02d}-{converted.day:02d}"


def hijri_matches(gregorian: date, hijri: str, tolerance_days: int = TOLERANCE_DAYS) -> bool:
    """True when the Hijri date names the same day as the Gregorian one, within tolerance.
    HijriProblem when the Hijri date is malformed or outside the convertible years."""
    converted = hijri_to_gregorian(*parse_hijri(hijri))
    return abs((converted - gregorian).days) <= tolerance_days
