"""The app's notion of now, the one every module reads (tests that move time patch these, or
the module-level names bound to them).

`today()` is the date on the schools' wall clock (Africa/Casablanca): campaigns open and
close on local days, and an absence cannot be recorded for a local day to come.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

LOCAL_ZONE = "Africa/Casablanca"
# Morocco is UTC+1 outside Ramadan; used only if the system has no time-zone database.
_FALLBACK = timezone(timedelta(hours=1))


def now() -> datetime:
    return datetime.now(UTC)


def epoch() -> float:
    return time.time()


@lru_cache(maxsize=4)
def zone(name: str = LOCAL_ZONE) -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, KeyError, ValueError, OSError):
        return _FALLBACK


def today(zone_name: str = LOCAL_ZONE) -> date:
    """The date now on the wall clock of `zone_name` (Casablanca's unless told)."""
    return now().astimezone(zone(zone_name)).date()
