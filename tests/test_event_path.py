"""Outbox → stream → queue → SES/SNS: a notification is never lost and never sent twice."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from chalicelib.core.models import OutboxModel
from chalicelib.notifications.rules import NotificationStatus
from chalicelib.notifications.store import get_record
from tests.conftest import Api, sent_emails

STAFF = {
    "username": "dir.tazi",
    "school_code": "SC0002",
    "first_name": "Salma",
    "last_name": "Tazi",
    "email": "salma@example.ma",
}


def outbox_items() -> list[OutboxModel]:
    from chalicelib.core.store import bound

    # Test inspection only: the app reads the outbox by key.
    return list(bound(OutboxModel).scan())


def create_staff(api: Api, token: str, **changes: str) -> None:
    answer = api.post("/v1/staff", {**STAFF, **changes}, token=token)
    assert answer.status_code == 201, answer.body


def test_account_and_notification_are_written_together(api: Api, ops_token: str) -> None:
    create_staff(api, ops_token)
    [item] = outbox_items()
    assert item.status == NotificationStatus.PENDING.value
    assert item.recipient == "salma@example.ma"
    assert item.secret_params is not None and item.secret_params.as_dict()["initial_code"]
    assert sent_emails() == []  # the API never sends: the outbox does


def test_a_refused_change_queues_nothing(api: Api, ops_token: str) -> None:
    create_staff(api, ops_token)
    again = api.post("/v1/staff", {**STAFF, "email": "other@example.ma"}, token=ops_token)
    assert again.status_code == 409
    assert [i.recipient for i in outbox_items()] == ["salma@example.ma"]


def test_the_message_reaches_ses_once_and_its_secret_is_erased(
    api: Api, ops_token: str, pump: Any
) -> None:
    create_staff(api, ops_token)
    pump.drain()
    [email] = sent_emails()
    assert email["to"] == "salma@example.ma"
    assert email["subject"] == "Votre compte Massar"
    assert "Identifiant : dir.tazi" in email["body"]
    [item] = outbox_items()
    record = get_record(item.id)
    assert record is not None
    assert record.status is NotificationStatus.SENT
    assert record.provider_message_id == email["id"]
    assert record.notification.secret_params == {}
    pump.drain()
    assert len(sent_emails()) == 1


def test_arabic_requests_get_arabic_messages(api: Api, ops_token: str, pump: Any) -> None:
    answer = api.post("/v1/staff", STAFF, token=ops_token, headers={"Accept-Language": "ar"})
    assert answer.status_code == 201
    pump.drain()
    [email] = sent_emails()
    assert email["subject"] == "حسابكم في منظومة مسار"
    assert "اسم المستخدم: dir.tazi" in email["body"]


def test_redelivered_queue_messages_and_replayed_stream_records_send_nothing_twice(
    api: Api, ops_token: str, pump: Any, app: Any
) -> None:
    from devserver.pump import LambdaContext

    create_staff(api, ops_token)
    pump.drain()
    [item] = outbox_items()
    # The same SQS message delivered again (at-least-once delivery).
    duplicate = sqs_event("m-1", json.dumps({"id": item.id}))
    result = app.handler_map["deliver_notifications"](duplicate, LambdaContext("deliver"))
    assert result == {"batchItemFailures": []}
    # The stream record replayed: it is queued again, and the sender ignores it.
    pump.streams[0].shards.clear()
    pump.drain()
    assert len(sent_emails()) == 1


def test_a_cancelled_transaction_does_not_stall_the_stream(
    api: Api, ops_token: str, pump: Any
) -> None:
    """Issue 13: moto restores the outbox table, stream included, from a copy when a
    transaction is cancelled; the pump kept reading the shard it had replaced."""
    create_staff(api, ops_token)
    pump.drain()
    refused = api.post("/v1/staff", {**STAFF, "email": "other@example.ma"}, token=ops_token)
    assert refused.status_code == 409
    create_staff(api, ops_token, username="dir.two", email="two@example.ma")
    pump.drain()
    assert [e["to"] for e in sent_emails()] == ["salma@example.ma", "two@example.ma"]
    # A new iterator every pass, and moto keeps every one it handed out: the pump lets go.
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    from chalicelib.core.config import settings

    assert dynamodbstreams_backends[DEFAULT_ACCOUNT_ID][settings().region].shard_iterators == {}


def test_records_read_before_the_emulator_rewrote_the_shard_are_not_skipped_nor_repeated(
    api: Api, ops_token: str, pump: Any
) -> None:
    """The pump read a record that moto then dropped by restoring the table (a transaction
    cancelled meanwhile): the next write takes its sequence number and is still handed
    over, once, and nothing read before is handed over again."""
    import copy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib.core.config import settings

    tables = dynamodb_backends[DEFAULT_ACCOUNT_ID][settings().region].tables
    create_staff(api, ops_token)
    pump.drain()
    before = copy.deepcopy(tables[settings().outbox_table])
    create_staff(api, ops_token, username="dir.two", email="two@example.ma")
    pump.drain()
    tables[settings().outbox_table] = before  # what moto does when a transaction is cancelled
    create_staff(api, ops_token, username="dir.three", email="three@example.ma")
    pump.drain()
    pump.drain()
    assert [e["to"] for e in sent_emails()] == [
        "salma@example.ma",
        "two@example.ma",
        "three@example.ma",
    ]


def test_a_transient_failure_is_retried_and_sent_once(
    api: Api, ops_token: str, pump: Any, app: Any
) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.notifications import senders

    create_staff(api, ops_token)
    real_send = senders.send
    calls = {"n": 0}

    def flaky(message: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise senders._classify(ClientError({"Error": {"Code": "Throttling"}}, "SendEmail"))
        return real_send(message)

    # The queue redelivers after its visibility timeout; here, at once.
    pump.retry_after_seconds = 0
    with mock.patch.object(senders, "send", flaky):
        pump.pump_once()  # relay, then the first delivery fails
        [item] = outbox_items()
        assert get_record(item.id).status is NotificationStatus.QUEUED  # type: ignore[union-attr]
        pump.drain()
    assert len(sent_emails()) == 1
    assert get_record(item.id).status is NotificationStatus.SENT  # type: ignore[union-attr]


def test_a_permanent_failure_is_recorded_and_not_retried(
    api: Api, ops_token: str, pump: Any
) -> None:
    create_staff(api, ops_token, email="nobody@bounce.example.ma")
    with mock.patch(
        "chalicelib.notifications.senders.client",
        side_effect=lambda service: _rejecting_client(),
    ):
        pump.drain()
    [item] = outbox_items()
    record = get_record(item.id)
    assert record is not None
    assert record.status is NotificationStatus.FAILED
    assert record.failure_reason == "MessageRejected"
    assert record.notification.secret_params == {}
    assert sent_emails() == []


def test_unreadable_queue_messages_are_kept_for_the_dead_letter_queue(app: Any) -> None:
    from devserver.pump import LambdaContext

    event = sqs_event("bad-1", "not json")
    result = app.handler_map["deliver_notifications"](event, LambdaContext("deliver"))
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}


@pytest.mark.parametrize("failures", [1, 3])
def test_the_relay_reports_the_first_failed_record_and_everything_after(
    app: Any, failures: int
) -> None:
    from chalicelib.notifications.delivery import OutboxChange, relay_to_queue

    changes = [OutboxChange(str(n), "INSERT", f"id-{n}", "pending") for n in range(5)]
    real = __import__("chalicelib.core.aws_clients", fromlist=["client"]).client("sqs")

    class FailingSqs:
        def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> Any:
            answer = real.send_message_batch(QueueUrl=QueueUrl, Entries=Entries[:-failures])
            answer["Failed"] = [
                {"Id": e["Id"], "Code": "InternalError", "SenderFault": False}
                for e in Entries[-failures:]
            ]
            return answer

    with mock.patch("chalicelib.notifications.delivery.client", return_value=FailingSqs()):
        failed = relay_to_queue(changes)
    assert failed == [str(n) for n in range(5 - failures, 5)]


def sqs_event(message_id: str, body: str) -> dict[str, Any]:
    from devserver.pump import lambda_sqs_record

    message = {"MessageId": message_id, "ReceiptHandle": "rh-" + message_id, "Body": body}
    return {"Records": [lambda_sqs_record(message, "arn:aws:sqs:eu-west-3:123456789012:q")]}


def _rejecting_client() -> Any:
    from botocore.exceptions import ClientError

    rejecting = mock.Mock()
    rejecting.send_email.side_effect = ClientError(
        {"Error": {"Code": "MessageRejected", "Message": "Email address is not verified."}},
        "SendEmail",
    )
    return rejecting
