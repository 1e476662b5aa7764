"""Moving notifications from the outbox to the recipient, once.

relay: outbox stream → notify queue (only the id travels; the item stays the truth).
deliver: notify queue → claim → render → SES/SNS → mark sent. The outbox id is the
idempotency key: a redelivered message or replayed stream record finds the item claimed
or sent and does nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chalicelib.aws_clients import client
from chalicelib.config import settings
from chalicelib.domain.notifications import NotificationStatus
from chalicelib.logs import logger
from chalicelib.store import outbox as outbox_store

# Longer than one send can take (SDK timeouts and retries), shorter than the queue's
# visibility timeout, so a crashed attempt is retried on the next delivery.
SEND_LEASE_SECONDS = 30


@dataclass(frozen=True)
class OutboxChange:
    """What the relay needs from one stream record."""

    sequence_number: str
    event_name: str
    notification_id: str | None
    status: str | None


def relay_to_queue(changes: Sequence[OutboxChange]) -> list[str]:
    """Put new notifications on the notify queue. Returns the sequence numbers that failed,
    so only those (and what follows them in the shard) are retried."""
    wanted = [
        c
        for c in changes
        if c.event_name == "INSERT"
        and c.notification_id
        and c.status == NotificationStatus.PENDING.value
    ]
    if not wanted:
        return []
    queue = client("sqs")
    failed: set[str] = set()
    for start in range(0, len(wanted), 10):
        batch = wanted[start : start + 10]
        try:
            answer = queue.send_message_batch(
                QueueUrl=settings().notify_queue_url,
                Entries=[
                    {"Id": str(i), "MessageBody": json.dumps({"id": c.notification_id})}
                    for i, c in enumerate(batch)
                ],
            )
            failed.update(batch[int(f["Id"])].sequence_number for f in answer.get("Failed", []))
        except Exception:
            logger.exception("relay to the notify queue failed")
            failed.update(c.sequence_number for c in batch)
    # Lambda retries from the first failed record: report it and every later one.
    order = [c.sequence_number for c in changes]
    if not failed:
        return []
    first = min(order.index(s) for s in failed)
    return order[first:]


class Delivery(StrEnum):
    SENT = "sent"
    ALREADY_HANDLED = "already_handled"
    FAILED = "failed"
    RETRY = "retry"


def deliver(notification_id: str) -> Delivery:
    from chalicelib.notify.senders import PermanentSendError, SendError, send
    from chalicelib.notify.templates import render

    record = outbox_store.claim_for_sending(notification_id, SEND_LEASE_SECONDS)
    if record is None:
        return Delivery.ALREADY_HANDLED
    try:
        provider_id = send(render(record.notification))
    except PermanentSendError as error:
        outbox_store.mark_failed(notification_id, str(error))
        logger.warning("notification failed for good", extra={"notification_id": notification_id})
        return Delivery.FAILED
    except SendError as error:
        outbox_store.release(notification_id, str(error))
        logger.warning("notification will be retried", extra={"notification_id": notification_id})
        return Delivery.RETRY
    outbox_store.mark_sent(notification_id, provider_id)
    return Delivery.SENT


def deliver_batch(messages: Iterable[tuple[str, str]]) -> list[str]:
    """Deliver (message_id, body) pairs from the queue; return the message ids to retry."""
    retry: list[str] = []
    for message_id, body in messages:
        try:
            notification_id = str(json.loads(body)["id"])
        except (ValueError, KeyError, TypeError):
            # Never dropped: it is retried until the queue moves it to the dead-letter queue.
            logger.error("unreadable notify message", extra={"message_id": message_id})
            retry.append(message_id)
            continue
        try:
            outcome = deliver(notification_id)
        except Exception:
            logger.exception("delivery crashed", extra={"notification_id": notification_id})
            outcome = Delivery.RETRY
        if outcome is Delivery.RETRY:
            retry.append(message_id)
    return retry
