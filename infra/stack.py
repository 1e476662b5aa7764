"""The production stack: tables from the PynamoDB models, the notify queue and its DLQ, the
media bucket, the JWT signing keys, the Chalice app (through `chalice.cdk`), least-privilege
roles, gateway responses in the API's error envelope, and alarms.

What `chalice package` cannot express is set here as overrides on the SAM template it
generates; the logical ids below are the ones chalice gives (see `infra/README.md`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct
from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from chalicelib.core.error_texts import MESSAGES
from chalicelib.core.http import error_body
from chalicelib.core.models import ALL_MODELS
from infra.compiled_chalice import CompiledChalice

ROOT = Path(__file__).resolve().parent.parent
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
# The stage of .chalice/config.json every deployed stack starts from (never "dev": it
# carries a signing key in clear).
CONFIG_STAGE = "prod"

# Logical ids in the SAM template that `chalice package` writes (stable: derived from the
# handler names in chalicelib/handlers/).
API_FUNCTION = "APIHandler"
AUTHORIZER_FUNCTION = "JwtAuthorizer"
RELAY_FUNCTION = "RelayOutbox"
DELIVER_FUNCTION = "DeliverNotifications"
RELAY_EVENT = "RelayOutboxDynamodbEventSource"
DELIVER_EVENT = "DeliverNotificationsSqsEventSource"
REST_API = "RestAPI"
LAYER = "ManagedLayer"
# Logical id → the function's key in .chalice/config.json `lambda_functions`.
FUNCTIONS: dict[str, str] = {
    API_FUNCTION: "api_handler",
    AUTHORIZER_FUNCTION: "jwt_authorizer",
    RELAY_FUNCTION: "relay_outbox",
    DELIVER_FUNCTION: "deliver_notifications",
}

# Notifications: delivery feedback (SES configuration-set events through an SNS
# topic, SNS SMS delivery-status logs through subscription filters) and the account's SMS
# settings (a custom resource served by the app: CloudFormation has none for them).
FEEDBACK_FUNCTION = "NotificationFeedback"
SMS_SETTINGS_FUNCTION = "SmsAccountSettings"
FUNCTIONS.update(
    {FEEDBACK_FUNCTION: "notification_feedback", SMS_SETTINGS_FUNCTION: "sms_account_settings"}
)
# Accounts: the job runner that issues initial codes and letters, one class at a
# time, from the jobs queue.
JOBS_FUNCTION = "RunJobs"
JOBS_EVENT = "RunJobsSqsEventSource"
FUNCTIONS[JOBS_FUNCTION] = "run_jobs"
# Each class hashes ~80 codes (argon2id, ~50 ms each): a few runners at once are plenty.
JOBS_MAX_CONCURRENCY = 5
JOBS_MAX_RECEIVE_COUNT = 3
# The dashboard's counts, summed from the registrations stream in batches (no
# counter item in a request's transaction).
COUNTS_FUNCTION = "CountRegistrations"
COUNTS_EVENT = "CountRegistrationsDynamodbEventSource"
FUNCTIONS[COUNTS_FUNCTION] = "count_registrations"

# SNS refuses a limit above the account's SMS quota (1 USD on a new account): raise the
# quota through AWS support first. The alarm fires at 80 % of it, before SNS stops sending.
DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD = 5000
SMS_SPEND_ALARM_RATIO = 0.8
SES_FEEDBACK_EVENTS = ("DELIVERY", "BOUNCE", "COMPLAINT", "REJECT")
SMS_DELIVERY_LOG_GROUPS = ("DirectPublishToPhoneNumber", "DirectPublishToPhoneNumber/Failure")

# Chalice must be told a role to package with `manage_iam_role: false`; every function's
# `Role` is then overridden with the role this stack makes for it.
ROLE_PLACEHOLDER_ARN = "arn:aws:iam::000000000000:role/set-by-the-cdk-stack"
CONFIG_PLACEHOLDER = "set-by-the-cdk-stack"
# Environment variables whose values are CloudFormation references: they cannot go through
# chalice's packaging (it writes plain JSON), so they are set as overrides afterwards.
TOKEN_VARIABLES = ("NOTIFY_QUEUE_URL", "MEDIA_BUCKET", "JWT_SECRET_ARN", "SECRET_HASH_KEY_ARN")

LOG_RETENTION = logs.RetentionDays.THREE_MONTHS
# Notify queue → SES/SNS: at most this many concurrent deliver invocations (10 messages
# each), which is how sending stays under the SES/SNS rate quotas.
# The prod stage's NOTIFY_MAX_CONCURRENCY: the deliver path splits each channel's rate
# between this many invocations (chalicelib/notifications/delivery.py), so the two agree.
DEFAULT_NOTIFY_CONCURRENCY = int(
    json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))["stages"]["prod"]
    .get("environment_variables", {})
    .get("NOTIFY_MAX_CONCURRENCY", 10)
)
DLQ_MAX_RECEIVE_COUNT = 5
# Outbox stream → relay: bounded retries, then the batch's coordinates go to the
# relay-failure queue. Records stay in the stream 24 h: giving up after 6 h leaves an
# operator 18 h to replay them from the stream.
STREAM_MAX_RETRY_ATTEMPTS = 10
STREAM_MAX_RECORD_AGE_SECONDS = 6 * 3600

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

# API Gateway's own refusals, in the API's error envelope (French: gateway responses
# cannot follow Accept-Language). Response type → (status, error code); None keeps the
# status API Gateway chose.
GATEWAY_RESPONSES: dict[str, tuple[str | None, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "UNAUTHORIZED": ("401", "not_signed_in"),
    "ACCESS_DENIED": ("403", "forbidden"),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
    "THROTTLED": ("429", "too_many_attempts"),
    "QUOTA_EXCEEDED": ("429", "too_many_attempts"),
    "DEFAULT_5XX": (None, "internal_error"),
    "DEFAULT_4XX": (None, "bad_request"),
}
# Codes the gateway uses that chalicelib's message table does not (yet) hold.
FALLBACK_MESSAGES = {"bad_request": "Requête invalide."}

# The web client: web/ in a private bucket behind CloudFront, which also sends
# /v1/* to the API (one origin for the client: no CORS). The security headers come from
# web/security-headers.json, the file the devserver sends them from too.
WEB_DIR = ROOT / "web"
SECURITY_HEADERS_FILE = WEB_DIR / "security-headers.json"
# Deployed with `Cache-Control: no-cache` (revalidated at every load): the page and the
# service worker decide which version of everything else a browser runs.
WEB_ENTRY_POINTS = ("index.html", "sw.js")
WEB_ASSETS_MAX_AGE_SECONDS = 300
# In web/ for the devserver and the stack, not served.
WEB_NOT_SERVED = ("security-headers.json",)
API_PATH_PATTERN = "/v1/*"
# What the /v1/* behaviour sends the API besides the URL, body and query string. The API
# origin request policy's allow-list: no Host (API Gateway answers to its own name), no
# cookies (the API has none). CloudFront-Viewer-Address is the viewer's IP:port, added by
# CloudFront; the app believes it only with the edge secret (EDGE_HEADER).
API_ORIGIN_REQUEST_HEADERS = (
    "Content-Type",
    "Accept",
    "Idempotency-Key",
    "User-Agent",
    "CloudFront-Viewer-Address",
)
# An origin request policy cannot list Authorization (CloudFront refuses it: only the
# "all viewer headers" policies forward it): it is in the cache key instead, with the
# language the answers are worded in. Nothing is kept (see ApiCachePolicy).
API_CACHE_KEY_HEADERS = ("Authorization", "Accept-Language")
# The origin custom header that tells the API a request came through this distribution.
EDGE_HEADER = "X-Massar-Edge"

_ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}


# ---------------------------------------------------------------------------------------
# Tables, read from the models
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableSpec:
    """What the stack needs of one PynamoDB model."""

    model: type[Model]
    logical: str  # "accounts": the table is massar-<stage>-accounts
    env_var: str  # "ACCOUNTS_TABLE"
    schema: Mapping[str, Any]
    stream_view_type: str | None
    ttl_attribute: str | None

    @property
    def construct_id(self) -> str:
        return "".join(part.capitalize() for part in self.logical.split("_")) + "Table"

    def table_name(self, stage: str) -> str:
        # The same default as chalicelib.core.config.Settings: massar-<stage>-<logical>.
        return f"massar-{stage}-{self.logical.replace('_', '-')}"


def table_spec(model: type[Model]) -> TableSpec:
    meta: Any = model.Meta
    field = str(meta.settings_field)
    if not field.endswith("_table"):
        raise ValueError(f"{model.__name__}.Meta.settings_field should end with _table")
    ttl = [a.attr_name for a in model.get_attributes().values() if isinstance(a, TTLAttribute)]
    if len(ttl) > 1:
        raise ValueError(f"{model.__name__} has more than one TTLAttribute")
    return TableSpec(
        model=model,
        logical=field.removesuffix("_table"),
        env_var=field.upper(),
        schema=model._get_schema(),
        stream_view_type=getattr(meta, "stream_view_type", None),
        ttl_attribute=ttl[0] if ttl else None,
    )


def _attribute_types(schema: Mapping[str, Any]) -> dict[str, str]:
    types = {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]}
    for index in [*schema["global_secondary_indexes"], *schema["local_secondary_indexes"]]:
        types.update(
            {d["AttributeName"]: d["AttributeType"] for d in index["attribute_definitions"]}
        )
    return types


def _keys(
    key_schema: Sequence[Mapping[str, str]], types: Mapping[str, str]
) -> tuple[dynamodb.Attribute, dynamodb.Attribute | None]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in key_schema}

    def attribute(name: str) -> dynamodb.Attribute:
        return dynamodb.Attribute(name=name, type=_ATTRIBUTE_TYPES[types[name]])

    sort = by_type.get("RANGE")
    return attribute(by_type["HASH"]), attribute(sort) if sort else None


# ---------------------------------------------------------------------------------------
# Chalice stage configuration
# ---------------------------------------------------------------------------------------
def load_chalice_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))
    return config


def chalice_stage_config(stage: str, region: str, table_names: Mapping[str, str]) -> dict[str, Any]:
    """The `prod` stage of .chalice/config.json as chalice "user parameters".

    The chalice stage the construct packages is named after the stack, so config.json's
    stages do not apply by themselves: the prod stage is handed over here, with its
    environment overridden by this stack's names. Per-function settings (timeouts, memory)
    stay in config.json's top-level `lambda_functions`, which chalice still reads.
    """
    source = dict(load_chalice_config()["stages"][CONFIG_STAGE])
    if "lambda_functions" in source:
        raise ValueError(
            f"stages.{CONFIG_STAGE}.lambda_functions in .chalice/config.json would be ignored "
            "by the CDK stack: move those settings to the top-level lambda_functions"
        )
    environment = dict(source.pop("environment_variables", {}))
    if "MASSAR_JWT_SECRET" in environment:
        raise ValueError("a deployed stage reads its signing keys from Secrets Manager only")
    if "MASSAR_SECRET_HASH_KEY" in environment:
        raise ValueError("a deployed stage reads its secret-hash key from Secrets Manager only")
    if "EDGE_SECRET" in environment:
        raise ValueError("a deployed stage reads the edge secret from Secrets Manager only")
    environment.update(
        {
            "MASSAR_STAGE": stage,
            "MASSAR_REGION": region,
            **table_names,
        }
    )
    for name in TOKEN_VARIABLES:
        environment[name] = CONFIG_PLACEHOLDER  # replaced by an override, see MassarStack
    return {
        **source,
        "environment_variables": environment,
        # Dependencies in a layer keyed on requirements.txt alone: chalice then reuses it
        # from .chalice/deployments/ across code changes instead of running pip again (the
        # function's own zip is keyed on the app files, which change at every commit).
        "automatic_layer": True,
        "manage_iam_role": False,
        "iam_role_arn": ROLE_PLACEHOLDER_ARN,
        # Not chalice's `log_retention_in_days`: chalice 1.34 names the API function's log
        # group after `${ApiHandler}` where the function is `APIHandler`. The stack makes
        # the log groups (MassarStack._log_group).
    }


def function_timeout(config: Mapping[str, Any], key: str) -> int:
    functions = config.get("lambda_functions", {})
    return int(functions.get(key, {}).get("lambda_timeout") or config.get("lambda_timeout") or 60)


def gateway_responses() -> dict[str, Any]:
    """The `x-amazon-apigateway-gateway-responses` extension of the API's OpenAPI body."""
    responses: dict[str, Any] = {}
    for response_type, (status, code) in GATEWAY_RESPONSES.items():
        body = error_body(code, "fr")
        if code not in MESSAGES:
            body["error"]["message"] = FALLBACK_MESSAGES[code]
        response: dict[str, Any] = {
            "responseParameters": {
                "gatewayresponse.header.X-Request-Id": "context.requestId",
                "gatewayresponse.header.Cache-Control": "'no-store'",
            },
            # ASCII-escaped JSON: nothing in it that the VTL template language would read.
            "responseTemplates": {"application/json": json.dumps(body, separators=(",", ":"))},
        }
        if status is not None:
            response["statusCode"] = status
        responses[response_type] = response
    return responses


# ---------------------------------------------------------------------------------------
# The web client's security headers, from web/security-headers.json
# ---------------------------------------------------------------------------------------
CSP = "content-security-policy"
HSTS = "strict-transport-security"
CONTENT_TYPE_OPTIONS = "x-content-type-options"
FRAME_OPTIONS = "x-frame-options"
REFERRER_POLICY = "referrer-policy"


def load_security_headers(path: Path = SECURITY_HEADERS_FILE) -> dict[str, str]:
    """Header name → value, as web/security-headers.json holds them."""
    loaded: Any = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in loaded.items()
    ):
        raise ValueError(f"{path} should be a JSON object of header name → non-empty value")
    names = [k.lower() for k in loaded]
    if len(set(names)) != len(names):
        raise ValueError(f"{path} names a header twice")
    missing = {CSP, HSTS, CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_POLICY} - set(names)
    if missing:
        raise ValueError(f"{path} lacks {', '.join(sorted(missing))}")
    return dict(loaded)


def strict_transport_security(value: str) -> cloudfront.ResponseHeadersStrictTransportSecurity:
    """`max-age=<seconds>[; includeSubDomains][; preload]` as CloudFront's setting."""
    max_age: int | None = None
    include_subdomains = preload = False
    for directive in filter(None, (d.strip() for d in value.split(";"))):
        name, _, argument = directive.partition("=")
        match name.strip().lower():
            case "max-age":
                max_age = int(argument.strip().strip('"'))
            case "includesubdomains":
                include_subdomains = True
            case "preload":
                preload = True
            case _:
                raise ValueError(f"Strict-Transport-Security: unknown directive {directive!r}")
    if max_age is None:
        raise ValueError("Strict-Transport-Security needs a max-age")
    return cloudfront.ResponseHeadersStrictTransportSecurity(
        access_control_max_age=Duration.seconds(max_age),
        include_subdomains=include_subdomains,
        preload=preload,
        override=True,
    )


def security_headers_behavior(
    headers: Mapping[str, str], *, with_csp: bool = True
) -> cloudfront.ResponseSecurityHeadersBehavior:
    """CloudFront's security headers (CSP, HSTS, nosniff, frame options, referrer policy).

    Every header overrides what the origin sends. Without `with_csp`, the set for the API's
    JSON answers.
    """
    by_name = {k.lower(): v for k, v in headers.items()}
    if by_name[CONTENT_TYPE_OPTIONS].strip().lower() != "nosniff":
        raise ValueError("X-Content-Type-Options can only be nosniff")
    frame_option = by_name[FRAME_OPTIONS].strip().upper()
    referrer = by_name[REFERRER_POLICY].strip().lower()
    try:
        frame = cloudfront.HeadersFrameOption[frame_option]
        referrer_policy = cloudfront.HeadersReferrerPolicy[referrer.upper().replace("-", "_")]
    except KeyError as unknown:
        raise ValueError(f"a value CloudFront does not know: {unknown}") from None
    return cloudfront.ResponseSecurityHeadersBehavior(
        content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
            content_security_policy=by_name[CSP].strip(), override=True
        )
        if with_csp
        else None,
        strict_transport_security=strict_transport_security(by_name[HSTS]),
        content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
        frame_options=cloudfront.ResponseHeadersFrameOptions(frame_option=frame, override=True),
        referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
            referrer_policy=referrer_policy, override=True
        ),
    )


def custom_headers(headers: Mapping[str, str]) -> list[cloudfront.ResponseCustomHeader]:
    """The headers CloudFront has no security setting for (Permissions-Policy…)."""
    known = {CSP, HSTS, CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_POLICY}
    return [
        cloudfront.ResponseCustomHeader(header=name, value=value.strip(), override=True)
        for name, value in headers.items()
        if name.lower() not in known
    ]


# ---------------------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------------------
class MassarStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        notify_concurrency: int = DEFAULT_NOTIFY_CONCURRENCY,
        sms_monthly_spend_limit_usd: int = DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
        alarm_email: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.stage = stage
        config = load_chalice_config()
        cdk.Tags.of(self).add("project", "massar")
        cdk.Tags.of(self).add("stage", stage)

        # -- data --------------------------------------------------------------------------
        self.specs = [table_spec(model) for model in ALL_MODELS]
        self.tables = {spec.logical: self._table(spec) for spec in self.specs}
        outbox = self.tables["outbox"]

        # -- notifications -----------------------------------------------------------------
        deliver_timeout = function_timeout(config, FUNCTIONS[DELIVER_FUNCTION])
        # AWS: a queue's visibility timeout is at least six times its consumer's timeout.
        self.notify_queue, self.notify_dlq = self._queue_with_dead_letters(
            "Notify", "notify", 6 * deliver_timeout, DLQ_MAX_RECEIVE_COUNT
        )

        # Integration events (password_changed for the taalim.ma mailbox, seed 000).
        self.events_topic = sns.Topic(
            self,
            "IntegrationEventsTopic",
            topic_name=f"massar-{stage}-events",
            master_key=kms.Alias.from_alias_name(self, "SnsManagedKey", "alias/aws/sns"),
            enforce_ssl=True,
        )

        # -- background jobs (bulk issuing of accounts) ----------------------------------
        jobs_timeout = function_timeout(config, FUNCTIONS[JOBS_FUNCTION])
        self.jobs_queue, self.jobs_dlq = self._queue_with_dead_letters(
            "Jobs", "jobs", 6 * jobs_timeout, JOBS_MAX_RECEIVE_COUNT
        )
        # Where the outbox stream's event source puts the coordinates of batches it gave up.
        self.relay_failures = sqs.Queue(
            self,
            "RelayFailureQueue",
            queue_name=f"massar-{stage}-outbox-relay-failures",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            removal_policy=RemovalPolicy.RETAIN,
        )

        # -- files and secrets -------------------------------------------------------------
        self.media_bucket = self._private_bucket(
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
        self.jwt_secret = self._jwt_secret()
        # The HMAC key of initial codes' and recovery passwords' hashes: `{"kid",
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

        # -- the Chalice app ---------------------------------------------------------------
        self.function_names = {
            logical: f"massar-{stage}-{key.replace('_', '-')}" for logical, key in FUNCTIONS.items()
        }
        table_names = {spec.env_var: spec.table_name(stage) for spec in self.specs}
        # Chalice's construct, with bytecode compiled into what ships (infra/packaging.py).
        self.chalice = CompiledChalice(
            self,
            "Chalice",
            source_dir=str(ROOT),
            stage_config=chalice_stage_config(stage, self.region, table_names),
        )
        self.roles = self._roles(config)
        token_values = {
            "NOTIFY_QUEUE_URL": self.notify_queue.queue_url,
            "JOBS_QUEUE_URL": self.jobs_queue.queue_url,
            "EVENTS_TOPIC_ARN": self.events_topic.topic_arn,
            "MEDIA_BUCKET": self.media_bucket.bucket_name,
            "JWT_SECRET_ARN": self.jwt_secret.secret_arn,
            "SECRET_HASH_KEY_ARN": self.secret_hash_key.secret_arn,
        }
        for logical, name in self.function_names.items():
            function = self.chalice.get_resource(logical)
            function.add_property_override("FunctionName", name)
            # Created before the function, which would otherwise create it without retention.
            function.add_resource_dependency(self._log_group(logical))
            function.add_property_override("Role", self.roles[logical].role_arn)
            for variable, value in token_values.items():
                self.chalice.add_environment_variable(variable, value, logical)
        # Only the API function reads CloudFront's headers.
        self.chalice.add_environment_variable(
            "EDGE_SECRET_ARN", self.edge_secret.secret_arn, API_FUNCTION
        )

        relay = self.chalice.get_resource(RELAY_FUNCTION)
        self._override_event(
            relay,
            RELAY_EVENT,
            {
                "Stream": outbox.table_stream_arn,
                # Never skip an outbox record: start from the oldest one still in the stream.
                "StartingPosition": "TRIM_HORIZON",
                "BisectBatchOnFunctionError": True,
                "MaximumRetryAttempts": STREAM_MAX_RETRY_ATTEMPTS,
                "MaximumRecordAgeInSeconds": STREAM_MAX_RECORD_AGE_SECONDS,
                "DestinationConfig": {
                    "OnFailure": {"Type": "SQS", "Destination": self.relay_failures.queue_arn}
                },
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        )
        self._override_event(
            self.chalice.get_resource(COUNTS_FUNCTION),
            COUNTS_EVENT,
            {
                "Stream": self.tables["registrations"].table_stream_arn,
                # Every application counted: from the oldest record still in the stream.
                "StartingPosition": "TRIM_HORIZON",
                "BisectBatchOnFunctionError": True,
                "MaximumRetryAttempts": STREAM_MAX_RETRY_ATTEMPTS,
                "MaximumRecordAgeInSeconds": STREAM_MAX_RECORD_AGE_SECONDS,
                # The same queue as the relay's: each message names its stream.
                "DestinationConfig": {
                    "OnFailure": {"Type": "SQS", "Destination": self.relay_failures.queue_arn}
                },
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        )
        deliver = self.chalice.get_resource(DELIVER_FUNCTION)
        self._override_event(
            deliver,
            DELIVER_EVENT,
            {
                "Queue": self.notify_queue.queue_arn,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": notify_concurrency},
            },
        )

        self._override_event(
            self.chalice.get_resource(JOBS_FUNCTION),
            JOBS_EVENT,
            {
                "Queue": self.jobs_queue.queue_arn,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": JOBS_MAX_CONCURRENCY},
            },
        )

        self.chalice.get_resource(LAYER).add_property_override(
            "LayerName", f"massar-{stage}-dependencies"
        )

        rest_api = self.chalice.get_resource(REST_API)
        # A name per stage, so that two stages in one account have distinct API metrics.
        rest_api.add_property_override("Name", f"massar-{stage}")
        # In the OpenAPI body rather than AWS::ApiGateway::GatewayResponse resources: the
        # body is part of what the SAM deployment hashes, so the responses are deployed with
        # the API (separate resources only take effect at the *next* deployment).
        rest_api.add_property_override(
            "DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses()
        )

        # -- alarms ------------------------------------------------------------------------
        self.alarm_topic = self._alarm_topic(alarm_email)
        self._alarms(config)
        self._outputs()
        self._notifications(notify_concurrency, sms_monthly_spend_limit_usd)

        # -- the web client ----------------------------------------------------------------
        self._web_client(config)

    # -- builders --------------------------------------------------------------------------
    def _queue_with_dead_letters(
        self, logical: str, name: str, visibility_seconds: int, max_receive_count: int
    ) -> tuple[sqs.Queue, sqs.Queue]:
        """A working queue (kept 4 days) and its dead-letter queue (14 days), encrypted and
        TLS-only; a message moves there after `max_receive_count` failed receives."""
        dead_letters = sqs.Queue(
            self,
            f"{logical}DeadLetterQueue",
            queue_name=f"massar-{self.stage}-{name}-dlq",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            removal_policy=RemovalPolicy.RETAIN,
        )
        queue = sqs.Queue(
            self,
            f"{logical}Queue",
            queue_name=f"massar-{self.stage}-{name}",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(visibility_seconds),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letters, max_receive_count=max_receive_count
            ),
            removal_policy=RemovalPolicy.RETAIN,
        )
        return queue, dead_letters

    def _table(self, spec: TableSpec) -> dynamodb.Table:
        types = _attribute_types(spec.schema)
        partition_key, sort_key = _keys(spec.schema["key_schema"], types)
        table = dynamodb.Table(
            self,
            spec.construct_id,
            table_name=spec.table_name(self.stage),
            partition_key=partition_key,
            sort_key=sort_key,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            stream=dynamodb.StreamViewType(spec.stream_view_type)
            if spec.stream_view_type
            else None,
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in spec.schema["global_secondary_indexes"]:
            index_pk, index_sk = _keys(index["key_schema"], types)
            projection = index["projection"]
            table.add_global_secondary_index(
                index_name=index["index_name"],
                partition_key=index_pk,
                sort_key=index_sk,
                projection_type=dynamodb.ProjectionType(projection["ProjectionType"]),
                non_key_attributes=projection.get("NonKeyAttributes"),
            )
        for index in spec.schema["local_secondary_indexes"]:
            _, index_sk = _keys(index["key_schema"], types)
            if index_sk is None:
                raise ValueError(f"local index {index['index_name']} has no range key")
            projection = index["projection"]
            table.add_local_secondary_index(
                index_name=index["index_name"],
                sort_key=index_sk,
                projection_type=dynamodb.ProjectionType(projection["ProjectionType"]),
                non_key_attributes=projection.get("NonKeyAttributes"),
            )
        return table

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

    def _log_group(self, logical: str) -> logs.CfnLogGroup:
        group = logs.LogGroup(
            self,
            f"{logical}LogGroup",
            log_group_name=f"/aws/lambda/{self.function_names[logical]}",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        cfn_group = group.node.default_child
        assert isinstance(cfn_group, logs.CfnLogGroup)
        return cfn_group

    def _log_statement(self, logical: str) -> iam.PolicyStatement:
        # The log group exists before the function (see _log_group): no CreateLogGroup.
        name = self.function_names[logical]
        return iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[
                f"arn:{self.partition}:logs:{self.region}:{self.account}"
                f":log-group:/aws/lambda/{name}:*"
            ],
        )

    def _table_statement(self, tables: Sequence[dynamodb.Table]) -> iam.PolicyStatement:
        resources: list[str] = []
        for table in tables:
            resources += [table.table_arn, f"{table.table_arn}/index/*"]
        return iam.PolicyStatement(actions=TABLE_ITEM_ACTIONS, resources=resources)

    def _roles(self, config: Mapping[str, Any]) -> dict[str, iam.Role]:
        outbox = self.tables["outbox"]
        stream_arn = outbox.table_stream_arn
        if stream_arn is None:
            raise ValueError("the outbox model must declare a stream_view_type")
        mail_from = str(
            config["stages"][CONFIG_STAGE].get("environment_variables", {}).get("MAIL_FROM", "")
        )
        read_keys = iam.PolicyStatement(
            actions=["secretsmanager:GetSecretValue"], resources=[self.jwt_secret.secret_arn]
        )
        # Hashing and checking initial codes and recovery passwords (the API, the job runner).
        read_hash_key = iam.PolicyStatement(
            actions=["secretsmanager:GetSecretValue"], resources=[self.secret_hash_key.secret_arn]
        )
        ses_statement = iam.PolicyStatement(
            actions=["ses:SendEmail", "ses:SendRawEmail"],
            resources=[
                f"arn:{self.partition}:ses:{self.region}:{self.account}:identity/*",
                f"arn:{self.partition}:ses:{self.region}:{self.account}:configuration-set/*",
            ],
            conditions={"StringEquals": {"ses:FromAddress": mail_from}} if mail_from else None,
        )
        statements: dict[str, list[iam.PolicyStatement]] = {
            API_FUNCTION: [
                self._table_statement(list(self.tables.values())),
                read_keys,
                read_hash_key,
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"],
                    resources=[self.edge_secret.secret_arn],
                ),
                iam.PolicyStatement(
                    actions=["s3:GetObject", "s3:PutObject"],
                    resources=[self.media_bucket.arn_for_objects("*")],
                ),
                # Queuing an issuing job.
                iam.PolicyStatement(
                    actions=["sqs:SendMessage"], resources=[self.jobs_queue.queue_arn]
                ),
            ],
            AUTHORIZER_FUNCTION: [read_keys],
            JOBS_FUNCTION: [
                read_hash_key,
                iam.PolicyStatement(
                    actions=[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                        # A job's first step queues one message per class.
                        "sqs:SendMessage",
                    ],
                    resources=[self.jobs_queue.queue_arn],
                ),
                self._table_statement(
                    [
                        self.tables[name]
                        for name in ("accounts", "pupils", "jobs", "schools", "audit")
                    ]
                ),
                iam.PolicyStatement(
                    actions=["s3:PutObject"],
                    resources=[self.media_bucket.arn_for_objects("letters/*")],
                ),
            ],
            RELAY_FUNCTION: [
                iam.PolicyStatement(actions=STREAM_READ_ACTIONS, resources=[stream_arn]),
                iam.PolicyStatement(
                    actions=["dynamodb:ListStreams"], resources=[f"{outbox.table_arn}/stream/*"]
                ),
                # The notify queue, and the event source's on-failure destination (the
                # event source mapping sends with the function's role).
                iam.PolicyStatement(
                    actions=["sqs:SendMessage"],
                    resources=[self.notify_queue.queue_arn, self.relay_failures.queue_arn],
                ),
            ],
            DELIVER_FUNCTION: [
                # What the SQS event source mapping needs to poll for the function.
                iam.PolicyStatement(
                    actions=[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueAttributes",
                    ],
                    resources=[self.notify_queue.queue_arn],
                ),
                self._table_statement([outbox]),
                ses_statement,
                # SMS to a phone number has no resource ARN: AWS requires "*" here.
                iam.PolicyStatement(actions=["sns:Publish"], resources=["*"]),
            ],
        }
        statements[DELIVER_FUNCTION].append(
            # Quiet hours and the rate budget send messages back to the queue, delayed.
            iam.PolicyStatement(
                actions=["sqs:SendMessage"], resources=[self.notify_queue.queue_arn]
            )
        )
        statements[FEEDBACK_FUNCTION] = [self._table_statement([outbox])]
        registrations = self.tables["registrations"]
        statements[COUNTS_FUNCTION] = [
            iam.PolicyStatement(
                actions=STREAM_READ_ACTIONS, resources=[str(registrations.table_stream_arn)]
            ),
            iam.PolicyStatement(
                actions=["dynamodb:ListStreams"],
                resources=[f"{registrations.table_arn}/stream/*"],
            ),
            self._table_statement([self.tables["counters"]]),
            iam.PolicyStatement(
                actions=["sqs:SendMessage"], resources=[self.relay_failures.queue_arn]
            ),
        ]
        statements[SMS_SETTINGS_FUNCTION] = [
            # Account-level SMS attributes have no resource ARN.
            iam.PolicyStatement(actions=["sns:SetSMSAttributes"], resources=["*"]),
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self._sms_delivery_role_arn()],
                conditions={"StringEquals": {"iam:PassedToService": "sns.amazonaws.com"}},
            ),
        ]
        roles: dict[str, iam.Role] = {}
        for logical, own in statements.items():
            roles[logical] = iam.Role(
                self,
                f"{logical}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"Massar {self.stage}: {self.function_names[logical]}",
                # Inline, so the function (which references the role) is only created once
                # its permissions exist, and its event source mapping can be validated.
                inline_policies={
                    "least-privilege": iam.PolicyDocument(
                        statements=[*own, self._log_statement(logical)]
                    )
                },
            )
        return roles

    @staticmethod
    def _override_event(function: cdk.CfnResource, event: str, properties: dict[str, Any]) -> None:
        for name, value in properties.items():
            function.add_property_override(f"Events.{event}.Properties.{name}", value)

    def _alarm_topic(self, alarm_email: str | None) -> sns.Topic:
        # Customer-managed: CloudWatch must be allowed to use the key, which the AWS-managed
        # SNS key does not allow.
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description=f"Massar {self.stage}: alarm topic encryption",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        key.grant(
            iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*"
        )
        topic = sns.Topic(
            self,
            "AlarmTopic",
            topic_name=f"massar-{self.stage}-alarms",
            master_key=key,
            enforce_ssl=True,
        )
        if alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        return topic

    def _alarm(
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
        action = cloudwatch_actions.SnsAction(self.alarm_topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        return alarm

    def _alarms(self, config: Mapping[str, Any]) -> None:
        minute, five = Duration.minutes(1), Duration.minutes(5)
        for queue, name, what in (
            (self.notify_dlq, "notify-dlq-depth", "notifications gave up after 5 attempts"),
            (self.relay_failures, "relay-failures-depth", "outbox stream batches gave up"),
            (self.jobs_dlq, "jobs-dlq-depth", "background job steps gave up after 3 attempts"),
        ):
            self._alarm(
                name,
                queue.metric_approximate_number_of_messages_visible(
                    period=minute, statistic="Maximum"
                ),
                threshold=1,
                description=f"Messages in {queue.queue_name}: {what}.",
            )
        self._alarm(
            "notify-backlog-age",
            self.notify_queue.metric_approximate_age_of_oldest_message(
                period=minute, statistic="Maximum"
            ),
            threshold=15 * 60,
            evaluation_periods=5,
            description="Notifications wait more than 15 minutes in the notify queue.",
        )
        for logical, function_name in self.function_names.items():
            for metric_name in ("Errors", "Throttles"):
                self._alarm(
                    f"{FUNCTIONS[logical].replace('_', '-')}-{metric_name.lower()}",
                    cloudwatch.Metric(
                        namespace="AWS/Lambda",
                        metric_name=metric_name,
                        dimensions_map={"FunctionName": function_name},
                        statistic="Sum",
                        period=five,
                    ),
                    threshold=1,
                    description=f"{metric_name} of Lambda function {function_name}.",
                )
        self._alarm(
            "relay-iterator-age",
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": self.function_names[RELAY_FUNCTION]},
                statistic="Maximum",
                period=minute,
            ),
            threshold=5 * 60 * 1000,
            evaluation_periods=5,
            description="The outbox relay is more than 5 minutes behind the stream.",
        )
        api_stage = str(config["stages"][CONFIG_STAGE].get("api_gateway_stage", "api"))
        self._alarm(
            "api-5xx",
            cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name="5XXError",
                dimensions_map={"ApiName": f"massar-{self.stage}", "Stage": api_stage},
                statistic="Average",
                period=five,
            ),
            threshold=0.01,
            comparison=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            description="More than 1% of API requests answered 5xx over 5 minutes.",
        )
        for spec in self.specs:
            table = self.tables[spec.logical]
            self._alarm(
                f"{spec.logical.replace('_', '-')}-throttles",
                cloudwatch.MathExpression(
                    expression="reads + writes",
                    using_metrics={
                        "reads": table.metric("ReadThrottleEvents", statistic="Sum", period=five),
                        "writes": table.metric("WriteThrottleEvents", statistic="Sum", period=five),
                    },
                    label=f"{spec.table_name(self.stage)} throttle events",
                    period=five,
                ),
                threshold=1,
                description=f"Requests throttled on table {spec.table_name(self.stage)}.",
            )

    def _outputs(self) -> None:
        values = {
            "NotifyQueueUrl": self.notify_queue.queue_url,
            "NotifyDeadLetterQueueUrl": self.notify_dlq.queue_url,
            "RelayFailureQueueUrl": self.relay_failures.queue_url,
            "MediaBucketName": self.media_bucket.bucket_name,
            "JwtSecretArn": self.jwt_secret.secret_arn,
            "AlarmTopicArn": self.alarm_topic.topic_arn,
        }
        for spec in self.specs:
            values[spec.construct_id + "Name"] = self.tables[spec.logical].table_name
        for name, value in values.items():
            cdk.CfnOutput(self, name, value=value)

    # -- notifications ---------------------------------------------------------------------
    def _sms_delivery_role_name(self) -> str:
        return f"massar-{self.stage}-sms-delivery-status"

    def _sms_delivery_role_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:role/{self._sms_delivery_role_name()}"

    def _notifications(self, notify_concurrency: int, sms_spend_limit_usd: int) -> None:
        """Delivery feedback into `notification_feedback`, the SMS spend limit and its alarm,
        and the deliver function's view of its own concurrency (the rate split)."""
        self.chalice.add_environment_variable(
            "NOTIFY_MAX_CONCURRENCY", str(notify_concurrency), DELIVER_FUNCTION
        )
        feedback_arn = self.chalice.get_resource(FEEDBACK_FUNCTION).get_att("Arn").to_string()

        # SES: a configuration set whose events go to an encrypted topic the function reads.
        key = kms.Key(
            self,
            "SesEventsTopicKey",
            description=f"Massar {self.stage}: SES delivery events topic encryption",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        key.grant(iam.ServicePrincipal("ses.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        topic = sns.Topic(
            self,
            "SesEventsTopic",
            topic_name=f"massar-{self.stage}-ses-events",
            master_key=key,
            enforce_ssl=True,
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
        self.chalice.add_environment_variable(
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

        # SMS: SNS writes delivery status to these log groups (with the role below); a
        # subscription filter hands every entry to the same function.
        delivery_role = iam.Role(
            self,
            "SmsDeliveryStatusRole",
            role_name=self._sms_delivery_role_name(),
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
                                f"arn:{self.partition}:logs:{self.region}:{self.account}"
                                f":log-group:sns/{self.region}/{self.account}/*"
                            ],
                        )
                    ]
                )
            },
        )
        for index, suffix in enumerate(SMS_DELIVERY_LOG_GROUPS):
            group = logs.LogGroup(
                self,
                f"SmsDeliveryLogGroup{index}",
                log_group_name=f"sns/{self.region}/{self.account}/{suffix}",
                retention=LOG_RETENTION,
                removal_policy=RemovalPolicy.RETAIN,
            )
            permission = lambda_.CfnPermission(
                self,
                f"SmsDeliveryLogsInvokeFeedback{index}",
                action="lambda:InvokeFunction",
                function_name=feedback_arn,
                principal=f"logs.{self.region}.amazonaws.com",
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

        settings_function = self.chalice.get_resource(SMS_SETTINGS_FUNCTION)
        sms_settings = cdk.CustomResource(
            self,
            "SmsSettingsCustomResource",
            service_token=settings_function.get_att("Arn").to_string(),
            resource_type="Custom::SmsAccountSettings",
            properties={
                "MonthlySpendLimit": str(sms_spend_limit_usd),
                "DeliveryStatusIAMRole": delivery_role.role_arn,
                "DeliveryStatusSuccessSamplingRate": "100",
                "DefaultSMSType": "Transactional",
            },
        )
        sms_settings.node.add_dependency(delivery_role)

        self._alarm(
            "sms-spend",
            cloudwatch.Metric(
                namespace="AWS/SNS",
                metric_name="SMSMonthToDateSpentUSD",
                statistic="Maximum",
                period=Duration.minutes(5),
            ),
            threshold=round(sms_spend_limit_usd * SMS_SPEND_ALARM_RATIO, 2),
            description=(
                f"SMS spend this month passed {int(SMS_SPEND_ALARM_RATIO * 100)}% of the "
                f"{sms_spend_limit_usd} USD limit; SNS stops sending SMS at the limit."
            ),
        )
        self._alarm(
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
        for name, value in {
            "SesEventsTopicArn": topic.topic_arn,
            "NotifyConfigurationSetName": configuration_set.configuration_set_name,
        }.items():
            cdk.CfnOutput(self, name, value=value)

    # -- the web client --------------------------------------------------------------------
    def _private_bucket(self, construct_id: str, **options: Any) -> s3.Bucket:
        """No public access, encrypted, TLS only, owner-enforced; kept when the stack goes
        (CloudFormation cannot delete a bucket with files in it)."""
        return s3.Bucket(
            self,
            construct_id,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.RETAIN,
            **options,
        )

    def _web_client(self, config: Mapping[str, Any]) -> None:
        """web/ in a private bucket, read by CloudFront only (origin access control); the
        same distribution sends /v1/* to the API's stage, uncached, so the client and the
        API share one origin. Security headers from web/security-headers.json."""
        headers = load_security_headers()
        bucket = self._private_bucket("WebBucket")  # rebuilt from web/ at each deploy
        web_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "WebHeadersPolicy",
            response_headers_policy_name=f"massar-{self.stage}-web-security-headers",
            comment="Massar web client: headers from web/security-headers.json",
            security_headers_behavior=security_headers_behavior(headers),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=custom_headers(headers)
            )
            if custom_headers(headers)
            else None,
        )
        api_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "ApiHeadersPolicy",
            response_headers_policy_name=f"massar-{self.stage}-api-security-headers",
            comment="Massar API through CloudFront: HSTS, nosniff, frame and referrer policy",
            security_headers_behavior=security_headers_behavior(headers, with_csp=False),
        )

        api_stage = str(config["stages"][CONFIG_STAGE].get("api_gateway_stage", "api"))
        rest_api = self.chalice.get_resource(REST_API)
        api_origin = origins.HttpOrigin(
            f"{rest_api.ref}.execute-api.{self.region}.{self.url_suffix}",
            origin_path=f"/{api_stage}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            # The API function's own timeout is 10 s: CloudFront waits a little longer.
            read_timeout=Duration.seconds(30),
            # Proof, for the API, that CloudFront-Viewer-Address was set by CloudFront and not
            # by someone calling the execute-api URL. The template holds a dynamic reference
            # ({{resolve:secretsmanager:...}}), resolved by CloudFormation at deploy time.
            custom_headers={EDGE_HEADER: self.edge_secret.secret_value.unsafe_unwrap()},
        )
        # "Caching disabled" in effect: no TTL beyond what the API says, and the API says
        # `no-store` on every answer (its own and the gateway's). A non-zero maximum is what
        # lets Authorization be in the cache key, the one way to forward it with an allow-list.
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiCachePolicy",
            cache_policy_name=f"massar-{self.stage}-api",
            comment="Massar API: nothing kept (answers are no-store); Authorization forwarded",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list(*API_CACHE_KEY_HEADERS),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        api_requests = cloudfront.OriginRequestPolicy(
            self,
            "ApiOriginRequestPolicy",
            origin_request_policy_name=f"massar-{self.stage}-api",
            comment="Massar API: the headers it reads and the viewer's address; never Host",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(
                *API_ORIGIN_REQUEST_HEADERS
            ),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        self.web_distribution = cloudfront.Distribution(
            self,
            "WebDistribution",
            comment=f"Massar {self.stage}: web client and API (/v1/*)",
            default_root_object="index.html",
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_ipv6=True,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                compress=True,
                response_headers_policy=web_headers,
            ),
            additional_behaviors={
                API_PATH_PATTERN: cloudfront.BehaviorOptions(
                    origin=api_origin,
                    # No redirect: a redirected POST would arrive as a GET.
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                    cache_policy=api_cache,
                    origin_request_policy=api_requests,
                    compress=True,
                    response_headers_policy=api_headers,
                )
            },
        )

        # Two deployments of the one folder: everything but the entry points (short cache,
        # pruning what a new build no longer has), then the entry points (no-cache, after
        # the files they load), which also invalidates the distribution's cache.
        source = s3_deployment.Source.asset(str(WEB_DIR), exclude=list(WEB_NOT_SERVED))
        log_group = logs.LogGroup(
            self,
            "WebDeploymentLogGroup",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        assets = s3_deployment.BucketDeployment(
            self,
            "WebAssetsDeployment",
            sources=[source],
            destination_bucket=bucket,
            exclude=list(WEB_ENTRY_POINTS),
            prune=True,
            cache_control=[
                s3_deployment.CacheControl.from_string(
                    f"public, max-age={WEB_ASSETS_MAX_AGE_SECONDS}"
                )
            ],
            log_group=log_group,
        )
        entry_points = s3_deployment.BucketDeployment(
            self,
            "WebEntryPointsDeployment",
            sources=[source],
            destination_bucket=bucket,
            exclude=["*"],
            include=list(WEB_ENTRY_POINTS),
            prune=False,
            cache_control=[s3_deployment.CacheControl.no_cache()],
            distribution=self.web_distribution,
            distribution_paths=["/*"],
            log_group=log_group,
        )
        entry_points.node.add_dependency(assets)

        domain = self.web_distribution.distribution_domain_name
        for name, value in {
            "WebClientUrl": f"https://{domain}",
            "WebDistributionDomainName": domain,
            "WebDistributionId": self.web_distribution.distribution_id,
            "WebBucketName": bucket.bucket_name,
        }.items():
            cdk.CfnOutput(self, name, value=value)
