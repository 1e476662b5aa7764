"""Operators' tools: the relay redrive (outbox stream batches the relay gave up on), the
redrive command line, and the custom resource that sets the account's SMS spend limit."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from chalicelib.notifications.rules import Channel, NotificationStatus
from tests.notifications_support import notification, queue, queue_messages, record, sent


def test_the_relay_redrive_reads_the_stream_again_and_queues_once(app: Any, pump: Any) -> None:
    from chalicelib.core.aws_clients import client
    from chalicelib.core.config import settings
    from chalicelib.notifications.redrive import redrive_relay, relay_failures_url

    sqs, streams = client("sqs"), client("dynamodbstreams")
    sqs.create_queue(QueueName=relay_failures_url().rsplit("/", 1)[-1])
    first, second = notification(), notification(channel=Channel.SMS, recipient="+212612345678")
    queue(first, second)
    # The relay gave up on both records: the event source put their coordinates here.
    arn = client("dynamodb").describe_table(TableName=settings().outbox_table)["Table"][
        "LatestStreamArn"
    ]
    (shard,) = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    numbers = [
        r["dynamodb"]["SequenceNumber"]
        for r in streams.get_records(ShardIterator=iterator)["Records"]
    ]
    failure = {
        "requestContext": {"condition": "RetryAttemptsExhausted"},
        "DDBStreamBatchInfo": {
            "shardId": shard["ShardId"],
            "startSequenceNumber": numbers[0],
            "endSequenceNumber": numbers[-1],
            "batchSize": len(numbers),
            "streamArn": arn,
        },
    }
    sqs.send_message(QueueUrl=relay_failures_url(), MessageBody=json.dumps(failure))
    sqs.send_message(QueueUrl=relay_failures_url(), MessageBody="garbage")

    count = redrive_relay()
    assert (count.moved, count.kept) == (1, 1)
    assert sorted(m["body"]["id"] for m in queue_messages(settings().notify_queue_url)) == sorted(
        [first.id, second.id]
    )
    pump.streams.clear()  # the stream relay is "down": only the redriven messages travel
    pump.drain()
    assert len(sent()) == 2
    assert record(first.id).status is NotificationStatus.SENT
    assert [m["body"] for m in queue_messages(relay_failures_url())] == ["garbage"]


def test_the_redrive_command_line(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from chalicelib.core.aws_clients import client
    from chalicelib.notifications.redrive import dlq_url, main

    queue(n := notification())
    client("sqs").send_message(QueueUrl=dlq_url(), MessageBody=json.dumps({"id": n.id}))
    assert main(["notify", "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "what": "notify",
        "dry_run": True,
        "moved": 1,
        "done": 0,
        "kept": 0,
        "expired": 0,
    }
    assert main(["notify", "--max", "5"]) == 0
    assert json.loads(capsys.readouterr().out)["moved"] == 1
    assert queue_messages(dlq_url()) == []


def cfn_event(kind: str, **properties: str) -> dict[str, Any]:
    return {
        "RequestType": kind,
        "ResponseURL": "https://cloudformation-custom-resource-response.example/r?sig=1",
        "StackId": "arn:aws:cloudformation:eu-west-3:123456789012:stack/massar-prod/1",
        "RequestId": "req-1",
        "LogicalResourceId": "SmsSettingsCustomResource",
        "ResourceType": "Custom::SmsAccountSettings",
        "ResourceProperties": {"ServiceToken": "arn:aws:lambda:...", **properties},
    }


class Answers:
    """Stands in for urlopen: keeps what the function answered CloudFormation."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Any, timeout: float) -> Any:
        assert request.get_method() == "PUT" and request.full_url.startswith("https://")
        self.bodies.append(json.loads(request.data))
        answer = mock.MagicMock()
        answer.__enter__.return_value.read.return_value = b""
        return answer


def test_the_sms_spend_limit_is_set_by_the_stack_and_failures_are_reported(app: Any) -> None:
    from chalicelib.core.aws_clients import client
    from devserver.pump import LambdaContext

    handler = app.handler_map["sms_account_settings"]
    answers = Answers()
    role = "arn:aws:iam::123456789012:role/massar-prod-sms-delivery-status"
    with mock.patch("urllib.request.urlopen", answers):
        handler(
            cfn_event(
                "Create",
                MonthlySpendLimit="5000",
                DeliveryStatusIAMRole=role,
                DeliveryStatusSuccessSamplingRate="100",
                DefaultSMSType="Transactional",
            ),
            LambdaContext("sms_account_settings"),
        )
        attributes = client("sns").get_sms_attributes()["attributes"]
        assert attributes["MonthlySpendLimit"] == "5000"
        assert attributes["DeliveryStatusIAMRole"] == role
        with mock.patch(
            "chalicelib.notifications.sms_settings.client",
            side_effect=RuntimeError("quota is 1 USD"),
        ):
            handler(cfn_event("Update", MonthlySpendLimit="9000"), LambdaContext("x"))
        handler(cfn_event("Delete"), LambdaContext("x"))
    created, updated, deleted = answers.bodies
    assert created["Status"] == "SUCCESS" and created["Data"]["MonthlySpendLimit"] == "5000"
    assert "DeliveryStatusIAMRole" not in created["Data"]
    assert created["PhysicalResourceId"] == "massar-sms-account-settings"
    assert updated["Status"] == "FAILED" and "quota is 1 USD" in updated["Reason"]
    assert deleted["Status"] == "SUCCESS"
    assert client("sns").get_sms_attributes()["attributes"]["MonthlySpendLimit"] == "5000"
