"""Event handlers of the notification path: outbox stream → notify queue → SES/SNS.

The stream ARN and queue named here are placeholders for packaging: the CDK stack points
the event source mappings at the real table stream and queue (infra/stack.py).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from chalice.app import DynamoDBEvent, SQSEvent

from chalicelib.logs import logger
from chalicelib.services.notifications import OutboxChange, deliver_batch, relay_to_queue

events_bp = Blueprint(__name__)

OUTBOX_STREAM_PLACEHOLDER = (
    "arn:aws:dynamodb:eu-west-3:000000000000:table/massar-outbox/stream/1970-01-01T00:00:00.000"
)
NOTIFY_QUEUE_PLACEHOLDER = "massar-notify"


def _string(image: dict[str, Any] | None, name: str) -> str | None:
    value = (image or {}).get(name) or {}
    return value.get("S") if isinstance(value, dict) else None


@events_bp.on_dynamodb_record(stream_arn=OUTBOX_STREAM_PLACEHOLDER, batch_size=100)
def relay_outbox(event: DynamoDBEvent) -> dict[str, list[dict[str, str]]]:
    changes = [
        OutboxChange(
            sequence_number=record.sequence_number,
            event_name=record.event_name,
            notification_id=_string(record.new_image, "id"),
            status=_string(record.new_image, "status"),
        )
        for record in event
    ]
    failed = relay_to_queue(changes)
    if failed:
        logger.warning("outbox relay incomplete", extra={"failed": len(failed)})
    return {"batchItemFailures": [{"itemIdentifier": s} for s in failed]}


@events_bp.on_sqs_message(queue=NOTIFY_QUEUE_PLACEHOLDER, batch_size=10)
def deliver_notifications(event: SQSEvent) -> dict[str, list[dict[str, str]]]:
    retry = deliver_batch((record.to_dict()["messageId"], record.body) for record in event)
    return {"batchItemFailures": [{"itemIdentifier": m} for m in retry]}
