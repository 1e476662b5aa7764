"""Idempotency table: the first answer to a creating request, kept 24 hours.

`begin` claims a key with one conditional put. The claim fails when the key is held: by
a finished request (its answer is replayed) or by one still running (a lease; a request
that died without finishing frees the key when its lease runs out). Expired records are
treated as absent on read, since DynamoDB's TTL deletes them only eventually (and moto
never does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from botocore.exceptions import ClientError
from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.core.clock import now
from chalicelib.core.models import IdempotencyModel
from chalicelib.core.store import bound, connection

RETENTION = timedelta(hours=24)
# Longer than the API Lambda's timeout (10 s): a live request never loses its claim.
LEASE_SECONDS = 30
IN_PROGRESS = "in_progress"
DONE = "done"


@dataclass(frozen=True)
class Stored:
    body_hash: str
    state: str
    status_code: int | None
    response_body: str | None


def _from_raw(raw: dict[str, dict[str, str]]) -> Stored | None:
    item = bound(IdempotencyModel).from_raw_data(raw)
    moment = now().timestamp()
    if item.expires_at is not None and item.expires_at.timestamp() < moment:
        return None
    if item.state == IN_PROGRESS and item.lease_until < moment:
        return None
    return Stored(
        item.body_hash,
        item.state,
        int(item.status_code) if item.status_code is not None else None,
        item.response_body,
    )


def begin(key: str, body_hash: str) -> Stored | None:
    """Claim `key` for this request: None when claimed, else what holds it."""
    stamp = now()
    moment = stamp.timestamp()
    item = bound(IdempotencyModel)(
        key,
        body_hash=body_hash,
        state=IN_PROGRESS,
        lease_until=int(moment) + LEASE_SECONDS,
        created_at=stamp,
        expires_at=stamp + RETENTION,
    )
    free = (
        IdempotencyModel.key.does_not_exist()
        | (IdempotencyModel.expires_at < stamp)
        | ((IdempotencyModel.state == IN_PROGRESS) & (IdempotencyModel.lease_until < int(moment)))
    )
    kwargs = item.get_save_kwargs_from_instance(
        condition=free, return_values_on_condition_failure="ALL_OLD"
    )
    try:
        # The held record comes back with the refusal: no second read.
        connection().client.put_item(**kwargs)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        raw = error.response.get("Item") or {}
        held = _from_raw(raw) if raw else None
        # Freed between the check and now (lease or TTL ran out): one more claim.
        return held or _retry(item, free)
    return None


def _retry(item: IdempotencyModel, free: object) -> Stored | None:
    try:
        item.save(condition=free)  # type: ignore[arg-type]
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return Stored(item.body_hash, IN_PROGRESS, None, None)
        raise
    return None


def finish(key: str, body_hash: str, status_code: int, response_body: str) -> None:
    """Keep the answer for replays (only while this request still holds the key)."""
    item = bound(IdempotencyModel)(key)
    try:
        item.update(
            actions=[
                IdempotencyModel.state.set(DONE),
                IdempotencyModel.status_code.set(status_code),
                IdempotencyModel.response_body.set(response_body),
            ],
            condition=(IdempotencyModel.body_hash == body_hash)
            & (IdempotencyModel.state == IN_PROGRESS),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def abandon(key: str, body_hash: str) -> None:
    """Free the key after a failure the client may retry (a 5xx is never stored)."""
    try:
        bound(IdempotencyModel)(key).delete(
            condition=(IdempotencyModel.body_hash == body_hash)
            & (IdempotencyModel.state == IN_PROGRESS)
        )
    except DeleteError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
