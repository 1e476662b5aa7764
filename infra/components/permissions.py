"""Which function may do what. Each construct says what an access to its resources is
(`Data.table_items`, `Queues.consume`, `sending_statements`…); this table says who gets it.
The ChaliceApp construct adds to each role the writing of the function's own log group.

No `Scan`, no `dynamodb:*`, no `*` resource for DynamoDB, SQS or S3; the `*` resources are
SNS's (an SMS to a phone number and the account's SMS attributes have no ARN).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.components.config import (
    API_FUNCTION,
    AUTHORIZER_FUNCTION,
    COUNTS_FUNCTION,
    DELIVER_FUNCTION,
    FEEDBACK_FUNCTION,
    JOBS_FUNCTION,
    RELAY_FUNCTION,
    SMS_SETTINGS_FUNCTION,
    stage_variable,
)
from infra.components.data import Data
from infra.components.notifications import sending_statements, sms_settings_statements
from infra.components.queues import Queues

# The tables a job (issuing accounts and letters, one class at a time) reads and writes.
JOB_TABLES = ("accounts", "pupils", "jobs", "schools", "audit")


def function_permissions(
    scope: Construct, *, stage: str, config: Mapping[str, Any], data: Data, queues: Queues
) -> dict[str, list[iam.PolicyStatement]]:
    """Function (logical id) → its statements, in the order its policy lists them."""
    signing_keys = data.read_secret(data.jwt_secret)
    # Hashing and checking initial codes and recovery passwords (the API, the job runner).
    hash_key = data.read_secret(data.secret_hash_key)
    return {
        API_FUNCTION: [
            data.table_items(),
            signing_keys,
            hash_key,
            data.read_secret(data.edge_secret),
            data.media_objects("GetObject", "PutObject"),
            # Queuing an issuing job.
            queues.send(queues.jobs),
        ],
        AUTHORIZER_FUNCTION: [signing_keys],
        JOBS_FUNCTION: [
            hash_key,
            # A job's first step queues one message per class.
            queues.consume(queues.jobs, send=True),
            data.table_items(*JOB_TABLES),
            data.media_objects("PutObject", keys="letters/*"),
        ],
        RELAY_FUNCTION: [
            *data.read_stream("outbox"),
            # The notify queue, and the event source's on-failure destination (the event
            # source mapping sends with the function's role).
            queues.send(queues.notify, queues.relay_failures),
        ],
        DELIVER_FUNCTION: [
            queues.consume(queues.notify),
            data.table_items("outbox"),
            *sending_statements(scope, stage_variable(config, "MAIL_FROM")),
            # Quiet hours and the rate budget send messages back to the queue, delayed.
            queues.send(queues.notify),
        ],
        FEEDBACK_FUNCTION: [data.table_items("outbox")],
        COUNTS_FUNCTION: [
            *data.read_stream("registrations"),
            data.table_items("counters"),
            queues.send(queues.relay_failures),
        ],
        SMS_SETTINGS_FUNCTION: sms_settings_statements(scope, stage),
    }
