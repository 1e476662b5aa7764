"""The store's notion of now (patched by tests that move time)."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def epoch() -> float:
    return time.time()
