"""Notifications (issue 5): the integration events topic; delivery feedback (SES
configuration-set events through an SNS topic, SNS SMS delivery-status logs through
subscription filters) into the `notification_feedback` function; the account's SMS settings
(a custom resource served by the app: CloudFormation has none for them), the spend limit and
its alarms; and what sending e-mail and SMS takes."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.components.alarms import Alarms
from infra.components.builders import kept_log_group, service_topic
from infra.components.chalice_app import ChaliceApp
from infra.components.config import DELIVER_FUNCTION, FEEDBACK_FUNCTION, SMS_SETTINGS_FUNCTION
from infra.components.naming import Group

# SNS refuses a limit above the account's SMS quota (1 USD on a new account): raise the
# quota through AWS support first. The alarm fires at 80 % of it, before SNS stops sending.
DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD = 5000
SMS_SPEND_ALARM_RATIO = 0.8
SES_FEEDBACK_EVENTS = ("DELIVERY", "BOUNCE", "COMPLAINT", "REJECT")
SMS_DELIVERY_LOG_GROUPS = ("DirectPublishToPhoneNumber", "DirectPublishToPhoneNumber/Failure")


# -- what sending takes (granted to the app's functions in permissions.py) -----------------
def sending_statements(scope: Construct, mail_from: str) -> list[iam.PolicyStatement]:
    """SES from `MAIL_FROM` only (any identity and configuration set of the region), and
    SNS publishing: an SMS to a phone number has no resource ARN, AWS requires "*" there."""
    stack = Stack.of(scope)
    ses_arn = f"arn:{stack.partition}:ses:{stack.region}:{stack.account}"
    return [
        iam.PolicyStatement(
            actions=["ses:SendEmail", "ses:SendRawEmail"],
            resources=[f"{ses_arn}:identity/*", f"{ses_arn}:configuration-set/*"],
            conditions={"StringEquals": {"ses:FromAddress": mail_from}} if mail_from else None,
        ),
        iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]),
    ]


def sms_settings_statements(scope: Construct, stage: str) -> list[iam.PolicyStatement]:
    """Setting the account's SMS attributes (no resource ARN), and handing SNS the
    delivery-status role."""
    return [
        iam.PolicyStatement(actions=["sns:SetSMSAttributes"], resources=["*"]),
        iam.PolicyStatement(
            actions=["iam:PassRole"],
            resources=[sms_delivery_role_arn(scope, stage)],
            conditions={"StringEquals": {"iam:PassedToService": "sns.amazonaws.com"}},
        ),
    ]


def sms_delivery_role_name(stage: str) -> str:
    return f"massar-{stage}-sms-delivery-status"


def sms_delivery_role_arn(scope: Construct, stage: str) -> str:
    # From its name, not a reference: the role's construct comes after the functions'.
    stack = Stack.of(scope)
    return f"arn:{stack.partition}:iam::{stack.account}:role/{sms_delivery_role_name(stage)}"


class Notifications(Group):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        app: ChaliceApp,
        alarms: Alarms,
        notify_concurrency: int,
        sms_spend_limit_usd: int = DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        # Integration events (password_changed for the taalim.ma mailbox, seed 000).
        self.events_topic = sns.Topic(
            self,
            "IntegrationEventsTopic",
            topic_name=f"massar-{stage}-events",
            master_key=kms.Alias.from_alias_name(self, "SnsManagedKey", "alias/aws/sns"),
            enforce_ssl=True,
        )
        app.add_environment("EVENTS_TOPIC_ARN", self.events_topic.topic_arn)
        # The deliver path splits each channel's rate between its concurrent invocations.
        app.add_environment("NOTIFY_MAX_CONCURRENCY", str(notify_concurrency), DELIVER_FUNCTION)
        feedback_arn = app.function_arn(FEEDBACK_FUNCTION)
        self._ses_feedback(app, feedback_arn)
        delivery_role = self._sms_feedback(feedback_arn)
        self._sms_settings(
            app.function_arn(SMS_SETTINGS_FUNCTION), delivery_role, sms_spend_limit_usd, alarms
        )

    def _ses_feedback(self, app: ChaliceApp, feedback_arn: str) -> None:
        """A configuration set whose events go to an encrypted topic the function reads."""
        topic = service_topic(
            self,
            "SesEventsTopic",
            topic_name=f"massar-{self.stage}-ses-events",
            description=f"Massar {self.stage}: SES delivery events topic encryption",
            service="ses.amazonaws.com",
        )
        configuration_set = ses.ConfigurationSet(
            self,
            "NotifyConfigurationSet",
            configuration_set_name=f"massar-{self.stage}-notifications",
            reputation_metrics=True,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        )
        ses.ConfigurationSetEventDestination(
            self,
            "NotifyEventDestination",
            configuration_set=configuration_set,
            destination=ses.EventDestination.sns_topic(topic),
            events=[ses.EmailSendingEvent[name] for name in SES_FEEDBACK_EVENTS],
        )
        app.add_environment(
            "SES_CONFIGURATION_SET", configuration_set.configuration_set_name, DELIVER_FUNCTION
        )
        sns.Subscription(
            self,
            "SesEventsSubscription",
            topic=topic,
            protocol=sns.SubscriptionProtocol.LAMBDA,
            endpoint=feedback_arn,
        )
        lambda_.CfnPermission(
            self,
            "SesEventsInvokeFeedback",
            action="lambda:InvokeFunction",
            function_name=feedback_arn,
            principal="sns.amazonaws.com",
            source_arn=topic.topic_arn,
        )
        for name, value in {
            "SesEventsTopicArn": topic.topic_arn,
            "NotifyConfigurationSetName": configuration_set.configuration_set_name,
        }.items():
            cdk.CfnOutput(self, name, value=value)

    def _sms_feedback(self, feedback_arn: str) -> iam.Role:
        """SNS writes SMS delivery status to log groups (with the role returned); a
        subscription filter hands every entry to the feedback function."""
        stack = Stack.of(self)
        delivery_role = iam.Role(
            self,
            "SmsDeliveryStatusRole",
            role_name=sms_delivery_role_name(self.stage),
            assumed_by=iam.ServicePrincipal("sns.amazonaws.com"),
            description=f"Massar {self.stage}: SNS writes SMS delivery status logs",
            inline_policies={
                "delivery-status-logs": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            actions=[
                                "logs:CreateLogGroup",
                                "logs:CreateLogStream",
                                "logs:PutLogEvents",
                                "logs:PutMetricFilter",
                                "logs:PutRetentionPolicy",
                            ],
                            resources=[
                                f"arn:{stack.partition}:logs:{stack.region}:{stack.account}"
                                f":log-group:sns/{stack.region}/{stack.account}/*"
                            ],
                        )
                    ]
                )
            },
        )
        for index, suffix in enumerate(SMS_DELIVERY_LOG_GROUPS):
            group = kept_log_group(
                self,
                f"SmsDeliveryLogGroup{index}",
                f"sns/{stack.region}/{stack.account}/{suffix}",
            )
            permission = lambda_.CfnPermission(
                self,
                f"SmsDeliveryLogsInvokeFeedback{index}",
                action="lambda:InvokeFunction",
                function_name=feedback_arn,
                principal=f"logs.{stack.region}.amazonaws.com",
                source_arn=group.log_group_arn,
            )
            subscription = logs.CfnSubscriptionFilter(
                self,
                f"SmsDeliveryLogsSubscription{index}",
                log_group_name=group.log_group_name,
                destination_arn=feedback_arn,
                filter_pattern="",
            )
            subscription.add_dependency(permission)
        return delivery_role

    def _sms_settings(
        self, settings_arn: str, delivery_role: iam.Role, spend_limit_usd: int, alarms: Alarms
    ) -> None:
        """The account's SMS settings, and alarms before the spend limit and on failures."""
        sms_settings = cdk.CustomResource(
            self,
            "SmsSettingsCustomResource",
            service_token=settings_arn,
            resource_type="Custom::SmsAccountSettings",
            properties={
                "MonthlySpendLimit": str(spend_limit_usd),
                "DeliveryStatusIAMRole": delivery_role.role_arn,
                "DeliveryStatusSuccessSamplingRate": "100",
                "DefaultSMSType": "Transactional",
            },
        )
        sms_settings.node.add_dependency(delivery_role)
        alarms.add(
            "sms-spend",
            cloudwatch.Metric(
                namespace="AWS/SNS",
                metric_name="SMSMonthToDateSpentUSD",
                statistic="Maximum",
                period=Duration.minutes(5),
            ),
            threshold=round(spend_limit_usd * SMS_SPEND_ALARM_RATIO, 2),
            description=(
                f"SMS spend this month passed {int(SMS_SPEND_ALARM_RATIO * 100)}% of the "
                f"{spend_limit_usd} USD limit; SNS stops sending SMS at the limit."
            ),
        )
        alarms.add(
            "sms-delivery-failures",
            cloudwatch.Metric(
                namespace="AWS/SNS",
                metric_name="NumberOfNotificationsFailed",
                dimensions_map={"SMSType": "Transactional", "Country": "MA"},
                statistic="Sum",
                period=Duration.minutes(5),
            ),
            threshold=100,
            description="More than 100 SMS failed in 5 minutes.",
        )
