"""Alarms → an SNS topic (encrypted with a key CloudWatch may use): queue depths and age,
each function's errors and throttles, the relay's iterator age, the API's 5xx rate, each
table's throttle events. Other constructs add theirs through `Alarms.add` (notifications.py:
SMS spend and failures)."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.components.builders import service_topic
from infra.components.config import FUNCTIONS, RELAY_FUNCTION
from infra.components.data import Data
from infra.components.naming import Group
from infra.components.queues import Queues

MINUTE, FIVE_MINUTES = Duration.minutes(1), Duration.minutes(5)


class Alarms(Group):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: str, alarm_email: str | None
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        # Customer-managed key: CloudWatch must be allowed to use it.
        self.topic = service_topic(
            self,
            "AlarmTopic",
            topic_name=f"massar-{stage}-alarms",
            description=f"Massar {stage}: alarm topic encryption",
            service="cloudwatch.amazonaws.com",
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        cdk.CfnOutput(self, "AlarmTopicArn", value=self.topic.topic_arn)

    def add(
        self,
        name: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        description: str,
        evaluation_periods: int = 1,
        comparison: cloudwatch.ComparisonOperator = (
            cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        ),
    ) -> cloudwatch.Alarm:
        """`massar-<stage>-<name>`, to the topic when it fires and when it is over; no data
        is not a breach."""
        construct_id = "".join(part.capitalize() for part in name.split("-")) + "Alarm"
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_name=f"massar-{self.stage}-{name}",
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            comparison_operator=comparison,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        action = cloudwatch_actions.SnsAction(self.topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        return alarm

    def watch_queues(self, queues: Queues) -> None:
        for queue, name, what in (
            (queues.notify_dlq, "notify-dlq-depth", "notifications gave up after 5 attempts"),
            (queues.relay_failures, "relay-failures-depth", "outbox stream batches gave up"),
            (queues.jobs_dlq, "jobs-dlq-depth", "background job steps gave up after 3 attempts"),
        ):
            self.add(
                name,
                queue.metric_approximate_number_of_messages_visible(
                    period=MINUTE, statistic="Maximum"
                ),
                threshold=1,
                description=f"Messages in {queue.queue_name}: {what}.",
            )
        self.add(
            "notify-backlog-age",
            queues.notify.metric_approximate_age_of_oldest_message(
                period=MINUTE, statistic="Maximum"
            ),
            threshold=15 * 60,
            evaluation_periods=5,
            description="Notifications wait more than 15 minutes in the notify queue.",
        )

    def watch_functions(self, function_names: Mapping[str, str]) -> None:
        """Errors and throttles of every function; the relay's lag behind the outbox."""
        for logical, function_name in function_names.items():
            for metric_name in ("Errors", "Throttles"):
                self.add(
                    f"{FUNCTIONS[logical].replace('_', '-')}-{metric_name.lower()}",
                    cloudwatch.Metric(
                        namespace="AWS/Lambda",
                        metric_name=metric_name,
                        dimensions_map={"FunctionName": function_name},
                        statistic="Sum",
                        period=FIVE_MINUTES,
                    ),
                    threshold=1,
                    description=f"{metric_name} of Lambda function {function_name}.",
                )
        self.add(
            "relay-iterator-age",
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": function_names[RELAY_FUNCTION]},
                statistic="Maximum",
                period=MINUTE,
            ),
            threshold=5 * 60 * 1000,
            evaluation_periods=5,
            description="The outbox relay is more than 5 minutes behind the stream.",
        )

    def watch_api(self, api_stage: str) -> None:
        self.add(
            "api-5xx",
            cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name="5XXError",
                dimensions_map={"ApiName": f"massar-{self.stage}", "Stage": api_stage},
                statistic="Average",
                period=FIVE_MINUTES,
            ),
            threshold=0.01,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            description="More than 1% of API requests answered 5xx over 5 minutes.",
        )

    def watch_tables(self, data: Data) -> None:
        for spec in data.specs:
            table = data.tables[spec.logical]
            name = spec.table_name(self.stage)
            self.add(
                f"{spec.logical.replace('_', '-')}-throttles",
                cloudwatch.MathExpression(
                    expression="reads + writes",
                    using_metrics={
                        "reads": table.metric(
                            "ReadThrottleEvents", statistic="Sum", period=FIVE_MINUTES
                        ),
                        "writes": table.metric(
                            "WriteThrottleEvents", statistic="Sum", period=FIVE_MINUTES
                        ),
                    },
                    label=f"{name} throttle events",
                    period=FIVE_MINUTES,
                ),
                threshold=1,
                description=f"Requests throttled on table {name}.",
            )
