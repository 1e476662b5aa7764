"""The Chalice app (`chalice.cdk`): its functions with their names, roles, log groups,
environment and event sources; the dependency layer; the REST API with its gateway
responses in the API's error envelope.

What `chalice package` cannot express is set as overrides on the SAM template it generates;
the logical ids are the ones chalice gives (see `infra/README.md`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib.core.error_texts import MESSAGES
from infra.compiled_chalice import CompiledChalice
from infra.components.builders import kept_log_group
from infra.components.config import (
    FUNCTIONS,
    ROOT,
    chalice_stage_config,
    check_functions,
    function_name,
)
from infra.components.naming import Group

REST_API = "RestAPI"
LAYER = "ManagedLayer"
# Outbox and registrations streams → their functions: bounded retries, then the batch's
# coordinates go to the relay-failure queue. Records stay in the stream 24 h: giving up
# after 6 h leaves an operator 18 h to replay them from the stream.
STREAM_MAX_RETRY_ATTEMPTS = 10
STREAM_MAX_RECORD_AGE_SECONDS = 6 * 3600

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


def gateway_responses() -> dict[str, Any]:
    """The `x-amazon-apigateway-gateway-responses` extension of the API's OpenAPI body."""
    responses: dict[str, Any] = {}
    for response_type, (status, code) in GATEWAY_RESPONSES.items():
        text = MESSAGES[code]["fr"] if code in MESSAGES else FALLBACK_MESSAGES[code]
        # The envelope of chalicelib.core.http.error_body.
        body = {"error": {"code": code, "message": text}}
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


class ChaliceApp(Group):
    """The app's functions and API. `permissions`: each function's statements (besides
    writing to its own log group, which this construct grants); `environment`: variables
    whose values are references, for every function."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        table_names: Mapping[str, str],
        environment: Mapping[str, str],
        permissions: Mapping[str, Sequence[iam.PolicyStatement]],
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        stack = Stack.of(self)
        self.function_names = {logical: function_name(stage, logical) for logical in FUNCTIONS}
        # Chalice's construct, with bytecode compiled into what ships (infra/packaging.py).
        self.chalice = CompiledChalice(
            self,
            "Chalice",
            source_dir=str(ROOT),
            stage_config=chalice_stage_config(stage, stack.region, table_names),
        )
        check_functions(self.chalice.function_ids())
        if set(permissions) != set(FUNCTIONS):
            raise ValueError(
                f"permissions for {sorted(permissions)}, functions {sorted(FUNCTIONS)}"
            )
        for logical, name in self.function_names.items():
            function = self.resource(logical)
            function.add_property_override("FunctionName", name)
            # Created before the function, which would otherwise create it without retention.
            function.add_resource_dependency(self._log_group(logical))
            role = self._role(logical, permissions[logical])
            function.add_property_override("Role", role.role_arn)
        for variable, value in environment.items():
            self.add_environment(variable, value)

        self.resource(LAYER).add_property_override("LayerName", f"massar-{stage}-dependencies")
        self.rest_api = self.resource(REST_API)
        # A name per stage, so that two stages in one account have distinct API metrics.
        self.rest_api.add_property_override("Name", f"massar-{stage}")
        # In the OpenAPI body rather than AWS::ApiGateway::GatewayResponse resources: the
        # body is part of what the SAM deployment hashes, so the responses are deployed with
        # the API (separate resources only take effect at the *next* deployment).
        self.rest_api.add_property_override(
            "DefinitionBody.x-amazon-apigateway-gateway-responses", gateway_responses()
        )

    def resource(self, logical: str) -> cdk.CfnResource:
        """A resource of chalice's template (a function, the layer, the API) by logical id."""
        resource: cdk.CfnResource = self.chalice.get_resource(logical)
        return resource

    def function_arn(self, logical: str) -> str:
        return self.resource(logical).get_att("Arn").to_string()

    def add_environment(self, variable: str, value: str, *functions: str) -> None:
        """An environment variable of these functions (all of them without names)."""
        for logical in functions or tuple(FUNCTIONS):
            self.chalice.add_environment_variable(variable, value, logical)

    def stream_events(self, logical: str, stream_arn: str, failures: sqs.IQueue) -> None:
        """The function's DynamoDB stream event source: from the oldest record still in the
        stream (never skip one), bisecting failed batches, partial batch responses; the
        coordinates of a batch it gives up go to `failures`."""
        self._event(
            logical,
            "DynamodbEventSource",
            {
                "Stream": stream_arn,
                "StartingPosition": "TRIM_HORIZON",
                "BisectBatchOnFunctionError": True,
                "MaximumRetryAttempts": STREAM_MAX_RETRY_ATTEMPTS,
                "MaximumRecordAgeInSeconds": STREAM_MAX_RECORD_AGE_SECONDS,
                "DestinationConfig": {
                    "OnFailure": {"Type": "SQS", "Destination": failures.queue_arn}
                },
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
            },
        )

    def queue_events(self, logical: str, queue: sqs.IQueue, *, max_concurrency: int) -> None:
        """The function's SQS event source: partial batch responses, at most
        `max_concurrency` invocations at once."""
        self._event(
            logical,
            "SqsEventSource",
            {
                "Queue": queue.queue_arn,
                "FunctionResponseTypes": ["ReportBatchItemFailures"],
                "ScalingConfig": {"MaximumConcurrency": max_concurrency},
            },
        )

    def _event(self, logical: str, kind: str, properties: Mapping[str, Any]) -> None:
        # Chalice names a function's event source <function><kind>.
        function = self.resource(logical)
        for name, value in properties.items():
            function.add_property_override(f"Events.{logical}{kind}.Properties.{name}", value)

    def _log_group(self, logical: str) -> logs.CfnLogGroup:
        group = kept_log_group(
            self, f"{logical}LogGroup", f"/aws/lambda/{self.function_names[logical]}"
        )
        cfn_group = group.node.default_child
        assert isinstance(cfn_group, logs.CfnLogGroup)
        return cfn_group

    def _role(self, logical: str, statements: Sequence[iam.PolicyStatement]) -> iam.Role:
        stack = Stack.of(self)
        # The log group exists before the function (see _log_group): no CreateLogGroup.
        write_logs = iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[
                f"arn:{stack.partition}:logs:{stack.region}:{stack.account}"
                f":log-group:/aws/lambda/{self.function_names[logical]}:*"
            ],
        )
        return iam.Role(
            self,
            f"{logical}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Massar {self.stage}: {self.function_names[logical]}",
            # Inline, so the function (which references the role) is only created once
            # its permissions exist, and its event source mapping can be validated.
            inline_policies={
                "least-privilege": iam.PolicyDocument(statements=[*statements, write_logs])
            },
        )
