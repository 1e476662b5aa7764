"""Builders several constructs share: a private bucket, a retained log group, a topic
encrypted with a key an AWS service may use."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

LOG_RETENTION = logs.RetentionDays.THREE_MONTHS


def private_bucket(scope: Construct, construct_id: str, **options: Any) -> s3.Bucket:
    """No public access, encrypted, TLS only, owner-enforced; kept when the stack goes
    (CloudFormation cannot delete a bucket with files in it)."""
    return s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=RemovalPolicy.RETAIN,
        **options,
    )


def kept_log_group(scope: Construct, construct_id: str, name: str) -> logs.LogGroup:
    """Three months' retention; kept when the stack goes."""
    return logs.LogGroup(
        scope,
        construct_id,
        log_group_name=name,
        retention=LOG_RETENTION,
        removal_policy=RemovalPolicy.RETAIN,
    )


def service_topic(
    scope: Construct, construct_id: str, *, topic_name: str, description: str, service: str
) -> sns.Topic:
    """A TLS-only topic encrypted with its own rotating key (`<construct_id>Key`), which
    `service` (`cloudwatch.amazonaws.com`…) may use to publish: an AWS-managed SNS key does
    not let other services in."""
    key = kms.Key(
        scope,
        f"{construct_id}Key",
        description=description,
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    key.grant(iam.ServicePrincipal(service), "kms:Decrypt", "kms:GenerateDataKey*")
    return sns.Topic(scope, construct_id, topic_name=topic_name, master_key=key, enforce_ssl=True)
