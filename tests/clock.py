"""Dates for tests, taken relative to the app's clock, never written as calendar literals that
turn from future to past as the days go by."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CASABLANCA = ZoneInfo("Africa/Casablanca")


def casablanca_today(days_ahead: int = 0) -> date:
    """The date in Casablanca on the app's clock, read when called (never at import: a suite
    that runs across midnight must compare with the day the app sees), `days_ahead` on."""
    from chalicelib.core.clock import now

    return now().astimezone(CASABLANCA).date() + timedelta(days=days_ahead)


def casablanca_on(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Casablanca on `day`, with the offset of that date (Morocco's
    offset changes around Ramadan)."""
    return datetime.combine(day, time(hour, minute), tzinfo=CASABLANCA)


def casablanca_at(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Casablanca `days_ahead` days after today there, with the offset
    of that date (Morocco's offset changes around Ramadan)."""
    return casablanca_on(casablanca_today(days_ahead), hour, minute)


def school_year_start(day: date | None = None) -> int:
    """The calendar year in which the school year of `day` (today by default) began:
    Moroccan school years run from 1 September to 31 August."""
    day = day or casablanca_today()
    return day.year if day.month >= 9 else day.year - 1


def school_year_of(day: date) -> str:
    """`2026-2027` for any day from 1 September 2026 to 31 August 2027."""
    first = school_year_start(day)
    return f"{first}-{first + 1}"


def school_year_day(years_back: int, month: int, day: int) -> date:
    """The `day`/`month` of the school year `years_back` years before today's. With
    `years_back >= 1` it is always in the past, and it stays the same date all school year
    long (a test that crosses midnight gets the same day twice)."""
    first = school_year_start() - years_back
    return date(first if month >= 9 else first + 1, month, day)


def ics_utc(moment: datetime) -> str:
    """The moment as an iCalendar UTC date-time (`20261208T090000Z`)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
