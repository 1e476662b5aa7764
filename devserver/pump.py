"""Feeding DynamoDB stream and SQS records to the app's event handlers, shaped as Lambda
shapes them, since `chalice local` runs HTTP routes only.

Like the Lambda event source mappings: stream records are handed over in order and a
reported failure is retried from that record; SQS messages are deleted once handled, and
those reported in `batchItemFailures` stay on the queue to be redelivered (and, after the
redrive policy's count, moved to the dead-letter queue). A handler that set a failed
message's visibility itself (the notify path's backoff) is obeyed unless
`retry_after_seconds` forces a value.

With `feedback=True` (the devserver) the pump also plays SES and the SMS carriers: every
email and SMS that reached the embedded moto gets its delivery feedback, shaped as SES
configuration-set events through SNS and SNS SMS delivery-status logs through a
CloudWatch Logs subscription, handed to the `notification_feedback` function. Like SES's
mailbox simulator, an address containing "bounce" bounces and one containing "complaint"
complains; a number on moto's opted-out list fails.
"""

from __future__ import annotations

import base64
import email
import gzip
import json
import os
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError
from chalice import Chalice
from chalice.app import DynamoDBEventConfig, SQSEventConfig

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from devserver.resources import queue_sources, stream_sources


class LambdaContext:
    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.aws_request_id = str(uuid.uuid4())
        self.memory_limit_in_mb = 256
        self.invoked_function_arn = (
            f"arn:aws:lambda:{settings().region}:123456789012:function:{function_name}"
        )

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def lambda_stream_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """moto's records lack `eventSourceARN` and carry the creation time as a datetime."""
    shaped = dict(record)
    dynamodb = dict(shaped.get("dynamodb", {}))
    created = dynamodb.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        dynamodb["ApproximateCreationDateTime"] = created.timestamp()
    shaped["dynamodb"] = dynamodb
    shaped["eventSourceARN"] = stream_arn
    shaped.setdefault("eventSource", "aws:dynamodb")
    shaped.setdefault("awsRegion", settings().region)
    return shaped


def lambda_sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": settings().region,
    }


# Event ids remembered per shard: each record is handed over once even when the emulator
# hands a sequence number out a second time (see `_read_shard`).
SEEN_PER_SHARD = 10_000
# How many pages a re-read after a rewritten shard may take in one pass.
MAX_REREAD_PAGES = 100
# Shards come and go every few hours on a real stream: describing it every pass (5 a second
# when idle) would cost more than the reading.
DESCRIBE_EVERY_SECONDS = 1.0
# How often an idle pass checks that the last record read is still in its place.
CHECK_LAST_EVERY_SECONDS = 1.0


@dataclass
class _Shard:
    # The last record read, (sequence number, event id); None: read from the shard's start.
    last: tuple[str, str] | None = None
    # Event id → sequence number of every record read lately, oldest first.
    seen: OrderedDict[str, str] = field(default_factory=OrderedDict)
    # A closed shard read to its end (real streams close a shard every few hours).
    closed: bool = False
    # When the last record read was last found in its place (monotonic seconds).
    checked_at: float = float("-inf")

    def remember(self, record: dict[str, Any]) -> None:
        sequence = str(record["dynamodb"]["SequenceNumber"])
        self.seen[str(record["eventID"])] = sequence
        self.seen.move_to_end(str(record["eventID"]))
        while len(self.seen) > SEEN_PER_SHARD:
            self.seen.popitem(last=False)
        self.last = (sequence, str(record["eventID"]))


@dataclass
class _StreamSource:
    handler_name: str
    table: str
    batch_size: int
    stream_arn: str | None = None
    # Where reading stands in each shard, by shard id. No shard iterator is kept from one
    # pass to the next: an iterator names one shard object in the emulator, and moto
    # replaces the table's shard with a copy whenever a transaction is cancelled, so an
    # iterator kept across that would read a shard nothing is written to any more (the
    # event path stalled after any `duplicate_application`). Real iterators also expire
    # after 15 minutes. Every pass asks for a new one after the last record read.
    shards: dict[str, _Shard] = field(default_factory=dict)
    # The stream's shards as last described, and when (monotonic seconds).
    shard_ids: list[str] = field(default_factory=list)
    described_at: float = float("-inf")
    # Records a handler reported as failed, kept to be handed over again first.
    pending: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _QueueSource:
    handler_name: str
    queue_url: str
    batch_size: int
    queue_arn: str | None = None


class EventPump:
    def __init__(
        self, app: Chalice, retry_after_seconds: int | None = None, feedback: bool = False
    ) -> None:
        """`retry_after_seconds` shortens the wait before a failed SQS message comes back
        (None: what the handler set, else the queue's visibility timeout, as on Lambda)."""
        self.app = app
        self.retry_after_seconds = retry_after_seconds
        self.feedback = feedback
        self._fed_back: set[str] = set()
        self.streams: list[_StreamSource] = []
        self.queues: list[_QueueSource] = []
        tables = stream_sources()
        queues = queue_sources()
        for source in app.event_sources:
            if isinstance(source, DynamoDBEventConfig):
                self.streams.append(
                    _StreamSource(source.name, tables[source.stream_arn], source.batch_size)
                )
            elif isinstance(source, SQSEventConfig):
                self.queues.append(
                    _QueueSource(source.name, queues[str(source.queue)], source.batch_size)
                )

    def _invoke(self, name: str, event: dict[str, Any]) -> Any:
        return self.app.handler_map[name](event, LambdaContext(name))

    def _pump_stream(self, source: _StreamSource) -> int:
        records = list(source.pending)
        if len(records) < source.batch_size:
            records.extend(self._read_stream(source, source.batch_size - len(records)))
        if not records:
            return 0
        batch, source.pending = records[: source.batch_size], records[source.batch_size :]
        result = self._invoke(source.handler_name, {"Records": batch}) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        first_failed = next(
            (i for i, r in enumerate(batch) if r["dynamodb"]["SequenceNumber"] in failed),
            len(batch),
        )
        # Like Lambda with ReportBatchItemFailures: retry from the first failed record on.
        source.pending = batch[first_failed:] + source.pending
        return first_failed

    def _read_stream(self, source: _StreamSource, want: int) -> list[dict[str, Any]]:
        """Up to `want` records not handed over yet, from every shard the stream has now."""
        streams = client("dynamodbstreams")
        arn = source.stream_arn or (
            client("dynamodb")
            .describe_table(TableName=source.table)["Table"]
            .get("LatestStreamArn")
        )
        if not arn:
            return []
        if arn != source.stream_arn:
            source.stream_arn, source.shards, source.described_at = arn, {}, float("-inf")
        fresh: list[dict[str, Any]] = []
        try:
            if time.monotonic() - source.described_at >= DESCRIBE_EVERY_SECONDS:
                source.shard_ids = _shard_ids(streams, arn)
                source.described_at = time.monotonic()
            for shard_id in source.shard_ids:
                if len(fresh) >= want:
                    break
                shard = source.shards.setdefault(shard_id, _Shard())
                if not shard.closed:
                    fresh.extend(_read_shard(streams, arn, shard_id, shard, want - len(fresh)))
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            source.stream_arn = None  # table or stream made again: look it up next pass
        finally:
            _release_moto_iterators()
        return [lambda_stream_record(r, arn) for r in fresh]

    def _pump_queue(self, source: _QueueSource) -> int:
        sqs = client("sqs")
        if source.queue_arn is None:
            source.queue_arn = sqs.get_queue_attributes(
                QueueUrl=source.queue_url, AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
        messages = sqs.receive_message(
            QueueUrl=source.queue_url,
            MaxNumberOfMessages=min(source.batch_size, 10),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        ).get("Messages", [])
        if not messages:
            return 0
        event = {"Records": [lambda_sqs_record(m, source.queue_arn) for m in messages]}
        result = self._invoke(source.handler_name, event) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if self.retry_after_seconds is not None:
            for message in messages:
                if message["MessageId"] in failed:
                    sqs.change_message_visibility(
                        QueueUrl=source.queue_url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=self.retry_after_seconds,
                    )
        if done:
            sqs.delete_message_batch(
                QueueUrl=source.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        return len(done)

    def _pump_feedback(self) -> int:
        """Delivery feedback for what moto's SES and SNS received since the last pass."""
        if "notification_feedback" not in self.app.handler_map:
            return 0
        try:
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.ses.models import RawMessage, ses_backends
            from moto.sns.models import sns_backends
        except ImportError:
            return 0
        region = settings().region
        ses_records = []
        for sent in list(ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages):
            if sent.id in self._fed_back or not isinstance(sent, RawMessage):
                continue
            self._fed_back.add(sent.id)
            mime = email.message_from_string(sent.raw_data)
            ses_records.append(_ses_event(sent.id, list(sent.destinations), mime))
        sms_logs = []
        backend = sns_backends[DEFAULT_ACCOUNT_ID][region]
        for message_id, (phone, _text) in list(backend.sms_messages.items()):
            if message_id in self._fed_back:
                continue
            self._fed_back.add(message_id)
            sms_logs.append(_sms_log(message_id, phone, phone in backend.opt_out_numbers))
        if ses_records:
            self._invoke("notification_feedback", {"Records": ses_records})
        if sms_logs:
            self._invoke("notification_feedback", _awslogs(sms_logs))
        return len(ses_records) + len(sms_logs)

    def pump_once(self) -> int:
        """One pass over every source; returns how many records were handled successfully."""
        handled = 0
        for stream in self.streams:
            handled += self._pump_stream(stream)
        for queue in self.queues:
            handled += self._pump_queue(queue)
        if self.feedback:
            handled += self._pump_feedback()
        return handled

    def drain(self, max_passes: int = 50) -> int:
        """Pump until nothing moves (tests call this to run the whole event path)."""
        total = 0
        checked = False
        for _ in range(max_passes):
            moved = self.pump_once()
            total += moved
            if moved:
                checked = False
            elif checked:
                break
            else:
                # Once more with every last record checked in its place (an idle pass does
                # that once a second only): nothing is left behind a rewritten shard.
                for stream in self.streams:
                    for shard in stream.shards.values():
                        shard.checked_at = float("-inf")
                checked = True
        return total


def _release_moto_iterators() -> None:
    """In-process moto keeps every shard iterator it ever handed out (two a pass here, about
    4 KB: over a gigabyte a day of `make run`); none is used once its pass is over, and
    nothing else reads the streams."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodbstreams.models import dynamodbstreams_backends
    except ImportError:
        return
    dynamodbstreams_backends[DEFAULT_ACCOUNT_ID][settings().region].shard_iterators.clear()


def _shard_ids(streams: Any, arn: str) -> list[str]:
    """Every shard of the stream as described now."""
    found: list[str] = []
    start: dict[str, str] = {}
    while True:
        described = streams.describe_stream(StreamArn=arn, **start)["StreamDescription"]
        found.extend(shard["ShardId"] for shard in described["Shards"])
        if not described.get("LastEvaluatedShardId"):
            return found
        start = {"ExclusiveStartShardId": described["LastEvaluatedShardId"]}


def _iterator(streams: Any, arn: str, shard_id: str, kind: str, sequence: str = "") -> str:
    position = {"SequenceNumber": sequence} if sequence else {}
    iterator: str = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **position
    )["ShardIterator"]
    return iterator


def _read_shard(
    streams: Any, arn: str, shard_id: str, shard: _Shard, want: int
) -> list[dict[str, Any]]:
    """Up to `want` records of one shard not handed over yet, from a new iterator opened
    after the last record read.

    Before handing anything over (and once a second when idle) the last record read is
    looked for where it was: moto restores a table and its stream from a copy when a
    transaction is cancelled, dropping the stream records the transaction had written
    meanwhile and giving their sequence numbers to the next writes. A record read in that
    instant is then gone from its place, and reading on after its sequence number would
    skip the new records that took it: the shard is read again from the oldest record
    remembered, and event ids tell what was handed over already."""
    if shard.last is None:
        iterator = _iterator(streams, arn, shard_id, "TRIM_HORIZON")
        return _take(streams, iterator, shard, want, pages=1)
    sequence, event_id = shard.last
    answer = streams.get_records(
        ShardIterator=_iterator(streams, arn, shard_id, "AFTER_SEQUENCE_NUMBER", sequence),
        Limit=want,
    )
    due = time.monotonic() - shard.checked_at >= CHECK_LAST_EVERY_SECONDS
    if not answer["Records"] and not due:
        return []  # idle: two cheap calls (the last record is not sent again each time)
    shard.checked_at = time.monotonic()
    last = streams.get_records(
        ShardIterator=_iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", sequence),
        Limit=1,
    )["Records"]
    if last and last[0]["eventID"] == event_id:
        return _take_page(answer, shard, want)
    oldest = next(iter(shard.seen.values()))  # `last` is always among them
    try:
        iterator = _iterator(streams, arn, shard_id, "AT_SEQUENCE_NUMBER", oldest)
    except ClientError:  # trimmed meanwhile: from the oldest record the stream keeps
        iterator = _iterator(streams, arn, shard_id, "TRIM_HORIZON")
    return _take(streams, iterator, shard, want, pages=MAX_REREAD_PAGES)


def _take(
    streams: Any, iterator: str | None, shard: _Shard, want: int, pages: int
) -> list[dict[str, Any]]:
    fresh: list[dict[str, Any]] = []
    for _ in range(pages):
        if iterator is None or len(fresh) >= want:
            break
        answer = streams.get_records(ShardIterator=iterator, Limit=max(want - len(fresh), 1))
        fresh.extend(_take_page(answer, shard, want - len(fresh)))
        if not answer["Records"]:
            break
        iterator = answer.get("NextShardIterator")
    return fresh


def _take_page(answer: dict[str, Any], shard: _Shard, want: int) -> list[dict[str, Any]]:
    """The records of one `GetRecords` answer not handed over yet (at most `want`; the rest
    is read again next pass), remembered as read."""
    fresh: list[dict[str, Any]] = []
    for record in answer["Records"]:
        if str(record["eventID"]) in shard.seen:
            shard.remember(record)
            continue
        if len(fresh) >= want:
            return fresh
        fresh.append(record)
        shard.remember(record)
    if not answer.get("NextShardIterator"):
        shard.closed = True
    return fresh


def _ses_event(message_id: str, destinations: list[str], mime: Any) -> dict[str, Any]:
    """An SES configuration-set event as SNS hands it to a subscribed Lambda."""
    from chalicelib.notifications.senders import NOTIFICATION_HEADER, NOTIFICATION_TAG

    to = ", ".join(dict.fromkeys(destinations)).lower()
    mail: dict[str, Any] = {"messageId": message_id, "destination": destinations, "tags": {}}
    notification_id = mime.get(NOTIFICATION_HEADER)
    if notification_id:
        mail["tags"][NOTIFICATION_TAG] = [notification_id]
    moment = datetime.now(UTC).isoformat()
    event: dict[str, Any] = {"mail": mail}
    if "bounce" in to:
        event["eventType"] = "Bounce"
        event["bounce"] = {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {"emailAddress": to, "diagnosticCode": "smtp; 550 5.1.1 user unknown"}
            ],
            "timestamp": moment,
        }
    elif "complaint" in to:
        event["eventType"] = "Complaint"
        event["complaint"] = {"complaintFeedbackType": "abuse", "timestamp": moment}
    else:
        event["eventType"] = "Delivery"
        event["delivery"] = {"timestamp": moment, "recipients": destinations}
    return {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "Sns": {
            "Type": "Notification",
            "MessageId": str(uuid.uuid4()),
            "Message": json.dumps(event),
        },
    }


def _sms_log(message_id: str, phone: str, opted_out: bool) -> dict[str, Any]:
    """One SNS SMS delivery-status log entry."""
    return {
        "notification": {
            "messageId": message_id,
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
        },
        "delivery": {
            "destination": phone,
            "smsType": "Transactional",
            "providerResponse": (
                "Phone number is opted out" if opted_out else "Message has been accepted by phone"
            ),
            "priceInUSD": 0.0,
        },
        "status": "FAILURE" if opted_out else "SUCCESS",
    }


def _awslogs(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A CloudWatch Logs subscription event carrying `entries` as log lines."""
    payload = {
        "messageType": "DATA_MESSAGE",
        "logGroup": "sns/eu-west-3/123456789012/DirectPublishToPhoneNumber",
        "logEvents": [
            {"id": str(i), "timestamp": 0, "message": json.dumps(entry)}
            for i, entry in enumerate(entries)
        ],
    }
    data = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
    return {"awslogs": {"data": data}}
