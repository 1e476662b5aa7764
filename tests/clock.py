"""Dates for tests, taken relative to the app's clock, never written as calendar literals that
turn from future to past as the days go by."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

CASABLANCA = ZoneInfo("Africa/Casablanca")


def casablanca_at(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Casablanca `days_ahead` days after today there, with the offset
    of that date (Morocco's offset changes around Ramadan)."""
    from chalicelib.core.clock import now

    day = now().astimezone(CASABLANCA).date() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour, minute), tzinfo=CASABLANCA)


def ics_utc(moment: datetime) -> str:
    """The moment as an iCalendar UTC date-time (`20261208T090000Z`)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
