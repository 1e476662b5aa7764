"""Values kept in Secrets Manager (signing keys, the hashing key, the edge secret), read on
first need and kept five minutes: one read per secret and container, and a rotation shows
within five minutes. The one cache every reader of a secret goes through.
"""

from __future__ import annotations

import time

from chalicelib.core.logs import logger

# How long a value read is kept; a read that failed (`secret_value_or_none`), a shorter while.
CACHE_SECONDS = 300
FAILED_READ_CACHE_SECONDS = 30

_cache: dict[str, tuple[float, str | None]] = {}  # arn → (kept until, value; None: failed)


def _read(arn: str) -> str:
    from chalicelib.core.aws_clients import client

    raw = client("secretsmanager").get_secret_value(SecretId=arn)
    return str(raw.get("SecretString") or "")


def _kept(arn: str) -> tuple[float, str | None] | None:
    found = _cache.get(arn)
    return found if found is not None and time.monotonic() < found[0] else None


def secret_value(arn: str) -> str:
    """The secret's string; a failed read raises (and is tried again at the next call)."""
    found = _kept(arn)
    if found is not None and found[1] is not None:
        return found[1]
    value = _read(arn)
    _cache[arn] = (time.monotonic() + CACHE_SECONDS, value)
    return value


def secret_value_or_none(arn: str, what: str) -> str | None:
    """The secret's string, or None when it cannot be read or is empty (logged as `what`),
    for a secret whose absence fails safe; None is kept FAILED_READ_CACHE_SECONDS, so an
    outage costs one read per half minute, not one per request."""
    found = _kept(arn)
    if found is not None:
        return found[1]
    try:
        value: str | None = _read(arn) or None
    except Exception:  # an outage must not fail the request: the caller does without
        logger.exception(what)
        value = None
    ttl = CACHE_SECONDS if value else FAILED_READ_CACHE_SECONDS
    _cache[arn] = (time.monotonic() + ttl, value)
    return value


def forget_secret_values() -> None:
    """Read every secret again at its next use (tests, and after a rotation)."""
    _cache.clear()
