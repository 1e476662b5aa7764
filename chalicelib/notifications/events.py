"""Event handlers of the notification path: outbox stream → notify queue → SES/SNS, and the
providers' delivery feedback back onto each notification.

The stream ARN and queue named here are placeholders for packaging: the CDK stack points
the event source mappings at the real table stream and queue, and subscribes
`notification_feedback` to the SES events topic and the SMS delivery-status log groups
(infra/stack.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint
from chalice.app import DynamoDBEvent, SQSEvent

from chalicelib.core.logs import logger

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.notifications.delivery import (
        SqsMessage,
    )

events_bp = Blueprint(__name__)

OUTBOX_STREAM_PLACEHOLDER = (
    "arn:aws:dynamodb:eu-west-3:000000000000:table/massar-outbox/stream/1970-01-01T00:00:00.000"
)
NOTIFY_QUEUE_PLACEHOLDER = "massar-notify"
REGISTRATIONS_STREAM_PLACEHOLDER = (
    "arn:aws:dynamodb:eu-west-3:000000000000:table/massar-registrations/stream/"
    "1970-01-01T00:00:00.000"
)


def _string(image: dict[str, Any] | None, name: str) -> str | None:
    value = (image or {}).get(name) or {}
    return value.get("S") if isinstance(value, dict) else None


@events_bp.on_dynamodb_record(stream_arn=OUTBOX_STREAM_PLACEHOLDER, batch_size=100)
def relay_outbox(event: DynamoDBEvent) -> dict[str, list[dict[str, str]]]:
    from chalicelib.notifications.delivery import OutboxChange, relay_to_queue

    changes = [
        OutboxChange(
            sequence_number=record.sequence_number,
            event_name=record.event_name,
            notification_id=_string(record.new_image, "id"),
            status=_string(record.new_image, "status"),
            channel=_string(record.new_image, "channel"),
            template=_string(record.new_image, "template"),
        )
        for record in event
    ]
    failed = relay_to_queue(changes)
    if failed:
        logger.warning("outbox relay incomplete", extra={"failed": len(failed)})
    return {"batchItemFailures": [{"itemIdentifier": s} for s in failed]}


# The dashboard's counts (store/counters.py): a batch of new applications and decisions is
# summed and written once per counter item, so no request's transaction holds an item
# that other schools' submissions write too.
@events_bp.on_dynamodb_record(stream_arn=REGISTRATIONS_STREAM_PLACEHOLDER, batch_size=100)
def count_registrations(event: DynamoDBEvent) -> dict[str, list[dict[str, str]]]:
    from chalicelib.registration.dashboard.service import change_of
    from chalicelib.registration.dashboard.store import count_changes

    changes = [
        change
        for record in event
        if (change := change_of(record.sequence_number, record.new_image, record.old_image))
    ]
    failed = count_changes(changes)
    return {"batchItemFailures": [{"itemIdentifier": s} for s in failed]}


def _sqs_message(record: dict[str, Any]) -> SqsMessage:
    from chalicelib.notifications.delivery import SqsMessage

    attributes = record.get("attributes") or {}
    try:
        receive_count = int(attributes.get("ApproximateReceiveCount", 1))
    except (TypeError, ValueError):
        receive_count = 1
    return SqsMessage(
        message_id=str(record["messageId"]),
        body=str(record.get("body", "")),
        receipt_handle=str(record.get("receiptHandle", "")),
        receive_count=receive_count,
    )


# The CDK stack sets the event source's MaximumConcurrency to NOTIFY_MAX_CONCURRENCY, the
# number of invocations the deliver path splits each channel's rate between.
@events_bp.on_sqs_message(queue=NOTIFY_QUEUE_PLACEHOLDER, batch_size=10)
def deliver_notifications(event: SQSEvent) -> dict[str, list[dict[str, str]]]:
    from chalicelib.notifications.delivery import deliver_messages

    result = deliver_messages(_sqs_message(record.to_dict()) for record in event)
    return {"batchItemFailures": [{"itemIdentifier": m} for m in result.retry]}


@events_bp.lambda_function(name="notification_feedback")
def notification_feedback(event: dict[str, Any], context: Any) -> dict[str, int]:
    """SES events (through SNS) and SMS delivery-status logs (through a subscription)."""
    from chalicelib.notifications.feedback import apply_feedback, feedback_from_event

    counts = apply_feedback(feedback_from_event(event))
    logger.info("delivery feedback", extra=counts)
    return counts


@events_bp.lambda_function(name="sms_account_settings")
def sms_account_settings(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The CDK stack's custom resource: SMS spend limit, delivery-status logging."""
    from chalicelib.notifications.sms_settings import handle

    return handle(event)
