"""Sessions table: one item per sign-in, holding the hash of its current refresh token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core.clock import now
from chalicelib.core.models import SessionModel
from chalicelib.core.store import bound


@dataclass(frozen=True)
class Session:
    family_id: str
    username: str
    token_epoch: int


def create_session(
    family_id: str, username: str, secret_hash: str, token_epoch: int, ttl_seconds: int
) -> None:
    stamp = now()
    bound(SessionModel)(
        family_id,
        username=username,
        secret_hash=secret_hash,
        generation=0,
        token_epoch=token_epoch,
        revoked=False,
        created_at=stamp,
        expires_at=stamp + timedelta(seconds=ttl_seconds),
    ).save(condition=SessionModel.family_id.does_not_exist())


def rotate_session(family_id: str, presented_hash: str, new_hash: str) -> Session | None:
    """Swap the current refresh token for a new one in one conditional write.

    A token that is not the current one (already rotated, revoked, expired) gets None, and
    a rotated token presented again revokes the whole family: it was copied (RFC 9700 4.14).
    """
    item = bound(SessionModel)(family_id)
    condition = (
        (SessionModel.secret_hash == presented_hash)
        & (SessionModel.revoked == False)  # noqa: E712 - a PynamoDB condition, not a bool test
        & (SessionModel.expires_at > now())
    )
    try:
        item.update(
            actions=[SessionModel.secret_hash.set(new_hash), SessionModel.generation.add(1)],
            condition=condition,
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        revoke_session(family_id)
        return None
    return Session(item.family_id, item.username, int(item.token_epoch))


def revoke_session(family_id: str) -> None:
    try:
        bound(SessionModel)(family_id).update(
            actions=[SessionModel.revoked.set(True)],
            condition=SessionModel.family_id.exists(),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def get_session(family_id: str) -> SessionModel | None:
    try:
        return bound(SessionModel).get(family_id, consistent_read=True)
    except DoesNotExist:
        return None
