"""Outbox table: notifications waiting to be sent, and the record of each send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import MapAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.notifications import (
    CLAIMABLE,
    Channel,
    Language,
    Notification,
    NotificationStatus,
)
from chalicelib.store.base import bound
from chalicelib.store.clock import epoch, now
from chalicelib.store.models import OutboxModel

# Sent and failed notifications are kept this long for look-ups, then expire.
RETENTION = timedelta(days=90)


@dataclass(frozen=True)
class OutboxRecord:
    notification: Notification
    status: NotificationStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    provider_message_id: str | None
    failure_reason: str | None


def _new_item(notification: Notification) -> OutboxModel:
    return bound(OutboxModel)(
        notification.id,
        template=notification.template,
        channel=notification.channel.value,
        recipient=notification.recipient,
        language=notification.language.value,
        params=dict(notification.params),
        secret_params=dict(notification.secret_params) or None,
        status=NotificationStatus.PENDING.value,
        attempts=0,
        created_at=now(),
    )


def add_to_transaction(transaction: TransactWrite, notification: Notification) -> None:
    """Queue a notification inside the caller's transaction (the outbox pattern)."""
    transaction.save(_new_item(notification), condition=OutboxModel.id.does_not_exist())


def put_notification(notification: Notification) -> None:
    """Queue a notification on its own (a change with no other write, e.g. a resend)."""
    _new_item(notification).save(condition=OutboxModel.id.does_not_exist())


def _plain(value: MapAttribute[str, str] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.as_dict().items()} if value else {}


def _record(item: OutboxModel) -> OutboxRecord:
    return OutboxRecord(
        notification=Notification(
            id=item.id,
            template=item.template,
            channel=Channel(item.channel),
            recipient=item.recipient,
            language=Language(item.language),
            params=_plain(item.params),
            secret_params=_plain(item.secret_params),
        ),
        status=NotificationStatus(item.status),
        attempts=int(item.attempts or 0),
        created_at=item.created_at,
        sent_at=item.sent_at,
        provider_message_id=item.provider_message_id,
        failure_reason=item.failure_reason,
    )


def get_record(notification_id: str) -> OutboxRecord | None:
    try:
        return _record(bound(OutboxModel).get(notification_id, consistent_read=True))
    except DoesNotExist:
        return None


def _conditional_update(
    notification_id: str, actions: list[Any], condition: Any
) -> OutboxModel | None:
    item = bound(OutboxModel)(notification_id)
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return item


def claim_for_sending(notification_id: str, lease_seconds: int) -> OutboxRecord | None:
    """Take the notification for one send attempt, or None when another sender has it or it
    was sent already. The lease lets a crashed attempt be retried after it runs out."""
    moment = epoch()
    claimable = OutboxModel.status.is_in(*(s.value for s in CLAIMABLE)) | (
        (OutboxModel.status == NotificationStatus.SENDING.value)
        & (OutboxModel.lease_until < moment)
    )
    item = _conditional_update(
        notification_id,
        [
            OutboxModel.status.set(NotificationStatus.SENDING.value),
            OutboxModel.lease_until.set(int(moment) + lease_seconds),
            OutboxModel.attempts.add(1),
        ],
        OutboxModel.id.exists() & claimable,
    )
    return _record(item) if item is not None else None


def mark_sent(notification_id: str, provider_message_id: str) -> None:
    """Sent: keep the provider's id, forget the secrets, let the record expire later."""
    _conditional_update(
        notification_id,
        [
            OutboxModel.status.set(NotificationStatus.SENT.value),
            OutboxModel.provider_message_id.set(provider_message_id),
            OutboxModel.sent_at.set(now()),
            OutboxModel.secret_params.remove(),
            OutboxModel.lease_until.remove(),
            OutboxModel.expires_at.set(now() + RETENTION),
        ],
        OutboxModel.status == NotificationStatus.SENDING.value,
    )


def mark_failed(notification_id: str, reason: str) -> None:
    _conditional_update(
        notification_id,
        [
            OutboxModel.status.set(NotificationStatus.FAILED.value),
            OutboxModel.failure_reason.set(reason[:500]),
            OutboxModel.secret_params.remove(),
            OutboxModel.lease_until.remove(),
            OutboxModel.expires_at.set(now() + RETENTION),
        ],
        OutboxModel.status == NotificationStatus.SENDING.value,
    )


def release(notification_id: str, reason: str) -> None:
    """Give a claimed notification back after a transient failure, for the next delivery."""
    _conditional_update(
        notification_id,
        [
            OutboxModel.status.set(NotificationStatus.QUEUED.value),
            OutboxModel.failure_reason.set(reason[:500]),
            OutboxModel.lease_until.remove(),
        ],
        OutboxModel.status == NotificationStatus.SENDING.value,
    )
