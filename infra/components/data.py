"""The stack's data: one table per model, the media bucket, and the secrets (JWT signing keys,
the secret-hash key, the edge secret); and what access to each of them is."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from chalicelib.core.models import ALL_MODELS
from infra.components.builders import private_bucket
from infra.components.naming import Group
from infra.components.tables import build_table, table_spec

# Item-level actions only. TransactWriteItems / TransactGetItems have no IAM action of
# their own: they are authorised through these per-item actions.
TABLE_ITEM_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
]
STREAM_READ_ACTIONS = [
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
]
# The origin custom header that tells the API a request came through CloudFront (web.py):
# its value is the edge secret.
EDGE_HEADER = "X-Massar-Edge"


class Data(Group):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        self.specs = [table_spec(model) for model in ALL_MODELS]
        self.tables = {spec.logical: build_table(self, spec, stage) for spec in self.specs}
        # Settings field in capitals → table name: the functions' environment.
        self.table_names = {spec.env_var: spec.table_name(stage) for spec in self.specs}
        self.media_bucket = self._media_bucket()
        self.jwt_secret = self._jwt_secret()
        # The HMAC key of initial codes' and recovery passwords' hashes (issue 14): `{"kid",
        # "key"}`, generated, never in the template; losing it voids pending initial codes.
        self.secret_hash_key = secretsmanager.Secret(
            self,
            "SecretHashKey",
            secret_name=f"massar/{stage}/secret-hash-key",
            description="Massar: HMAC key of initial codes and recovery passwords",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template='{"kid": "1"}',  # noqa: S106 - the key's id only
                generate_string_key="key",
                password_length=64,
                exclude_punctuation=True,
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.edge_secret = secretsmanager.Secret(
            self,
            "EdgeSecret",
            secret_name=f"massar/{stage}/edge-secret",
            description=(
                f"Massar: CloudFront's {EDGE_HEADER} header to the API; only with it does the "
                "API believe CloudFront-Viewer-Address"
            ),
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=48, exclude_punctuation=True
            ),
        )
        outputs = {
            "MediaBucketName": self.media_bucket.bucket_name,
            "JwtSecretArn": self.jwt_secret.secret_arn,
            **{
                spec.construct_id + "Name": self.tables[spec.logical].table_name
                for spec in self.specs
            },
        }
        for name, value in outputs.items():
            cdk.CfnOutput(self, name, value=value)

    def _media_bucket(self) -> s3.Bucket:
        return private_bucket(
            self,
            "MediaBucket",
            versioned=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-temporary-files", prefix="tmp/", expiration=Duration.days(7)
                ),
                # Credential letters carry initial codes and are fetched through 15-minute
                # links: gone after 2 days (a lost letter is issued again, new code).
                s3.LifecycleRule(
                    id="expire-credential-letters",
                    prefix="letters/",
                    expiration=Duration.days(2),
                ),
                s3.LifecycleRule(
                    id="old-versions",
                    noncurrent_version_expiration=Duration.days(30),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
        )

    def _jwt_secret(self) -> secretsmanager.Secret:
        """`{"current": {"kid", "key"}, "previous": []}` with a key nobody ever sees.

        Secrets Manager generates values only at the top level of a JSON secret: a seed
        secret holds the generated key, and the signing-keys secret embeds it through a
        dynamic reference, which CloudFormation resolves at deploy time (the template holds
        the reference only). Rotation writes a new `current` and moves the old one to
        `previous` in the signing-keys secret; the seed is never read again.
        """
        seed = secretsmanager.Secret(
            self,
            "JwtKeySeed",
            description="Massar: generated initial JWT signing key (read once by CloudFormation)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template="{}",  # noqa: S106 - an empty JSON object
                generate_string_key="key",
                password_length=64,
                exclude_punctuation=True,
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        document = cdk.Fn.join(
            "",
            [
                '{"current":{"kid":"',
                f"{self.stage}-1",
                '","key":"',
                seed.secret_value_from_json("key").unsafe_unwrap(),
                '"},"previous":[]}',
            ],
        )
        return secretsmanager.Secret(
            self,
            "JwtSigningKeys",
            secret_name=f"massar/{self.stage}/jwt-signing-keys",
            description="Massar: JWT signing keys {current: {kid, key}, previous: [...]}",
            # Only a dynamic reference is in the template, never the key.
            secret_string_value=cdk.SecretValue.unsafe_plain_text(document),
            removal_policy=RemovalPolicy.RETAIN,
        )

    # -- access ----------------------------------------------------------------------------
    def table_items(self, *names: str) -> iam.PolicyStatement:
        """Item actions on these tables (every table without names) and their indexes."""
        tables = [self.tables[name] for name in names] if names else list(self.tables.values())
        resources: list[str] = []
        for table in tables:
            resources += [table.table_arn, f"{table.table_arn}/index/*"]
        return iam.PolicyStatement(actions=TABLE_ITEM_ACTIONS, resources=resources)

    def read_stream(self, name: str) -> list[iam.PolicyStatement]:
        """What a stream event source mapping needs to read the table's stream."""
        return [
            iam.PolicyStatement(actions=STREAM_READ_ACTIONS, resources=[self.stream_arn(name)]),
            iam.PolicyStatement(
                actions=["dynamodb:ListStreams"],
                resources=[f"{self.tables[name].table_arn}/stream/*"],
            ),
        ]

    def stream_arn(self, name: str) -> str:
        arn = self.tables[name].table_stream_arn
        if arn is None:
            raise ValueError(f"the {name} model must declare a stream_view_type")
        return arn

    @staticmethod
    def read_secret(secret: secretsmanager.ISecret) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]
        )

    def media_objects(self, *actions: str, keys: str = "*") -> iam.PolicyStatement:
        """`s3:<action>` on the media bucket's objects whose keys match `keys`."""
        return iam.PolicyStatement(
            actions=[f"s3:{action}" for action in actions],
            resources=[self.media_bucket.arn_for_objects(keys)],
        )
