"""Delivery feedback: what SES and the SMS carriers said after a notification was sent.

Two sources, one Lambda (`notification_feedback`):
- SES configuration-set events (the set named by SES_CONFIGURATION_SET), published to an
  SNS topic the function is subscribed to: Delivery, Bounce, Complaint, Reject.
- SNS SMS delivery-status logs (CloudWatch Logs groups `sns/<region>/<account>/
  DirectPublishToPhoneNumber` and `.../Failure`), through a subscription filter: one JSON
  object per SMS with `status` SUCCESS or FAILURE.

Each updates the notification's delivery status. A hard bounce, a rejection or an SMS the
carrier could not deliver queues the same message once on the recipient's other channel,
when the notification names one and still holds what it needs (secrets are erased once
sent, so codes and recovery passwords are never re-sent by fallback: the user asks again).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.core.clock import now
from chalicelib.core.logs import logger
from chalicelib.notifications import store as outbox_store
from chalicelib.notifications.rules import (
    DELIVERY_FAILURES,
    DeliveryStatus,
    Notification,
    fallback_of,
)
from chalicelib.notifications.senders import NOTIFICATION_TAG


@dataclass(frozen=True)
class Feedback:
    provider_message_id: str
    status: DeliveryStatus
    detail: str | None
    at: datetime
    notification_id: str | None = None  # when the event carries it (SES tags)


def _time(value: Any) -> datetime:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
        try:  # SNS SMS logs: "2026-11-23 21:04:05.123"
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
        except ValueError:
            pass
    return now()


def parse_ses_event(event: dict[str, Any]) -> Feedback | None:
    """One SES configuration-set event (or identity notification), or None if it says
    nothing about delivery (Send, Open, soft bounces: SES retries those itself)."""
    kind = event.get("eventType") or event.get("notificationType")
    mail = event.get("mail") or {}
    message_id = mail.get("messageId")
    if not message_id or not kind:
        return None
    tags = mail.get("tags") or {}
    tagged = tags.get(NOTIFICATION_TAG) or [None]
    if kind == "Delivery":
        delivery = event.get("delivery") or {}
        return Feedback(
            message_id, DeliveryStatus.DELIVERED, None, _time(delivery.get("timestamp")), tagged[0]
        )
    if kind == "Bounce":
        bounce = event.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return None
        recipients = bounce.get("bouncedRecipients") or [{}]
        detail = recipients[0].get("diagnosticCode") or bounce.get("bounceSubType")
        return Feedback(
            message_id,
            DeliveryStatus.BOUNCED,
            str(detail or "Permanent"),
            _time(bounce.get("timestamp")),
            tagged[0],
        )
    if kind == "Complaint":
        complaint = event.get("complaint") or {}
        return Feedback(
            message_id,
            DeliveryStatus.COMPLAINED,
            complaint.get("complaintFeedbackType"),
            _time(complaint.get("timestamp")),
            tagged[0],
        )
    if kind == "Reject":
        reason = (event.get("reject") or {}).get("reason")
        return Feedback(message_id, DeliveryStatus.BOUNCED, reason or "Rejected", now(), tagged[0])
    return None


def parse_sms_log(entry: dict[str, Any]) -> Feedback | None:
    """One SNS SMS delivery-status log entry."""
    message_id = (entry.get("notification") or {}).get("messageId")
    status = entry.get("status")
    if not message_id or status not in ("SUCCESS", "FAILURE"):
        return None
    delivery = entry.get("delivery") or {}
    at = _time((entry.get("notification") or {}).get("timestamp"))
    if status == "SUCCESS":
        return Feedback(message_id, DeliveryStatus.DELIVERED, None, at)
    return Feedback(
        message_id, DeliveryStatus.UNDELIVERED, delivery.get("providerResponse") or "FAILURE", at
    )


def feedback_from_event(event: dict[str, Any]) -> list[Feedback]:
    """SNS-wrapped SES events, or a CloudWatch Logs subscription batch of SMS logs."""
    found: list[Feedback] = []
    if "awslogs" in event:
        data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
        for log_event in data.get("logEvents", []):
            try:
                entry = json.loads(log_event.get("message", ""))
            except ValueError:
                continue
            parsed = parse_sms_log(entry)
            if parsed:
                found.append(parsed)
        return found
    for record in event.get("Records", []):
        sns = record.get("Sns") or record.get("sns") or {}
        raw = sns.get("Message") if sns else record.get("body")
        try:
            message = json.loads(raw or "")
        except ValueError:
            continue
        parsed = parse_ses_event(message)
        if parsed:
            found.append(parsed)
    return found


def apply_feedback(items: Iterable[Feedback]) -> dict[str, int]:
    """Record each piece of feedback on its notification. Returns counts by outcome."""
    counts = {"recorded": 0, "unknown": 0, "fallback": 0}
    for item in items:
        notification_id = item.notification_id or outbox_store.find_by_provider_id(
            item.provider_message_id
        )
        record = outbox_store.get_record(notification_id) if notification_id else None
        if record is None:
            counts["unknown"] += 1
            logger.warning("delivery feedback for an unknown message")
            continue
        fallback: Notification | None = None
        if item.status in DELIVERY_FAILURES and record.fallback_id is None:
            fallback = _fallback_without_secrets(record.notification)
        outbox_store.record_delivery(
            record.notification.id,
            item.provider_message_id,
            item.status,
            item.detail,
            item.at,
            fallback,
        )
        counts["recorded"] += 1
        counts["fallback"] += int(fallback is not None)
    return counts


def _fallback_without_secrets(notification: Notification) -> Notification | None:
    from chalicelib.notifications.templates import TEMPLATES

    template = TEMPLATES.get(notification.template)
    if template is None or template.secret_params:
        return None  # its secret is gone: a fallback would carry an empty code
    return fallback_of(notification)
