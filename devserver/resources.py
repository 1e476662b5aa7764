"""Every AWS resource the app uses, created locally (production creates them in infra/)."""

from __future__ import annotations

import json

from chalicelib.accounts.issuance.api import JOBS_QUEUE_PLACEHOLDER
from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from chalicelib.core.tables import create_missing_tables
from chalicelib.notifications.events import (
    NOTIFY_QUEUE_PLACEHOLDER,
    OUTBOX_STREAM_PLACEHOLDER,
    REGISTRATIONS_STREAM_PLACEHOLDER,
)

# After this many failed deliveries a notify message moves to the dead-letter queue.
MAX_RECEIVE_COUNT = 5
VISIBILITY_TIMEOUT_SECONDS = 60


def queue_name_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _queue_with_dead_letters(url: str) -> None:
    sqs = client("sqs")
    dlq = sqs.create_queue(QueueName=queue_name_of(url) + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sqs.create_queue(
        QueueName=queue_name_of(url),
        Attributes={
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT_SECONDS),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
            ),
        },
    )


def create_local_resources() -> None:
    config = settings()
    create_missing_tables()
    _queue_with_dead_letters(config.notify_queue_url)
    _queue_with_dead_letters(config.jobs_queue_url)
    client("sns").create_topic(Name=config.events_topic_arn.rsplit(":", 1)[-1])
    s3 = client("s3")
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if config.media_bucket not in existing:
        s3.create_bucket(
            Bucket=config.media_bucket,
            CreateBucketConfiguration={"LocationConstraint": config.region},
        )
    client("ses").verify_email_identity(EmailAddress=config.mail_from)


def stream_sources() -> dict[str, str]:
    """Placeholder stream ARN in the app → local table whose stream feeds that handler."""
    return {
        OUTBOX_STREAM_PLACEHOLDER: settings().outbox_table,
        REGISTRATIONS_STREAM_PLACEHOLDER: settings().registrations_table,
    }


def queue_sources() -> dict[str, str]:
    """Placeholder queue name in the app → local queue URL."""
    return {
        NOTIFY_QUEUE_PLACEHOLDER: settings().notify_queue_url,
        JOBS_QUEUE_PLACEHOLDER: settings().jobs_queue_url,
    }
