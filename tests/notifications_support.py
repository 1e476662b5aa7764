"""Helpers of the tests/test_notifications_*.py files: writing notifications straight to the
outbox, reading what SES/SNS received and what the queues hold, changing settings."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.notifications.rules import Channel, Contact, Language, Notification


def notification(
    template: str = "registration_approved",
    channel: Channel = Channel.EMAIL,
    recipient: str = "parent@example.ma",
    *,
    id: str | None = None,
    language: Language = Language.FR,
    params: dict[str, str] | None = None,
    secret_params: dict[str, str] | None = None,
    fallback: Contact | None = None,
) -> Notification:
    import uuid

    from chalicelib.notifications.samples import longest_params

    sample, secrets = longest_params(template, language)
    return Notification(
        id=id or uuid.uuid4().hex,
        template=template,
        channel=channel,
        recipient=recipient,
        language=language,
        params=params if params is not None else sample,
        secret_params=secret_params if secret_params is not None else secrets,
        fallback=fallback,
    )


def queue(*notifications: Notification) -> None:
    from chalicelib.notifications.store import put_notification

    for n in notifications:
        assert put_notification(n)


def sent(channel: str | None = None) -> list[dict[str, Any]]:
    from devserver.outbox import sent_messages

    return [m for m in sent_messages() if channel is None or m["channel"] == channel]


def record(notification_id: str) -> Any:
    from chalicelib.notifications.store import get_record

    found = get_record(notification_id)
    assert found is not None
    return found


def queue_messages(url: str) -> list[dict[str, Any]]:
    """Every message in a moto queue, visible or not, with its delay (test inspection)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.utils import unix_time_millis
    from moto.sqs.models import sqs_backends

    from chalicelib.core.config import settings

    name = url.rstrip("/").rsplit("/", 1)[-1]
    found = sqs_backends[DEFAULT_ACCOUNT_ID][settings().region].queues[name]._messages
    moment = unix_time_millis()
    return [
        {
            "body": _json_or_text(m.body),
            "delay_seconds": max(0, round((m.delayed_until - moment) / 1000)),
            "invisible_seconds": max(0, round((m.visible_at - moment) / 1000)),
            "receive_count": m.approximate_receive_count,
        }
        for m in found
    ]


def _json_or_text(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


def make_visible(url: str) -> None:
    """Fast-forward SQS: every delayed or in-flight message of the queue is visible now."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sqs.models import sqs_backends

    from chalicelib.core.config import settings

    name = url.rstrip("/").rsplit("/", 1)[-1]
    queue_ = sqs_backends[DEFAULT_ACCOUNT_ID][settings().region].queues[name]
    for message in queue_._messages:
        message.delayed_until = 0.0
        message.visible_at = 0.0


def use_settings(monkeypatch: Any, **env: str) -> None:
    """Run the rest of the test with these stage variables (e.g. NOTIFY_SMS_RATE="2"); the
    next test's `aws` fixture forgets them."""
    from chalicelib.core.config import reset_settings
    from chalicelib.notifications.delivery import forget_budgets

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reset_settings()
    forget_budgets()
