"""Fault injection on the notify path: throttling, transient and permanent provider errors,
duplicated queue deliveries, replayed stream records, a crash between the send and its
record. Nothing is lost, nothing is sent twice, permanent failures are recorded (and fall
back to the other channel), the dead-letter queue is reached and redriven."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest

from chalicelib.notifications.rules import Channel, Contact, Language, NotificationStatus
from tests.notifications_support import (
    make_visible,
    notification,
    queue,
    queue_messages,
    record,
    sent,
    use_settings,
)


def client_error(code: str, status: int = 400, message: str = "") -> Exception:
    from botocore.exceptions import ClientError

    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "Publish",
    )


class Faults:
    """Stands in for `chalicelib.notifications.senders.client`: SES/SNS calls raise the scheduled
    errors first (None lets a call through), then reach moto."""

    def __init__(self, *schedule: Exception | None, forever: Exception | None = None) -> None:
        self.schedule = list(schedule)
        self.forever = forever
        self.calls = 0

    def client(self, service: str) -> Any:
        from chalicelib.core.aws_clients import client

        real = client(service)
        faults = self

        class Proxy:
            def __getattr__(self, name: str) -> Any:
                target = getattr(real, name)
                if name not in ("send_email", "publish"):
                    return target

                def call(**kwargs: Any) -> Any:
                    faults.calls += 1
                    error = faults.schedule.pop(0) if faults.schedule else faults.forever
                    if error is not None:
                        raise error
                    return target(**kwargs)

                return call

        return Proxy()


def notify_url() -> str:
    from chalicelib.core.config import settings

    return settings().notify_queue_url


def receive(count: int = 10) -> list[dict[str, Any]]:
    from chalicelib.core.aws_clients import client

    return (
        client("sqs")
        .receive_message(QueueUrl=notify_url(), MaxNumberOfMessages=count, AttributeNames=["All"])
        .get("Messages", [])
    )


def invoke_deliver(app: Any, messages: list[dict[str, Any]]) -> dict[str, Any]:
    from devserver.pump import LambdaContext, lambda_sqs_record

    event = {
        "Records": [lambda_sqs_record(m, "arn:aws:sqs:eu-west-3:123456789012:q") for m in messages]
    }
    result: dict[str, Any] = app.handler_map["deliver_notifications"](
        event, LambdaContext("deliver")
    )
    return result


def relay(pump: Any) -> None:
    for stream in pump.streams:
        while pump._pump_stream(stream):
            pass


def test_duplicated_queue_deliveries_send_once(app: Any, pump: Any) -> None:
    n = notification()
    queue(n)
    relay(pump)
    [message] = receive()
    # At-least-once delivery: the same message handed over three times.
    for _ in range(3):
        assert invoke_deliver(app, [message]) == {"batchItemFailures": []}
    assert len(sent("email")) == 1
    assert record(n.id).status is NotificationStatus.SENT
    assert record(n.id).attempts == 1


def test_a_message_held_by_a_live_claim_is_not_sent_by_a_second_sender(app: Any, pump: Any) -> None:
    from chalicelib.notifications.store import claim_for_sending

    n = notification()
    queue(n)
    relay(pump)
    assert claim_for_sending(n.id, 30) is not None  # another sender is in the middle of it
    [message] = receive()
    assert invoke_deliver(app, [message]) == {"batchItemFailures": []}
    assert sent() == []


def test_replayed_stream_records_queue_again_and_send_nothing(app: Any, pump: Any) -> None:
    first, second = notification(), notification(channel=Channel.SMS, recipient="+212612345678")
    queue(first, second)
    pump.drain()
    assert len(sent()) == 2
    for _ in range(2):  # the whole stream replayed twice from its start
        pump.streams[0].shards.clear()  # read again from the trim horizon
        pump.drain()
    assert len(sent()) == 2


def test_throttling_is_retried_with_backoff_and_sent_once(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_settings(monkeypatch, NOTIFY_RETRY_BASE_SECONDS="30")
    n = notification(channel=Channel.SMS, recipient="+212612345678")
    queue(n)
    faults = Faults(client_error("Throttling"), client_error("ServiceUnavailable", 503))
    with mock.patch("chalicelib.notifications.senders.client", faults.client):
        pump.pump_once()
        assert record(n.id).status is NotificationStatus.QUEUED
        assert record(n.id).failure_reason == "Throttling"
        [waiting] = queue_messages(notify_url())
        assert 30 <= waiting["invisible_seconds"] <= 45  # base, plus jitter: not at once
        make_visible(notify_url())
        pump.pump_once()
        [waiting] = queue_messages(notify_url())
        assert 60 <= waiting["invisible_seconds"] <= 75  # doubled on the second receive
        make_visible(notify_url())
        pump.drain()
    assert faults.calls == 3
    assert len(sent("sms")) == 1
    done = record(n.id)
    assert done.status is NotificationStatus.SENT and done.attempts == 3
    assert queue_messages(notify_url()) == []


def test_transient_failures_reach_the_dead_letter_queue_and_the_redrive_sends_once(
    app: Any, pump: Any
) -> None:
    from chalicelib.notifications.redrive import dlq_url, redrive_notify

    n = notification()
    queue(n)
    down = Faults(forever=client_error("InternalFailure", 500))
    with mock.patch("chalicelib.notifications.senders.client", down.client):
        for _ in range(10):
            pump.pump_once()
            make_visible(notify_url())
    assert down.calls == 5  # the redrive policy's maxReceiveCount
    assert queue_messages(notify_url()) == []
    [dead] = queue_messages(dlq_url())
    assert dead["body"]["id"] == n.id
    waiting = record(n.id)
    assert waiting.status is NotificationStatus.QUEUED  # not lost: kept, with the reason
    assert waiting.failure_reason == "InternalFailure"
    assert sent() == []

    # The provider is back: an operator redrives, once or twice by mistake.
    assert redrive_notify(dry_run=True).as_dict() == {
        "moved": 1,
        "done": 0,
        "kept": 0,
        "expired": 0,
    }
    assert len(queue_messages(dlq_url())) == 1
    assert redrive_notify().moved == 1
    assert redrive_notify().moved == 0
    pump.drain()
    assert len(sent("email")) == 1
    assert record(n.id).status is NotificationStatus.SENT
    assert queue_messages(dlq_url()) == []


def test_the_redrive_drops_what_was_sent_meanwhile_and_keeps_unreadable_messages(
    app: Any, pump: Any
) -> None:
    from chalicelib.core.aws_clients import client
    from chalicelib.notifications.redrive import dlq_url, redrive_notify

    n = notification()
    queue(n)
    pump.drain()
    sqs = client("sqs")
    sqs.send_message(QueueUrl=dlq_url(), MessageBody=json.dumps({"id": n.id}))
    sqs.send_message(QueueUrl=dlq_url(), MessageBody="not json")
    count = redrive_notify()
    assert (count.moved, count.done, count.kept) == (0, 1, 1)
    assert [m["body"] for m in queue_messages(dlq_url())] == ["not json"]
    pump.drain()
    assert len(sent()) == 1


def test_an_invalid_number_fails_for_good_and_falls_back_to_email(app: Any, pump: Any) -> None:
    n = notification(
        "registration_rejected",
        Channel.SMS,
        "+2126",  # not a number: refused before any call
        fallback=Contact(Channel.EMAIL, "Parent@Example.ma"),
    )
    queue(n)
    pump.drain()
    failed = record(n.id)
    assert failed.status is NotificationStatus.FAILED
    assert failed.failure_reason == "invalid_phone_number"
    assert failed.fallback_id == n.id + "-fb"
    fallback = record(failed.fallback_id)
    assert fallback.status is NotificationStatus.SENT
    assert fallback.fallback_of == n.id
    assert fallback.notification.channel is Channel.EMAIL
    assert fallback.notification.fallback is None  # one hop, never back and forth
    [mail] = sent()
    assert mail["to"] == "parent@example.ma"
    assert "refusée" in mail["subject"]
    pump.streams[0].shards.clear()  # read again from the trim horizon
    pump.drain()
    assert len(sent()) == 1


def test_an_opted_out_phone_is_recorded_and_a_code_falls_back_with_its_secret(
    app: Any, pump: Any
) -> None:
    n = notification(
        "recovery_password",
        Channel.SMS,
        "+212612345678",
        language=Language.AR,
        fallback=Contact(Channel.EMAIL, "parent@example.ma"),
    )
    queue(n)
    opted_out = Faults(
        client_error("InvalidParameter", 400, "Invalid parameter: PhoneNumber is opted out")
    )
    with mock.patch("chalicelib.notifications.senders.client", opted_out.client):
        pump.drain()
    failed = record(n.id)
    assert failed.status is NotificationStatus.FAILED
    assert failed.failure_reason == "InvalidParameter"
    assert failed.notification.secret_params == {}
    [mail] = sent()
    assert "kX7#mPq2-Zr9!vTe" in mail["body"]  # the fallback carried the secret
    assert record(failed.fallback_id).notification.secret_params == {}  # erased once sent


def test_a_permanent_failure_without_another_channel_is_recorded(app: Any, pump: Any) -> None:
    n = notification(channel=Channel.SMS, recipient="+212612345678")
    queue(n)
    with mock.patch(
        "chalicelib.notifications.senders.client", Faults(client_error("OptedOutException")).client
    ):
        pump.drain()
    failed = record(n.id)
    assert failed.status is NotificationStatus.FAILED
    assert failed.failure_reason == "OptedOutException"
    assert failed.fallback_id is None
    assert sent() == []


def test_one_bad_message_does_not_resend_the_good_ones(app: Any, pump: Any) -> None:
    good, flaky = notification(), notification(recipient="other@example.ma")
    queue(good, flaky)
    relay(pump)
    messages = receive()
    assert len(messages) == 2
    unreadable = {"MessageId": "junk", "ReceiptHandle": "rh-junk", "Body": "{not json"}
    by_id = {json.loads(m["Body"])["id"]: m for m in messages}
    batch = [by_id[good.id], unreadable, by_id[flaky.id]]
    faults = Faults(None, client_error("Throttling"))
    with mock.patch("chalicelib.notifications.senders.client", faults.client):
        result = invoke_deliver(app, batch)
    assert result == {
        "batchItemFailures": [
            {"itemIdentifier": "junk"},
            {"itemIdentifier": by_id[flaky.id]["MessageId"]},
        ]
    }
    # Even if the whole batch came back (it should not), the good one is not sent again.
    invoke_deliver(app, batch)
    assert sorted(m["to"] for m in sent()) == ["other@example.ma", "parent@example.ma"]


def test_a_crash_after_the_send_is_repaired_by_the_feedback_not_sent_again(
    app: Any, pump: Any
) -> None:
    from chalicelib.notifications import store as outbox_store

    feedback_pump = type(pump)(app, feedback=True)
    n = notification()
    queue(n)
    with mock.patch.object(outbox_store, "mark_sent", side_effect=RuntimeError("Lambda died")):
        pump.pump_once()  # relay
        pump.pump_once()  # deliver: SES took it, then the function died
    assert len(sent()) == 1
    assert record(n.id).status is NotificationStatus.SENDING
    feedback_pump.pump_once()  # SES's Delivery event arrives
    repaired = record(n.id)
    assert repaired.status is NotificationStatus.SENT
    assert repaired.provider_message_id == sent()[0]["id"]
    assert repaired.delivery_status is not None and repaired.delivery_status.value == "delivered"
    # The queue message comes back after its visibility timeout: nothing more is sent.
    make_visible(notify_url())
    with mock.patch("chalicelib.notifications.delivery.SEND_LEASE_SECONDS", 0):
        feedback_pump.drain()
    assert len(sent()) == 1


def test_unreadable_and_unknown_messages_never_crash_the_batch(app: Any) -> None:
    result = invoke_deliver(
        app,
        [
            {"MessageId": "a", "ReceiptHandle": "rh-a", "Body": json.dumps({"id": "nope"})},
            {"MessageId": "b", "ReceiptHandle": "rh-b", "Body": json.dumps({"no": "id"})},
        ],
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "b"}]}


def test_no_send_ever_sleeps(app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def refuse(seconds: float) -> None:
        raise AssertionError(f"slept {seconds}s")

    use_settings(monkeypatch, NOTIFY_SMS_RATE="1", NOTIFY_MAX_CONCURRENCY="1")
    queue(*(notification(channel=Channel.SMS, recipient=f"+2126123456{i:02d}") for i in range(5)))
    monkeypatch.setattr(time, "sleep", refuse)
    pump.drain()
    assert 1 <= len(sent()) < 5  # the rest waits in the queue, delayed


def test_backoff_grows_and_is_capped(monkeypatch: pytest.MonkeyPatch, aws: None) -> None:
    from chalicelib.notifications.delivery import MAX_BACKOFF_SECONDS, backoff_seconds

    use_settings(monkeypatch, NOTIFY_RETRY_BASE_SECONDS="60")
    delays = [backoff_seconds(n) for n in range(1, 8)]
    assert 60 <= delays[0] < 90 and 120 <= delays[1] < 150 and 240 <= delays[2] < 270
    assert max(delays) == MAX_BACKOFF_SECONDS
    _ = datetime.now(UTC)
