"""Throttle counters: failure states for sign-in and hourly rate limits."""

from __future__ import annotations

from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.core.models import ThrottleModel
from chalicelib.core.store import bound
from chalicelib.core.throttling import HOUR, FailureState, RateLimit


def failure_state(raw: dict[str, Any] | None) -> tuple[FailureState, int | None]:
    """The failure state in a raw item, and the stored count to condition a write on."""
    if raw is None:
        return FailureState(), None
    item = bound(ThrottleModel).from_raw_data(raw)
    state = FailureState(
        int(item.hits or 0), int(item.window_start or 0), int(item.locked_until or 0)
    )
    return state, state.count


def get_failure_state(key: str) -> tuple[FailureState, int | None]:
    """One failure counter on its own (a signed-in caller's re-authentication)."""
    from pynamodb.exceptions import DoesNotExist

    try:
        item = bound(ThrottleModel).get(key, consistent_read=True)
    except DoesNotExist:
        return FailureState(), None
    state = FailureState(
        int(item.hits or 0), int(item.window_start or 0), int(item.locked_until or 0)
    )
    return state, state.count


def save_failure_state(
    transaction: TransactWrite, key: str, state: FailureState, stored_count: int | None
) -> None:
    """Write the new state; a concurrent failure on the same key makes the write fail."""
    item = bound(ThrottleModel)(
        key,
        hits=state.count,
        window_start=state.window_start,
        locked_until=state.locked_until,
        expires_at=_expiry(max(state.locked_until, state.window_start + HOUR)),
    )
    condition = (
        ThrottleModel.key.does_not_exist()
        if stored_count is None
        else ThrottleModel.hits == stored_count
    )
    transaction.save(item, condition=condition)


def clear_failures(keys: list[str]) -> None:
    for key in keys:
        bound(ThrottleModel)(key).delete()


def count_within_limit(
    transaction: TransactWrite, limit: RateLimit, subject: str, now: int
) -> None:
    """Count one event against an hourly limit; the transaction fails past the limit."""
    key = limit.key(subject, now)
    item = bound(ThrottleModel)(key)
    transaction.update(
        item,
        actions=[
            ThrottleModel.hits.add(1),
            ThrottleModel.expires_at.set(_expiry(now + HOUR)),
        ],
        condition=ThrottleModel.hits.does_not_exist() | (ThrottleModel.hits < limit.limit),
    )


def _expiry(epoch_seconds: int) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch_seconds + 60, UTC)


def hits(limit: RateLimit, subject: str, now: int) -> int:
    """How many events `limit` counted for `subject` in the current hour."""
    from pynamodb.exceptions import DoesNotExist

    try:
        item = bound(ThrottleModel).get(limit.key(subject, now), consistent_read=True)
    except DoesNotExist:
        return 0
    return int(item.hits or 0)


def count(limit: RateLimit, subject: str, now: int) -> bool:
    """Count one event on its own; False when the hour's limit was already reached.

    A conditional UpdateItem, not a one-item transaction: concurrent counts of one subject
    (parents behind one carrier address submitting at the campaign's opening) queue on the
    item instead of cancelling each other with TransactionConflict, which this read as
    "limit reached" and answered 429."""
    from pynamodb.exceptions import UpdateError

    try:
        bound(ThrottleModel)(limit.key(subject, now)).update(
            actions=[
                ThrottleModel.hits.add(1),
                ThrottleModel.expires_at.set(_expiry(now + HOUR)),
            ],
            condition=ThrottleModel.hits.does_not_exist() | (ThrottleModel.hits < limit.limit),
        )
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
