"""The queues: notify (outbox relay → deliver) and jobs (bulk issuing of accounts), each
with its dead-letter queue, and the relay-failure queue; and what access to them is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.components.config import DELIVER_FUNCTION, JOBS_FUNCTION, function_timeout
from infra.components.naming import Group

DLQ_MAX_RECEIVE_COUNT = 5
JOBS_MAX_RECEIVE_COUNT = 3
# What an SQS event source mapping needs to poll for its function.
CONSUME_ACTIONS = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
]


class Queues(Group):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: str, config: Mapping[str, Any]
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        # AWS: a queue's visibility timeout is at least six times its consumer's timeout.
        self.notify, self.notify_dlq = self._with_dead_letters(
            "Notify",
            "notify",
            6 * function_timeout(config, DELIVER_FUNCTION),
            DLQ_MAX_RECEIVE_COUNT,
        )
        self.jobs, self.jobs_dlq = self._with_dead_letters(
            "Jobs", "jobs", 6 * function_timeout(config, JOBS_FUNCTION), JOBS_MAX_RECEIVE_COUNT
        )
        # Where the streams' event sources put the coordinates of batches they gave up (each
        # message names its stream), to replay from the stream within 24 h.
        self.relay_failures = self._queue(
            "RelayFailureQueue",
            "outbox-relay-failures",
            retention_period=Duration.days(14),
        )
        for name, value in {
            "NotifyQueueUrl": self.notify.queue_url,
            "NotifyDeadLetterQueueUrl": self.notify_dlq.queue_url,
            "RelayFailureQueueUrl": self.relay_failures.queue_url,
        }.items():
            cdk.CfnOutput(self, name, value=value)

    def _queue(self, construct_id: str, name: str, **options: Any) -> sqs.Queue:
        """Encrypted (SSE-SQS), TLS only, kept when the stack goes."""
        return sqs.Queue(
            self,
            construct_id,
            queue_name=f"massar-{self.stage}-{name}",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            removal_policy=RemovalPolicy.RETAIN,
            **options,
        )

    def _with_dead_letters(
        self, logical: str, name: str, visibility_seconds: int, max_receive_count: int
    ) -> tuple[sqs.Queue, sqs.Queue]:
        """A working queue (kept 4 days) and its dead-letter queue (14 days); a message
        moves there after `max_receive_count` failed receives."""
        dead_letters = self._queue(
            f"{logical}DeadLetterQueue", f"{name}-dlq", retention_period=Duration.days(14)
        )
        queue = self._queue(
            f"{logical}Queue",
            name,
            visibility_timeout=Duration.seconds(visibility_seconds),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letters, max_receive_count=max_receive_count
            ),
        )
        return queue, dead_letters

    # -- access ----------------------------------------------------------------------------
    @staticmethod
    def consume(queue: sqs.IQueue, *, send: bool = False) -> iam.PolicyStatement:
        """Polling the queue for a function (and, with `send`, queuing to it too)."""
        actions = [*CONSUME_ACTIONS, "sqs:SendMessage"] if send else CONSUME_ACTIONS
        return iam.PolicyStatement(actions=actions, resources=[queue.queue_arn])

    @staticmethod
    def send(*queues: sqs.IQueue) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            actions=["sqs:SendMessage"], resources=[queue.queue_arn for queue in queues]
        )
