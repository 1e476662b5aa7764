"""Following an application with its tracking code alone: the SMS carries only
the code, so the code must be enough. 12 symbols of 31 (about 59 bits) cannot be guessed,
and wrong codes are rate-limited per source address; a source over its limit is refused
before any lookup, so it cannot tell a right code from a wrong one any more."""

from __future__ import annotations

from chalicelib.core import throttles_store as throttles
from chalicelib.core.clock import epoch
from chalicelib.core.errors import NotFound, TooManyAttempts
from chalicelib.core.secrets import digest
from chalicelib.core.throttling import (
    SUBMISSIONS_PER_SOURCE,
    TRACKING_MISSES_PER_SOURCE,
    RateLimit,
)
from chalicelib.registration import store
from chalicelib.registration.rules import normalise_tracking_code
from chalicelib.registration.service import Viewed


def count_submission(source: str) -> None:
    """Anonymous applications per source address and hour (SUBMISSIONS_PER_SOURCE): a
    script cannot file hundreds of applications, each sending a receipt to a number it
    names. Generous, since parents of a school or a town may share one carrier address."""
    moment = int(epoch())
    if not throttles.count(SUBMISSIONS_PER_SOURCE, source, moment):
        raise TooManyAttempts(RateLimit.seconds_left_in_hour(moment))


def follow(tracking_code: str, source: str) -> Viewed:
    moment = int(epoch())
    limit = TRACKING_MISSES_PER_SOURCE
    if throttles.hits(limit, source, moment) >= limit.limit:
        raise TooManyAttempts(RateLimit.seconds_left_in_hour(moment))
    found = store.id_by_tracking_hash(digest(normalise_tracking_code(tracking_code)))
    registration = store.get(found) if found else None
    if registration is None:
        if not throttles.count(limit, source, moment):
            raise TooManyAttempts(RateLimit.seconds_left_in_hour(moment))
        raise NotFound("registration")
    return Viewed(registration, False)
