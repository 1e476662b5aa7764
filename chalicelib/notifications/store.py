"""Outbox table: notifications waiting to be sent, and the record of each send.

States (NotificationStatus): pending (written with the change) → sending (claimed by one
sender, under a lease) → sent | failed; a transient failure puts it back to queued. Every
change is a conditional update, so a redelivered queue message or a replayed stream record
finds the item already claimed or sent and changes nothing: the outbox id is the
idempotency key of the send.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import MapAttribute
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.clock import epoch, now
from chalicelib.core.cursors import decode_cursor, encode_cursor
from chalicelib.core.errors import InvalidFields
from chalicelib.core.models import OutboxModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications.rules import (
    CLAIMABLE,
    Channel,
    Contact,
    DeliveryStatus,
    Language,
    Notification,
    NotificationStatus,
)

# Sent and failed notifications are kept this long for look-ups, then expire.
RETENTION = timedelta(days=90)


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class OutboxRecord:
    notification: Notification
    status: NotificationStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    provider_message_id: str | None
    failure_reason: str | None
    delivery_status: DeliveryStatus | None = None
    delivery_detail: str | None = None
    delivery_at: datetime | None = None
    fallback_id: str | None = None
    fallback_of: str | None = None
    resend_of: str | None = None
    lease_until: int | None = None


def normalise_recipient(channel: Channel, recipient: str) -> str:
    """One spelling per recipient, so that look-ups by recipient find every message."""
    value = recipient.strip()
    return value.lower() if channel is Channel.EMAIL else value.replace(" ", "")


def _new_item(
    notification: Notification, *, fallback_of: str | None = None, resend_of: str | None = None
) -> OutboxModel:
    fallback = notification.fallback
    return bound(OutboxModel)(
        notification.id,
        template=notification.template,
        channel=notification.channel.value,
        recipient=normalise_recipient(notification.channel, notification.recipient),
        language=notification.language.value,
        params=dict(notification.params),
        secret_params=dict(notification.secret_params) or None,
        status=NotificationStatus.PENDING.value,
        attempts=0,
        created_at=now(),
        fallback_channel=fallback.channel.value if fallback else None,
        fallback_recipient=(
            normalise_recipient(fallback.channel, fallback.recipient) if fallback else None
        ),
        fallback_of=fallback_of,
        resend_of=resend_of,
        secret_until=notification.secret_until,
        # An unsent item whose secret no longer works is deleted by the table's TTL; once
        # sent or failed, the secret is removed and the record kept (RETENTION).
        expires_at=(
            datetime.fromtimestamp(notification.secret_until + 3600, UTC)
            if notification.secret_until
            else None
        ),
    )


def add_to_transaction(transaction: TransactWrite, notification: Notification) -> None:
    """Queue a notification inside the caller's transaction (the outbox pattern)."""
    transaction.save(_new_item(notification), condition=OutboxModel.id.does_not_exist())


def put_notification(notification: Notification, *, resend_of: str | None = None) -> bool:
    """Queue a notification on its own (a change with no other write, e.g. a resend).
    False when a notification with that id exists already (nothing is written)."""
    try:
        _new_item(notification, resend_of=resend_of).save(condition=OutboxModel.id.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _plain(value: MapAttribute[str, str] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.as_dict().items()} if value else {}


def _record(item: OutboxModel) -> OutboxRecord:
    fallback = (
        Contact(Channel(item.fallback_channel), item.fallback_recipient)
        if item.fallback_channel and item.fallback_recipient
        else None
    )
    return OutboxRecord(
        notification=Notification(
            id=item.id,
            template=item.template,
            channel=Channel(item.channel),
            recipient=item.recipient,
            language=Language(item.language),
            params=_plain(item.params),
            secret_params=_plain(item.secret_params),
            fallback=fallback,
            secret_until=int(item.secret_until) if item.secret_until is not None else None,
        ),
        status=NotificationStatus(item.status),
        attempts=int(item.attempts or 0),
        created_at=item.created_at,
        sent_at=item.sent_at,
        provider_message_id=item.provider_message_id,
        failure_reason=item.failure_reason,
        delivery_status=DeliveryStatus(item.delivery_status) if item.delivery_status else None,
        delivery_detail=item.delivery_detail,
        delivery_at=item.delivery_at,
        fallback_id=item.fallback_id,
        fallback_of=item.fallback_of,
        resend_of=item.resend_of,
        lease_until=int(item.lease_until) if item.lease_until is not None else None,
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


def mark_sent(notification_id: str, provider_message_id: str) -> bool:
    """Sent: keep the provider's id, forget the secrets, let the record expire later."""
    return (
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
        is not None
    )


def _failed_actions(reason: str) -> list[Any]:
    return [
        OutboxModel.status.set(NotificationStatus.FAILED.value),
        OutboxModel.failure_reason.set(reason[:500]),
        OutboxModel.secret_params.remove(),
        OutboxModel.lease_until.remove(),
        OutboxModel.expires_at.set(now() + RETENTION),
    ]


def _with_fallback(
    notification_id: str,
    actions: list[Any],
    condition: Any,
    fallback: Notification,
) -> bool:
    """The update and the fallback notification, in one transaction; the fallback is
    written once whatever happens (its id is derived from the original's)."""
    transaction = Transaction()
    transaction.update(
        "notification",
        bound(OutboxModel)(notification_id),
        [*actions, OutboxModel.fallback_id.set(fallback.id)],
        condition,
    )
    transaction.put(
        "fallback",
        _new_item(fallback, fallback_of=notification_id),
        OutboxModel.id.does_not_exist(),
    )
    return not transaction.commit_or_refused()


def mark_failed(notification_id: str, reason: str, fallback: Notification | None = None) -> bool:
    """Failed for good; with `fallback`, the same message on the recipient's other channel
    is queued in the same transaction."""
    condition = OutboxModel.status == NotificationStatus.SENDING.value
    if fallback is not None:
        return _with_fallback(notification_id, _failed_actions(reason), condition, fallback)
    return _conditional_update(notification_id, _failed_actions(reason), condition) is not None


def release(notification_id: str, reason: str) -> bool:
    """Give a claimed notification back after a transient failure, for the next delivery."""
    return (
        _conditional_update(
            notification_id,
            [
                OutboxModel.status.set(NotificationStatus.QUEUED.value),
                OutboxModel.failure_reason.set(reason[:500]),
                OutboxModel.lease_until.remove(),
            ],
            OutboxModel.status == NotificationStatus.SENDING.value,
        )
        is not None
    )


def record_delivery(
    notification_id: str,
    provider_message_id: str,
    status: DeliveryStatus,
    detail: str | None,
    at: datetime,
    fallback: Notification | None = None,
) -> bool:
    """What the provider said after the send. A notification still `sending` (its sender
    died between the provider's answer and `mark_sent`) is sent: the provider says so."""
    actions: list[Any] = [
        OutboxModel.status.set(NotificationStatus.SENT.value),
        OutboxModel.provider_message_id.set(provider_message_id),
        OutboxModel.delivery_status.set(status.value),
        OutboxModel.delivery_at.set(at),
        OutboxModel.lease_until.remove(),
        OutboxModel.secret_params.remove(),
        OutboxModel.expires_at.set(now() + RETENTION),
    ]
    actions.append(
        OutboxModel.delivery_detail.set(detail[:500])
        if detail
        else OutboxModel.delivery_detail.remove()
    )
    condition = OutboxModel.status.is_in(
        NotificationStatus.SENT.value, NotificationStatus.SENDING.value
    )
    if fallback is not None:
        return _with_fallback(
            notification_id, actions, condition & OutboxModel.fallback_id.does_not_exist(), fallback
        ) or (_conditional_update(notification_id, actions, condition) is not None)
    return _conditional_update(notification_id, actions, condition) is not None


def find_by_provider_id(provider_message_id: str) -> str | None:
    """The notification the provider's message id belongs to (the GSI is eventually
    consistent: a feedback event may arrive before it shows; the caller retries)."""
    for item in bound(OutboxModel).by_provider_id.query(provider_message_id, limit=1):
        return str(item.id)
    return None


def _start_key(cursor: str | None, recipient: str) -> dict[str, Any] | None:
    try:
        return decode_cursor(cursor, {"recipient": recipient})
    except InvalidFields as error:  # this API answers its own 422 (`InvalidCursor`)
        raise InvalidCursor(cursor) from error


def list_for_recipient(
    channel: Channel, recipient: str, limit: int, cursor: str | None
) -> tuple[Sequence[OutboxRecord], str | None]:
    """The notifications sent to one address or number, newest first, one page."""
    key = normalise_recipient(channel, recipient)
    results = bound(OutboxModel).by_recipient.query(
        key,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=_start_key(cursor, key),
    )
    records = [_record(item) for item in results]
    return records, encode_cursor(results.last_evaluated_key)
