"""Bring notifications back after a failure was fixed: from the notify dead-letter queue,
and from the outbox-stream batches the relay gave up on.

Usage (against the stage named by the environment, as the Lambda functions see it)::

    python -m chalicelib.notifications.redrive notify [--dry-run] [--max N]
    python -m chalicelib.notifications.redrive relay  [--dry-run] [--max N]
    make redrive ARGS="notify --dry-run"

`notify` moves every message of the notify dead-letter queue back to the notify queue,
as a fresh message (a new receive count). Notifications already sent or failed for good
are only removed from the dead-letter queue: the deliver path would ignore them anyway
(the outbox id is the idempotency key), so a redrive never sends anything twice.
Unreadable messages stay in the dead-letter queue and are counted as `kept`.

`relay` reads the relay-failure queue (the outbox stream event source's on-failure
destination: each message names a shard and a range of sequence numbers), reads those
records from the stream again (kept 24 hours) and queues their notifications. A batch
whose records have left the stream is kept and counted as `expired`.

Where: NOTIFY_QUEUE_URL (and MASSAR_REGION, AWS credentials) as for the Lambda functions;
the dead-letter queue is `<notify queue>-dlq` and the relay-failure queue
`massar-<stage>-outbox-relay-failures` beside it, as the CDK stack names them
(`--dlq-url`, `--failures-url` override). For a deployed stage, take the URLs from the
stack's outputs (NotifyQueueUrl, NotifyDeadLetterQueueUrl, RelayFailureQueueUrl).
Locally, `AWS_ENDPOINT_URL` points it at the devserver's emulator.

`--dry-run` only counts (messages are made visible again at once). `--max N` stops after N
messages. The command prints one JSON line: {"moved", "done", "kept", "expired"}.
Run it once the cause is fixed (the DLQ alarm says when there is something to do): a
redrive before the fix only sends the messages back to the dead-letter queue.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from chalicelib.notifications.rules import NotificationStatus


@dataclass
class RedriveCount:
    moved: int = 0  # back on the notify queue
    done: int = 0  # already sent or failed for good: removed from the DLQ only
    kept: int = 0  # unreadable, left where it was
    expired: int = 0  # relay: its records have left the stream

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def dlq_url() -> str:
    return settings().notify_queue_url + "-dlq"


def relay_failures_url() -> str:
    config = settings()
    return config.notify_queue_url.rsplit("/", 1)[0] + (
        f"/massar-{config.stage}-outbox-relay-failures"
    )


def _receive(queue_url: str, wanted: int) -> list[dict[str, Any]]:
    answer = client("sqs").receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=max(1, min(10, wanted)),
        WaitTimeSeconds=0,
        VisibilityTimeout=60,
    )
    messages: list[dict[str, Any]] = answer.get("Messages", [])
    return messages


def _delete(queue_url: str, messages: Sequence[dict[str, Any]]) -> None:
    if messages:
        client("sqs").delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
            ],
        )


def _show_again(queue_url: str, messages: Sequence[dict[str, Any]]) -> None:
    if messages:
        client("sqs").change_message_visibility_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for i, m in enumerate(messages)
            ],
        )


def _drain(
    queue_url: str,
    limit: int | None,
    dry_run: bool,
    handle: Callable[[dict[str, Any]], str],
) -> RedriveCount:
    """Receive from `queue_url` until it is empty (or `limit`); `handle` says what became of
    each message: "moved", "done" (both deleted), "kept" or "expired" (left)."""
    count = RedriveCount()
    seen = 0
    left: list[dict[str, Any]] = []
    while limit is None or seen < limit:
        messages = _receive(queue_url, 10 if limit is None else limit - seen)
        if not messages:
            break
        seen += len(messages)
        finished = []
        for message in messages:
            outcome = handle(message)
            setattr(count, outcome, getattr(count, outcome) + 1)
            if outcome in ("moved", "done") and not dry_run:
                finished.append(message)
            else:
                left.append(message)
        _delete(queue_url, finished)
    # Left messages stay invisible while we loop (so we do not see them twice), then
    # come back at once.
    for start in range(0, len(left), 10):
        _show_again(queue_url, left[start : start + 10])
    return count


def redrive_notify(
    limit: int | None = None, dry_run: bool = False, source: str | None = None
) -> RedriveCount:
    from chalicelib.notifications.delivery import QueueMessage
    from chalicelib.notifications.store import get_record

    target = settings().notify_queue_url
    finished_states = (NotificationStatus.SENT, NotificationStatus.FAILED)

    def handle(message: dict[str, Any]) -> str:
        try:
            parsed = QueueMessage.parse(message.get("Body", ""))
        except ValueError:
            return "kept"
        record = get_record(parsed.id)
        if record is None or record.status in finished_states:
            return "done"
        if not dry_run:
            fresh = QueueMessage(parsed.id, parsed.channel, parsed.template)
            client("sqs").send_message(QueueUrl=target, MessageBody=fresh.body())
        return "moved"

    return _drain(source or dlq_url(), limit, dry_run, handle)


def redrive_relay(
    limit: int | None = None, dry_run: bool = False, source: str | None = None
) -> RedriveCount:
    from chalicelib.notifications.delivery import OutboxChange, relay_to_queue

    streams = client("dynamodbstreams")

    def handle(message: dict[str, Any]) -> str:
        try:
            info = json.loads(message.get("Body", ""))["DDBStreamBatchInfo"]
            arn, shard = info["streamArn"], info["shardId"]
            first, last = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
        except (ValueError, KeyError, TypeError):
            return "kept"
        try:
            iterator = streams.get_shard_iterator(
                StreamArn=arn,
                ShardId=shard,
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                SequenceNumber=str(first),
            )["ShardIterator"]
        except Exception:  # trimmed: older than the stream's 24 hours
            return "expired"
        changes: list[OutboxChange] = []
        while iterator:
            answer = streams.get_records(ShardIterator=iterator, Limit=1000)
            records = answer.get("Records", [])
            for record in records:
                data = record.get("dynamodb", {})
                if int(data.get("SequenceNumber", "0")) > last:
                    records = []
                    break
                image = data.get("NewImage")
                changes.append(
                    OutboxChange(
                        sequence_number=str(data.get("SequenceNumber")),
                        event_name=str(record.get("eventName")),
                        notification_id=_string(image, "id"),
                        status=_string(image, "status"),
                        channel=_string(image, "channel"),
                        template=_string(image, "template"),
                    )
                )
            if not records:
                break
            iterator = answer.get("NextShardIterator")
        if not dry_run and relay_to_queue(changes):
            return "kept"
        return "moved"

    return _drain(source or relay_failures_url(), limit, dry_run, handle)


def _string(image: dict[str, Any] | None, name: str) -> str | None:
    value = (image or {}).get(name) or {}
    return value.get("S") if isinstance(value, dict) else None


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chalicelib.notifications.redrive", description=__doc__
    )
    parser.add_argument("what", choices=("notify", "relay"))
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--max", type=int, default=None, dest="limit")
    parser.add_argument("--dlq-url", default=None)
    parser.add_argument("--failures-url", default=None)
    args = parser.parse_args(list(argv))
    if not settings().notify_queue_url:
        print("NOTIFY_QUEUE_URL is not set", file=sys.stderr)
        return 2
    if args.what == "notify":
        count = redrive_notify(args.limit, args.dry_run, args.dlq_url)
    else:
        count = redrive_relay(args.limit, args.dry_run, args.failures_url)
    print(json.dumps({"what": args.what, "dry_run": args.dry_run, **count.as_dict()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
